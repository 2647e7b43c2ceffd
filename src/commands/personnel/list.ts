import {BaseCommand} from '../../cli/base.js'
import {Flags} from '../../cli/oclif.js'
import type {EmployeeView} from '../../personnel/service.js'

export interface PersonnelListResult {
  employees: EmployeeView[]
}

export default class PersonnelList extends BaseCommand<typeof PersonnelList> {
  static override summary = 'List employees in your scope, by org prefix and status.'
  static override examples = [
    '<%= config.bin %> personnel list --org 0301 --status active',
    '<%= config.bin %> personnel list --json',
  ]
  static override flags = {
    org: Flags.string({summary: 'Only org codes starting with this prefix.'}),
    status: Flags.string({options: ['active', 'separated'], summary: 'Only active or separated employees.'}),
    'as-of': Flags.string({summary: 'Date for the active/separated status (YYYY-MM-DD). Default: today (UTC).'}),
  }

  public async run(): Promise<PersonnelListResult> {
    const {listEmployees} = await import('../../personnel/service.js')
    const {asOfDate} = await import('../../calendar/dates.js')
    const {table} = await import('../../cli/render.js')
    const {store, operator} = await this.session('personnel.list')
    const employees = await listEmployees(store, operator, {org: this.flags.org, status: this.flags.status as 'active' | 'separated' | undefined, asOf: asOfDate(this.flags['as-of'])})
    this.say(table(['employee', 'name', 'ssn', 'plan', 'tour', 'org', 'status'], employees.map((e) => [
      e.employeeId, `${e.lastName}, ${e.firstName}`, e.ssn, `${e.payPlan}${e.grade ? `-${e.grade}` : ''}`, e.tourOfDuty, e.orgCode, e.status,
    ])))
    this.say(`${employees.length} employee${employees.length === 1 ? '' : 's'}.`)
    return {employees}
  }
}
