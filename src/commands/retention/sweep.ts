import {BaseCommand} from '../../cli/base.js'
import {CustodianError, ExitCode} from '../../errors.js'
import {Flags} from '../../cli/oclif.js'
import type {SweepResult} from '../../retention/service.js'
import type {Store} from '../../store/index.js'

export type RetentionSweepResult = SweepResult

export default class RetentionSweep extends BaseCommand<typeof RetentionSweep> {
  static override summary = 'Destroy every record past its retention period that is not held or tied to an open request.'
  static override description = 'Asks for confirmation on a terminal, showing the plan; --yes skips it; without a terminal and without --yes it refuses (exit 2) and changes nothing. '
    + 'In one transaction it destroys the records with their history rows and writes a disposal certificate (counts and SHA-256 digests of surrogate ids, no personal data); '
    + 'then it empties the write-ahead log and rebuilds the store (VACUUM) so no byte of a destroyed record remains. Agency-wide records officers only. '
    + 'With --review it destroys only the records an approved disposition review froze that are still eligible as of the review\'s date (holds and open requests of today respected), '
    + 'and the certificate names the review, its submitter and its approver; when the store\'s two-person policy is on (custodian retention policy), a sweep needs --review.'
  static override examples = [
    '<%= config.bin %> retention sweep',
    '<%= config.bin %> retention sweep --as-of 2029-12-31 --yes --json',
    '<%= config.bin %> retention sweep --review R000000001 --yes',
  ]
  static override flags = {
    'as-of': Flags.string({summary: 'Date the sweep applies the schedules for (YYYY-MM-DD). Default: today (UTC).', exclusive: ['review']}),
    review: Flags.string({summary: 'Destroy only this approved disposition review\'s records, as of its own date (custodian retention review list).'}),
    yes: Flags.boolean({summary: 'Do not ask for confirmation.'}),
  }

  public async run(): Promise<RetentionSweepResult> {
    const {assertSweepWithoutReview, futureAsOfWarning, sweep} = await import('../../retention/service.js')
    const {asOfDate} = await import('../../calendar/dates.js')
    if (this.flags.review !== undefined) return this.sweepReview(this.flags.review)
    const asOf = asOfDate(this.flags['as-of'])
    const {store, operator} = await this.session('retention.sweep')
    // The two-person policy refuses before any prompt (and again inside the sweep's transaction).
    await assertSweepWithoutReview(store)
    // Before the confirmation (or, with --yes, before anything is destroyed), not after.
    const early = futureAsOfWarning(asOf)
    if (early) this.note(early.replace('records were destroyed', 'records will be destroyed'))
    if (!this.flags.yes) await this.confirm(store, asOf)
    const r = await sweep(store, operator, asOf)
    this.report(r, early)
    return r
  }

  private report(r: RetentionSweepResult, early: string | null): void {
    const destroyed = Object.entries(r.destroyed).filter(([, n]) => n > 0).map(([type, n]) => `${type} ${n}`).join(', ') || 'nothing'
    this.say(`Disposal ${r.disposalId} as of ${r.asOf}: destroyed ${destroyed}; ${r.held} held, ${r.blockedByRequest} blocked by an open request.`)
    this.say(`Certificate sha256 ${r.certificateSha256} (custodian retention certificate ${r.disposalId}).`)
    for (const warning of r.warnings) if (warning !== early) this.note(warning)
  }

  /** --review: an approved review's frozen records, as of its own date; the prompt shows the review. */
  private async sweepReview(reviewId: string): Promise<RetentionSweepResult> {
    const {futureAsOfWarning} = await import('../../retention/service.js')
    const {reviewForSweep, sweepReview} = await import('../../retention/reviews.js')
    const {store, operator} = await this.session('retention.sweep')
    const review = await reviewForSweep(store, reviewId)
    const early = futureAsOfWarning(review.asOf)
    if (early) this.note(early.replace('records were destroyed', 'records will be destroyed'))
    if (!this.flags.yes) await this.confirmReview(review)
    const r = await sweepReview(store, operator, reviewId)
    this.say(`Disposition review ${review.reviewId}, submitted by ${review.submittedBy} and approved by ${review.approvedBy}:`)
    this.report(r, early)
    return r
  }

  private async confirmReview(review: import('../../retention/reviews.js').ReviewView): Promise<void> {
    if (this.jsonEnabled() || !process.stdin.isTTY || !process.stdout.isTTY) {
      throw new CustodianError('CONFIRMATION_REQUIRED', 'A retention sweep destroys records: confirm it on a terminal, or pass --yes. Nothing was destroyed.', ExitCode.usage)
    }
    const {table} = await import('../../cli/render.js')
    const total = review.items.reduce((s, i) => s + i.count, 0)
    this.say(`Disposition review ${review.reviewId} as of ${review.asOf}, submitted by ${review.submittedBy}, approved by ${review.approvedBy}:`)
    this.say(table(['schedule', 'record type', 'frozen'], review.items.map((i) => [i.code, i.recordType, i.count])))
    const {confirm} = await import('@inquirer/prompts')
    const yes = await confirm({message: `Destroy up to ${total} record${total === 1 ? '' : 's'} for good (those still eligible, not held, no open request)?`, default: false}).catch(() => false)
    if (!yes) throw new CustodianError('NOT_CONFIRMED', 'Sweep cancelled; nothing was destroyed.', ExitCode.usage)
  }

  /** On a terminal: show the plan and ask. Anywhere else (or with --json) a sweep needs --yes. */
  private async confirm(store: Store, asOf: string): Promise<void> {
    if (this.jsonEnabled() || !process.stdin.isTTY || !process.stdout.isTTY) {
      throw new CustodianError('CONFIRMATION_REQUIRED', 'A retention sweep destroys records: confirm it on a terminal, or pass --yes. Nothing was destroyed.', ExitCode.usage)
    }
    const {decideAll, planItems} = await import('../../retention/service.js')
    const {planTable} = await import('../../cli/retention-plan.js')
    const items = planItems(await decideAll(store, asOf))
    const total = items.reduce((s, i) => s + i.eligible, 0)
    this.say(`Retention plan as of ${asOf}:`)
    this.say(planTable(items))
    const {confirm} = await import('@inquirer/prompts')
    const yes = await confirm({message: `Destroy ${total} record${total === 1 ? '' : 's'} for good?`, default: false}).catch(() => false)
    if (!yes) throw new CustodianError('NOT_CONFIRMED', 'Sweep cancelled; nothing was destroyed.', ExitCode.usage)
  }
}
