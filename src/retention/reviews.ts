import {type Operator, authorize} from '../auth/roles.js'
import {appendAudit, sha256} from '../audit/chain.js'
import type {CivilDate} from '../calendar/dates.js'
import {conflict, notFound, notPermitted, usage} from '../errors.js'
import {REGISTRY, type RecordType, isRecordType} from '../records/registry.js'
import {type Store, inTransaction} from '../store/index.js'
import {type ReviewRow, insertReview, nextReviewNumber, reviewByName, reviewCounts, reviewItems, reviewRows, scheduleRows, updateReview} from './queries.js'
import {
  type CertificateReview, type SweepResult, MAX_REASON, assertAgencyWide, decideAll, dispose, idsSha256, sweepResult,
} from './service.js'

/**
 * Disposition review (two-person destruction; DoD 5015.2, Purview disposition review): a records officer
 * freezes the records a plan finds eligible into a review; another records officer (or an admin), never the
 * submitter, approves or rejects it; `retention sweep --review` destroys, through the one disposal path
 * (service.ts dispose), exactly the approved review's records that are still eligible as of the review's own
 * date, under today's holds and open requests. On PostgreSQL the server refuses the same (postgres-security.ts).
 */

export interface ReviewItem {
  code: string
  recordType: RecordType
  count: number
}

export type ReviewStatus = ReviewRow['status']

export interface ReviewView {
  reviewId: string
  asOf: CivilDate
  status: ReviewStatus
  submittedBy: string
  submittedAt: string
  approvedBy: string | null
  approvedAt: string | null
  rejectedBy: string | null
  rejectedAt: string | null
  rejectReason: string | null
  disposalId: string | null
  sweptBy: string | null
  sweptAt: string | null
  /** Records frozen, by schedule. */
  items: ReviewItem[]
}

export interface SubmitResult {
  reviewId: string
  asOf: CivilDate
  items: ReviewItem[]
}

const reviewName = (n: number) => `R${String(n).padStart(9, '0')}`

/** A review id as typed ("R000000001", "r1" or "1"); anything else is a usage error. */
export function parseReviewId(value: string): string {
  const m = /^r?(\d{1,9})$/i.exec(value.trim())
  if (!m) throw usage(`"${value}" is not a review id; review ids look like R000000001 (see custodian retention review list).`)
  return reviewName(Number(m[1]))
}

async function findReview(store: Store, reviewId: string): Promise<ReviewRow> {
  const row = await reviewByName(store, reviewId)
  if (!row) throw notFound('REVIEW_NOT_FOUND', `No disposition review ${reviewId}. List them with: custodian retention review list`, {reviewId})
  return row
}

/** The review's frozen counts by schedule, in the order the plan lists the schedules. */
function itemsOf(counts: readonly {code: string; count: number}[], schedules: readonly {code: string; recordType: RecordType}[]): ReviewItem[] {
  const n = new Map(counts.map((c) => [c.code, c.count]))
  return schedules.map((s) => ({code: s.code, recordType: s.recordType, count: n.get(s.code) ?? 0}))
}

function view(row: ReviewRow, items: ReviewItem[]): ReviewView {
  return {
    reviewId: row.review_id, asOf: row.as_of, status: row.status, submittedBy: row.submitted_by, submittedAt: row.submitted_at,
    approvedBy: row.approved_by, approvedAt: row.approved_at, rejectedBy: row.rejected_by, rejectedAt: row.rejected_at,
    rejectReason: row.reject_reason, disposalId: row.disposal_id, sweptBy: row.swept_by, sweptAt: row.swept_at, items,
  }
}

/** The schedules in registry order (the plan's order), from a plan as of any date. */
async function scheduleOrder(store: Store): Promise<{code: string; recordType: RecordType}[]> {
  const byType = new Map((await scheduleRows(store)).map((s) => [s.code, s]))
  return REGISTRY.filter((e) => byType.has(e.schedule)).map((e) => ({code: e.schedule, recordType: e.type}))
}

/**
 * Freezes the records a sweep as of the date would destroy (the plan's eligible records, by record type and
 * schedule, their surrogate ids) into a new review, status submitted. Audited with a digest of the frozen ids.
 */
