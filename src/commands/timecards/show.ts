import {BaseCommand} from '../../cli/base.js'
import {Args, Flags} from '../../cli/oclif.js'
import type {TimecardView} from '../../timecards/service.js'

export type TimecardsShowResult = TimecardView

export default class TimecardsShow extends BaseCommand<typeof TimecardsShow> {
  static override summary = 'Show an employee\'s card for a pay period: lines, totals by hour type, findings.'
  static override examples = [
    '<%= config.bin %> timecards show E1002 --pay-period 2026-11-01',
    '<%= config.bin %> timecards show E1002 --pay-period 2026-11-01 --card-version 1 --json',
  ]
  static override args = {employeeId: Args.string({required: true, description: 'employee_id'})}
  static override flags = {
    'pay-period': Flags.string({required: true, summary: 'Start date of the pay period.'}),
    'card-version': Flags.integer({min: 1, max: 1_000_000, summary: 'An earlier version (read-only). Default: the current one.'}),
  }

  public async run(): Promise<TimecardsShowResult> {
    const {showCard, parsePayPeriod} = await import('../../timecards/service.js')
    const {table} = await import('../../cli/render.js')
    const {store, operator} = await this.session('timecards.show')
    const card = await showCard(store, operator, this.args.employeeId, await parsePayPeriod(store, this.flags['pay-period']), this.flags['card-version'])
    this.say(`${this.color.bold(card.employeeId)}  pay period ${card.payPeriod} (${card.payPeriodNumber})  version ${card.version}  ${card.status}${card.reason ? `  reason: ${card.reason}` : ''}`)
    this.say(table(['date', 'type', 'hours', 'accounting'], card.lines.map((l) => [l.workDate, l.hourType, l.hours, l.accountingCode])))
    this.say(`totals: ${Object.entries(card.totals).map(([t, h]) => `${t} ${h}`).join(', ') || 'none'}`)
    for (const f of card.findings) this.say(`  ${f.code} (${f.severity}) ${f.message}`)
    return card
  }
}
