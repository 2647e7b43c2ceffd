import {BaseCommand} from '../../cli/base.js'
import {Flags} from '../../cli/oclif.js'
import type {TimecardSummary} from '../../timecards/service.js'

export interface TimecardsListResult {
  timecards: TimecardSummary[]
}

export default class TimecardsList extends BaseCommand<typeof TimecardsList> {
  static override summary = 'List current timecards in your scope, by pay period and status.'
  static override examples = [
    '<%= config.bin %> timecards list --pay-period 2026-11-01 --status validated',
    '<%= config.bin %> timecards list --json',
  ]
  static override flags = {
    'pay-period': Flags.string({summary: 'Start date of the pay period.'}),
    status: Flags.string({options: ['draft', 'validated', 'certified', 'exported'], summary: 'Only cards in this status.'}),
  }

  public async run(): Promise<TimecardsListResult> {
    const {listCards, parsePayPeriod} = await import('../../timecards/service.js')
    const {table} = await import('../../cli/render.js')
    const {store, operator} = await this.session('timecards.list')
    const payPeriod = this.flags['pay-period'] ? await parsePayPeriod(store, this.flags['pay-period']) : undefined
    const timecards = await listCards(store, operator, {payPeriod, status: this.flags.status as TimecardSummary['status'] | undefined})
    this.say(table(['employee', 'pay period', 'version', 'status', 'hours'], timecards.map((t) => [t.employeeId, t.payPeriod, t.version, t.status, t.totalHours])))
    return {timecards}
  }
}
