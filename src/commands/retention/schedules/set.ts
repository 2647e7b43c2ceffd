import {BaseCommand} from '../../../cli/base.js'
import {Args, Flags} from '../../../cli/oclif.js'
import type {ScheduleView} from '../../../retention/service.js'

export type RetentionSchedulesSetResult = ScheduleView

export default class RetentionSchedulesSet extends BaseCommand<typeof RetentionSchedulesSet> {
  static override summary = 'Change the retention period of a schedule (records officer; audited).'
  static override description = 'The new period applies to every record of the schedule\'s type from the next plan or sweep on.'
  static override examples = ['<%= config.bin %> retention schedules set GRS-2.4-030 --retain-months 72']
  static override args = {code: Args.string({required: true, description: 'Schedule code, e.g. GRS-2.4-030.'})}
  static override flags = {
    'retain-months': Flags.integer({required: true, summary: 'New retention period in months (1–1200).'}),
  }

  public async run(): Promise<RetentionSchedulesSetResult> {
    const {setScheduleMonths} = await import('../../../retention/service.js')
    const {store, operator} = await this.session('retention.schedules.set')
    const s = await setScheduleMonths(store, operator, this.args.code, this.flags['retain-months'])
    this.say(`${s.code} (${s.recordType}) now retains ${s.retainMonths} months from ${s.trigger}.`)
    return s
  }
}
