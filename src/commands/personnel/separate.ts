import {BaseCommand} from '../../cli/base.js'
import {Args, Flags} from '../../cli/oclif.js'
import type {SeparateResult} from '../../personnel/service.js'

export type PersonnelSeparateResult = SeparateResult

export default class PersonnelSeparate extends BaseCommand<typeof PersonnelSeparate> {
  static override summary = 'Record an employee\'s separation (starts the retention clock of the profile).'
  static override examples = ['<%= config.bin %> personnel separate E1004 --date 2026-06-30']
  static override args = {employeeId: Args.string({required: true, description: 'employee_id'})}
  static override flags = {
    date: Flags.string({required: true, summary: 'Separation date (YYYY-MM-DD).'}),
    'as-of': Flags.string({summary: 'Date for the resulting status (YYYY-MM-DD). Default: today (UTC).'}),
  }

  public async run(): Promise<PersonnelSeparateResult> {
    const {separateEmployee} = await import('../../personnel/service.js')
    const {asOfDate, parseDateFlag} = await import('../../calendar/dates.js')
    const {store, operator} = await this.session('personnel.separate')
    const result = await separateEmployee(store, operator, this.args.employeeId, parseDateFlag('date', this.flags.date), asOfDate(this.flags['as-of']))
    this.say(`Employee ${result.employeeId} separated as of ${result.separationDate}.`)
    return result
  }
}
