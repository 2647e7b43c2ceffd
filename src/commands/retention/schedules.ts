import {BaseCommand} from '../../cli/base.js'
import type {ScheduleView} from '../../retention/service.js'

export interface RetentionSchedulesResult {
  schedules: ScheduleView[]
}

export default class RetentionSchedules extends BaseCommand<typeof RetentionSchedules> {
  static override summary = 'List the retention schedules: record type, trigger, period and authority.'
  static override description = 'One schedule per record type, with the built-in defaults of NARA GRS 2.4 and 4.2 until a records officer changes a period (retention schedules set).'
  static override examples = ['<%= config.bin %> retention schedules', '<%= config.bin %> retention schedules --json']

  public async run(): Promise<RetentionSchedulesResult> {
    const {listSchedules} = await import('../../retention/service.js')
    const {table} = await import('../../cli/render.js')
    const {store, operator} = await this.session('retention.schedules')
    const schedules = await listSchedules(store, operator)
    this.say(table(['code', 'record type', 'retain', 'trigger', 'action'], schedules.map((s) => [
      s.code, s.recordType, `${s.retainMonths} months`, s.trigger, s.action,
    ])))
    return {schedules}
  }
}