export async function submitReview(store: Store, operator: Operator, asOf: CivilDate, now = new Date()): Promise<SubmitResult> {
  authorize(operator, 'retention.review.submit')
  assertAgencyWide(operator, 'retention.review.submit')
  const at = now.toISOString()
  return inTransaction(store, async () => {
    const decisions = await decideAll(store, asOf)
    const reviewId = reviewName(await nextReviewNumber(store))
    await insertReview(store, {
      review_id: reviewId, as_of: asOf, status: 'submitted', submitted_by: operator.name, submitted_at: at, approved_by: null, approved_at: null,
      rejected_by: null, rejected_at: null, reject_reason: null, disposal_id: null, swept_by: null, swept_at: null,
    }, decisions.flatMap((d) => d.eligible.map((id) => ({record_type: d.type, code: d.code, record_id: id}))))
    const items = decisions.map((d) => ({code: d.code, recordType: d.type, count: d.eligible.length}))
    const frozen = decisions.map((d) => ({code: d.code, recordType: d.type, idsSha256: idsSha256(d.eligible)}))
    await appendAudit(store, operator.name, {action: 'retention.review.submit', recordType: 'disposal_review', recordId: reviewId, digest: sha256(JSON.stringify({asOf, frozen}))}, at)
    return {reviewId, asOf, items}
  })
}

/** The one rule of two people: whoever submitted a review never approves or rejects it (exit 4). */
function assertNotSubmitter(operator: Operator, row: ReviewRow, verb: 'approve' | 'reject'): void {
  if (row.submitted_by === operator.name) {
    throw notPermitted('REVIEW_OWN', `You submitted disposition review ${row.review_id}; another records officer must ${verb} it (two-person destruction). Nothing was changed.`, {
      reviewId: row.review_id, action: `retention.review.${verb}`,
    })
  }
}

function assertSubmitted(row: ReviewRow, verb: 'approve' | 'reject'): void {
  if (row.status === 'submitted') return
  const by = row.status === 'approved' ? ` by ${row.approved_by}` : row.status === 'rejected' ? ` by ${row.rejected_by}` : row.status === 'swept' ? ` (disposal ${row.disposal_id})` : ''
  throw conflict('REVIEW_DECIDED', `Disposition review ${row.review_id} is already ${row.status}${by}; only a submitted review can be ${verb === 'approve' ? 'approved' : 'rejected'}. Submit a new one if needed.`, {
    reviewId: row.review_id, status: row.status,
  })
}

async function decideReview(store: Store, operator: Operator, reviewId: string, verb: 'approve' | 'reject', reason?: string, now = new Date()): Promise<ReviewView> {
  authorize(operator, verb === 'approve' ? 'retention.review.approve' : 'retention.review.reject')
  assertAgencyWide(operator, `retention.review.${verb}`)
  const id = parseReviewId(reviewId)
  let text: string | null = null
  if (verb === 'reject') {
    text = (reason ?? '').trim()
    if (text === '') throw usage('--reason must say why the review is rejected (e.g. "hold pending for case 26-0142").')
    if ([...text].length > MAX_REASON) throw usage(`--reason is ${[...text].length} characters; keep it to ${MAX_REASON}. It is kept with the review, so never put a person's name or details in it.`)
  }
  const at = now.toISOString()
  return inTransaction(store, async () => {
    const row = await findReview(store, id)
    assertNotSubmitter(operator, row, verb)
    assertSubmitted(row, verb)
    const change = verb === 'approve'
      ? {status: 'approved' as const, approved_by: operator.name, approved_at: at}
      : {status: 'rejected' as const, rejected_by: operator.name, rejected_at: at, reject_reason: text}
    if (!(await updateReview(store, row.id, 'submitted', change))) assertSubmitted((await findReview(store, id)), verb)
    await appendAudit(store, operator.name, {
      action: `retention.review.${verb}`, recordType: 'disposal_review', recordId: id, digest: text === null ? null : sha256(text),
    }, at)
    return view({...row, ...change}, itemsOf(await reviewCounts(store, row.id), await scheduleOrder(store)))
  })
}

