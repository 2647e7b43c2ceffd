import {BaseCommand} from '../../cli/base.js'
import {Flags} from '../../cli/oclif.js'
import type {PlanResult} from '../../retention/service.js'

export type RetentionPlanResult = PlanResult

export default class RetentionPlan extends BaseCommand<typeof RetentionPlan> {
  static override summary = 'Show what a retention sweep would destroy, hold and keep; changes nothing.'
  static override description = 'Per schedule: eligible (a sweep as of the date destroys them), held (legal hold), blockedByRequest (a subject has an open Privacy Act request) and waiting (other records of the subject must go first). A record is due on its trigger date plus the retention months.'
  static override examples = ['<%= config.bin %> retention plan', '<%= config.bin %> retention plan --as-of 2030-01-01 --json']
  static override flags = {
    'as-of': Flags.string({summary: 'Date the plan is made for (YYYY-MM-DD). Default: today (UTC).'}),
  }

  public async run(): Promise<RetentionPlanResult> {
    const {retentionPlan} = await import('../../retention/service.js')
    const {asOfDate} = await import('../../calendar/dates.js')
    const {planTable} = await import('../../cli/retention-plan.js')
    const asOf = asOfDate(this.flags['as-of'])
    const {store, operator} = await this.session('retention.plan')
    const plan = await retentionPlan(store, operator, asOf)
    this.say(`Retention plan as of ${plan.asOf}:`)
    this.say(planTable(plan.items))
    return plan
  }
}
