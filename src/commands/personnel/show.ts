import {BaseCommand} from '../../cli/base.js'
import {Args, Flags} from '../../cli/oclif.js'
import type {EmployeeView} from '../../personnel/service.js'

export type PersonnelShowResult = EmployeeView

export default class PersonnelShow extends BaseCommand<typeof PersonnelShow> {
  static override summary = 'Show one employee (SSN masked unless --reveal-ssn).'
  static override examples = [
    '<%= config.bin %> personnel show E1001',
    '<%= config.bin %> personnel show E1001 --reveal-ssn --json',
  ]
  static override args = {employeeId: Args.string({required: true, description: 'employee_id'})}
  static override flags = {
    'reveal-ssn': Flags.boolean({summary: 'Show the whole SSN (privacy-officer or admin; audited).'}),
    'as-of': Flags.string({summary: 'Date for the active/separated status (YYYY-MM-DD). Default: today (UTC).'}),
  }

  public async run(): Promise<PersonnelShowResult> {
    const {showEmployee} = await import('../../personnel/service.js')
    const {asOfDate} = await import('../../calendar/dates.js')
    const {store, operator} = await this.session('personnel.show')
    const e = await showEmployee(store, operator, this.args.employeeId, {revealSsn: this.flags['reveal-ssn'], asOf: asOfDate(this.flags['as-of'])})
    const name = `${e.lastName}, ${e.firstName}${e.middleName ? ` ${e.middleName}` : ''}`
    this.say(`${this.color.bold(e.employeeId)}  ${name}  (${e.status})`)
    this.say(`  SSN ${e.ssn ?? '-'}   email ${e.email ?? '-'}`)
    this.say(`  ${e.payPlan}${e.grade ? `-${e.grade}` : ''}${e.step ? ` step ${e.step}` : ''}   tour ${e.tourOfDuty} ${e.scheduledHours} h/pay period   agency ${e.agencyCode}   org ${e.orgCode}   supervisor ${e.supervisorId ?? '-'}`)
    this.say(`  SCD ${e.serviceCompDate ?? '-'}   hired ${e.hireDate ?? '-'}   separated ${e.separationDate ?? '-'}`)
    this.say(`  balances: annual ${e.annualLeaveBalance} h, sick ${e.sickLeaveBalance} h, comp time ${e.compTimeBalance} h`)
    return e
  }
}