/** Approves a submitted review (another records officer than its submitter, or an admin). */
export async function approveReview(store: Store, operator: Operator, reviewId: string, now = new Date()): Promise<ReviewView> {
  return decideReview(store, operator, reviewId, 'approve', undefined, now)
}

/** Rejects a submitted review with a reason (never by its submitter); a rejected review is never swept. */
export async function rejectReview(store: Store, operator: Operator, reviewId: string, reason: string, now = new Date()): Promise<ReviewView> {
  return decideReview(store, operator, reviewId, 'reject', reason, now)
}

/** Every review, oldest first, with its frozen counts (the listing is audited). */
export async function listReviews(store: Store, operator: Operator): Promise<ReviewView[]> {
  authorize(operator, 'retention.review.list')
  const rows = await reviewRows(store)
  const counts = await reviewCounts(store)
  const order = await scheduleOrder(store)
  await inTransaction(store, () => appendAudit(store, operator.name, {action: 'retention.review.list', recordType: 'disposal_review'}))
  return rows.map((row) => view(row, itemsOf(counts.filter((c) => c.review_ref === row.id), order)))
}

/** Only an approved review is swept, and only once: otherwise exit 6 and nothing is destroyed. */
function assertSweepable(row: ReviewRow): asserts row is ReviewRow & {approved_by: string; approved_at: string} {
  if (row.status === 'approved' && row.approved_by !== null && row.approved_at !== null) return
  if (row.status === 'swept') {
    throw conflict('REVIEW_SWEPT', `Disposition review ${row.review_id} was already swept (disposal ${row.disposal_id}); nothing was destroyed.`, {reviewId: row.review_id, disposalId: row.disposal_id})
  }
  const why = row.status === 'rejected' ? `was rejected by ${row.rejected_by}` : 'is not approved yet (another records officer approves it: custodian retention review approve)'
  throw conflict('REVIEW_NOT_APPROVED', `Disposition review ${row.review_id} ${why}; nothing was destroyed.`, {reviewId: row.review_id, status: row.status})
}

/**
 * The sweep of an approved review: the review's frozen records that are still eligible as of the review's own
 * date, with today's holds and open requests (a hold placed since keeps its records), destroyed through the
 * one disposal path; the certificate names the review, its submitter and its approver; the review becomes swept
 * in the same transaction. Records that became eligible after the review was submitted are not touched.
 */
export async function sweepReview(store: Store, operator: Operator, reviewId: string, now = new Date()): Promise<SweepResult & {reviewId: string}> {
  authorize(operator, 'retention.sweep')
  assertAgencyWide(operator)
  const id = parseReviewId(reviewId)
  const before = await findReview(store, id)
  assertSweepable(before)
  const review: CertificateReview = {
    reviewId: id, asOf: before.as_of, submittedBy: before.submitted_by, submittedAt: before.submitted_at, approvedBy: before.approved_by, approvedAt: before.approved_at,
  }
  const disposal = await dispose(store, operator, {
    asOf: before.as_of,
    now,
    action: 'retention.sweep',
    review,
    // Inside the write transaction: the review is still approved (not swept by another process meanwhile).
    decide: async () => {
      const row = await findReview(store, id)
      assertSweepable(row)
      const only = new Map<RecordType, Set<number>>()
      for (const item of await reviewItems(store, row.id)) {
        if (!isRecordType(item.record_type)) continue
        only.set(item.record_type, (only.get(item.record_type) ?? new Set()).add(Number(item.record_id)))
      }
      return decideAll(store, row.as_of, only)
    },
    alongside: async (cert) => {
      const swept = await updateReview(store, before.id, 'approved', {status: 'swept', disposal_id: cert.disposalId, swept_by: operator.name, swept_at: cert.at})
      if (!swept) assertSweepable(await findReview(store, id))
    },
  })
  return {...sweepResult(before.as_of, now, disposal), reviewId: id}
}

/** What a command shows before it asks to destroy a review's records: the review, or why it cannot be swept. */
export async function reviewForSweep(store: Store, reviewId: string): Promise<ReviewView> {
  const id = parseReviewId(reviewId)
  const row = await findReview(store, id)
  assertSweepable(row)
  return view(row, itemsOf(await reviewCounts(store, row.id), await scheduleOrder(store)))
}
