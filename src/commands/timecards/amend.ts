import {BaseCommand} from '../../cli/base.js'
import {Args, Flags} from '../../cli/oclif.js'
import type {AmendResult} from '../../timecards/service.js'

export type TimecardsAmendResult = AmendResult

export default class TimecardsAmend extends BaseCommand<typeof TimecardsAmend> {
  static override summary = 'Correct a certified or exported card: its lines are replaced by a new draft version.'
  static override description = 'The lines CSV has work_date, hour_type, hours, accounting_code (employee_id optional) and must hold the whole corrected card. Earlier versions are kept, read-only. The new version is validated and certified again.'
  static override examples = ['<%= config.bin %> timecards amend E1002 --pay-period 2026-11-01 --lines fixtures/amend-E1002.csv --reason "8 h on Nov 12 was sick leave"']
  static override args = {employeeId: Args.string({required: true, description: 'employee_id'})}
  static override flags = {
    'pay-period': Flags.string({required: true, summary: 'Start date of the pay period.'}),
    lines: Flags.string({required: true, summary: 'CSV with the corrected card\'s lines.'}),
    reason: Flags.string({required: true, summary: 'Why the card is amended (kept in its history).'}),
  }

  public async run(): Promise<TimecardsAmendResult> {
    const {amendCard, parsePayPeriod} = await import('../../timecards/service.js')
    const {store, operator} = await this.session('timecards.amend')
    const result = await amendCard(store, operator, {employeeId: this.args.employeeId, payPeriod: await parsePayPeriod(store, this.flags['pay-period']), linesFile: this.flags.lines, reason: this.flags.reason})
    this.say(`Amended ${result.employeeId} ${result.payPeriod}: version ${result.version} is ${result.status}; validate and certify it again.`)
    return result
  }
}
