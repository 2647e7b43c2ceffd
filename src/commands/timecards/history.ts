import {BaseCommand} from '../../cli/base.js'
import {Args, Flags} from '../../cli/oclif.js'
import type {HistoryEntry} from '../../timecards/service.js'

export interface TimecardsHistoryResult {
  history: HistoryEntry[]
}

export default class TimecardsHistory extends BaseCommand<typeof TimecardsHistory> {
  static override summary = 'Who changed what on a card, across all its versions.'
  static override examples = ['<%= config.bin %> timecards history E1002 --pay-period 2026-11-01']
  static override args = {employeeId: Args.string({required: true, description: 'employee_id'})}
  static override flags = {'pay-period': Flags.string({required: true, summary: 'Start date of the pay period.'})}

  public async run(): Promise<TimecardsHistoryResult> {
    const {cardHistory, parsePayPeriod} = await import('../../timecards/service.js')
    const {store, operator} = await this.session('timecards.history')
    const history = await cardHistory(store, operator, this.args.employeeId, await parsePayPeriod(store, this.flags['pay-period']))
    for (const h of history) {
      this.say(`${h.at}  ${h.actor}  ${h.action}  v${h.version}${h.reason ? `  reason: ${h.reason}` : ''}`)
      for (const c of h.changes) this.say(`    ${c.field}: ${c.from ?? '-'} → ${c.to ?? '-'}`)
    }
    return {history}
  }
}
