import {BaseCommand} from '../../../cli/base.js'
import {Flags} from '../../../cli/oclif.js'
import type {SubmitResult} from '../../../retention/reviews.js'

export type RetentionReviewSubmitResult = SubmitResult

export default class RetentionReviewSubmit extends BaseCommand<typeof RetentionReviewSubmit> {
  static override summary = 'Freeze the records a sweep as of a date would destroy into a disposition review (records officer).'
  static override description = 'The review holds exactly the records the plan finds eligible (by record type and schedule, their surrogate ids). '
    + 'Another records officer approves or rejects it (custodian retention review approve|reject); then custodian retention sweep --review destroys only those records. Nothing is destroyed here.'
  static override examples = [
    '<%= config.bin %> retention review submit',
    '<%= config.bin %> retention review submit --as-of 2029-12-31 --json',
  ]
  static override flags = {
    'as-of': Flags.string({summary: 'Date the records are eligible as of (YYYY-MM-DD). Default: today (UTC).'}),
  }

  public async run(): Promise<RetentionReviewSubmitResult> {
    const {submitReview} = await import('../../../retention/reviews.js')
    const {asOfDate} = await import('../../../calendar/dates.js')
    const {table} = await import('../../../cli/render.js')
    const asOf = asOfDate(this.flags['as-of'])
    const {store, operator} = await this.session('retention.review.submit')
    const r = await submitReview(store, operator, asOf)
    const total = r.items.reduce((s, i) => s + i.count, 0)
    this.say(`Disposition review ${r.reviewId} as of ${r.asOf}: ${total} record${total === 1 ? '' : 's'} frozen for approval.`)
    this.say(table(['schedule', 'record type', 'records'], r.items.map((i) => [i.code, i.recordType, i.count])))
    this.say(`Another records officer approves it: custodian retention review approve ${r.reviewId}`)
    return r
  }
}
