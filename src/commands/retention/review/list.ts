import {BaseCommand} from '../../../cli/base.js'
import type {ReviewView} from '../../../retention/reviews.js'

export interface RetentionReviewListResult {
  reviews: ReviewView[]
}

export default class RetentionReviewList extends BaseCommand<typeof RetentionReviewList> {
  static override summary = 'List disposition reviews: status (submitted, approved, rejected, swept), who submitted and decided, when.'
  static override examples = ['<%= config.bin %> retention review list', '<%= config.bin %> retention review list --json']

  public async run(): Promise<RetentionReviewListResult> {
    const {listReviews} = await import('../../../retention/reviews.js')
    const {table} = await import('../../../cli/render.js')
    const {store, operator} = await this.session('retention.review.list')
    const reviews = await listReviews(store, operator)
    if (reviews.length === 0) this.say('No disposition reviews.')
    else {
      this.say(table(['review', 'as of', 'status', 'records', 'submitted by', 'decided by', 'disposal'], reviews.map((r) => [
        r.reviewId, r.asOf, r.status, r.items.reduce((s, i) => s + i.count, 0), `${r.submittedBy} ${r.submittedAt.slice(0, 10)}`,
        r.approvedBy ? `${r.approvedBy} ${r.approvedAt?.slice(0, 10)}` : r.rejectedBy ? `${r.rejectedBy} ${r.rejectedAt?.slice(0, 10)} (rejected)` : '', r.disposalId ?? '',
      ])))
    }
    return {reviews}
  }
}
