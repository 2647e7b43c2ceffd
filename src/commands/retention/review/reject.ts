import {BaseCommand} from '../../../cli/base.js'
import {Args, Flags} from '../../../cli/oclif.js'
import type {ReviewView} from '../../../retention/reviews.js'

export type RetentionReviewRejectResult = ReviewView

export default class RetentionReviewReject extends BaseCommand<typeof RetentionReviewReject> {
  static override summary = 'Reject a submitted disposition review, with a reason (another records officer than its submitter).'
  static override description = 'A rejected review is never swept. The reason is kept with the review: a matter or case number and a few words, never a person\'s name or details.'
  static override examples = ['<%= config.bin %> retention review reject R000000001 --reason "Litigation hold pending, case 26-0142"']
  static override args = {reviewId: Args.string({required: true, description: 'Review id, e.g. R000000001.'})}
  static override flags = {
    reason: Flags.string({required: true, summary: 'Why the records must not be destroyed now (at most 500 characters).'}),
  }

  public async run(): Promise<RetentionReviewRejectResult> {
    const {rejectReview} = await import('../../../retention/reviews.js')
    const {store, operator} = await this.session('retention.review.reject')
    const r = await rejectReview(store, operator, this.args.reviewId, this.flags.reason)
    this.say(`Disposition review ${r.reviewId} (submitted by ${r.submittedBy}) rejected by ${r.rejectedBy}; none of its records will be destroyed by it.`)
    return r
  }
}
