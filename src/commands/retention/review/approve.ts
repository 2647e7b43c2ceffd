import {BaseCommand} from '../../../cli/base.js'
import {Args} from '../../../cli/oclif.js'
import type {ReviewView} from '../../../retention/reviews.js'

export type RetentionReviewApproveResult = ReviewView

export default class RetentionReviewApprove extends BaseCommand<typeof RetentionReviewApprove> {
  static override summary = 'Approve a submitted disposition review (another records officer than its submitter).'
  static override description = 'The submitter may never approve their own review (exit 4). Once approved, custodian retention sweep --review <reviewId> destroys its records.'
  static override examples = ['<%= config.bin %> retention review approve R000000001', '<%= config.bin %> retention review approve R000000001 --json']
  static override args = {reviewId: Args.string({required: true, description: 'Review id, e.g. R000000001.'})}

  public async run(): Promise<RetentionReviewApproveResult> {
    const {approveReview} = await import('../../../retention/reviews.js')
    const {store, operator} = await this.session('retention.review.approve')
    const r = await approveReview(store, operator, this.args.reviewId)
    const total = r.items.reduce((s, i) => s + i.count, 0)
    this.say(`Disposition review ${r.reviewId} (as of ${r.asOf}, ${total} record${total === 1 ? '' : 's'}, submitted by ${r.submittedBy}) approved by ${r.approvedBy}.`)
    this.say(`Destroy its records with: custodian retention sweep --review ${r.reviewId}`)
    return r
  }
}
