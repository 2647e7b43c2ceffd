import type {Insertable, Selectable} from 'kysely'

import type {Store} from '../store/index.js'
import type {DisposalReviewItemTable, DisposalReviewTable, DisposalTable, HoldTable, RetentionScheduleTable} from '../store/schema.js'

/**
 * The retention_schedules, holds, hold_employees, disposals, disposal_reviews and disposal_review_items tables. What a sweep reads and destroys of
 * each record type is the record type's own (src/records/types/).
 */

export type ScheduleRow = Selectable<RetentionScheduleTable>
export type HoldRow = Selectable<HoldTable>
export type DisposalRow = Selectable<DisposalTable>

export async function scheduleRows(store: Store): Promise<ScheduleRow[]> {
  return store.db.selectFrom('retention_schedules').selectAll().execute()
}

export async function scheduleByCode(store: Store, code: string): Promise<ScheduleRow | undefined> {
  return store.db.selectFrom('retention_schedules').selectAll().where('code', '=', code).executeTakeFirst()
}

export async function setRetainMonths(store: Store, code: string, months: number, by: {at: string; operator: string}): Promise<void> {
  await store.db.updateTable('retention_schedules').set({retain_months: months, updated_at: by.at, updated_by: by.operator}).where('code', '=', code).execute()
}

/** Holds (all, or one) with the employees each names, by employee_id. */
export async function holdRows(store: Store, id?: number): Promise<{hold: HoldRow; employees: string[]}[]> {
  let q = store.db.selectFrom('holds').selectAll().orderBy('id')
  if (id !== undefined) q = q.where('id', '=', id)
  const holds = await q.execute()
  const members = new Map<number, string[]>()
  if (holds.length > 0) {
    const rows = await store.db.selectFrom('hold_employees').selectAll().where('hold_id', 'in', holds.map((h) => h.id)).orderBy('employee_id').execute()
    for (const m of rows) members.set(m.hold_id, [...(members.get(m.hold_id) ?? []), m.employee_id])
  }
  return holds.map((hold) => ({hold, employees: members.get(hold.id) ?? []}))
}

export async function insertHold(store: Store, hold: Omit<Insertable<HoldTable>, 'id'>, employeeIds: readonly string[]): Promise<number> {
  const {id} = await store.db.insertInto('holds').values(hold).returning('id').executeTakeFirstOrThrow()
  if (employeeIds.length > 0) await store.db.insertInto('hold_employees').values(employeeIds.map((employeeId) => ({hold_id: id, employee_id: employeeId}))).execute()
  return id
}

export async function releaseHoldRow(store: Store, id: number, release: {by: string; at: string; reason: string | null}): Promise<void> {
  await store.db.updateTable('holds').set({released_by: release.by, released_at: release.at, release_reason: release.reason}).where('id', '=', id).execute()
}

export async function disposalRows(store: Store): Promise<DisposalRow[]> {
  return store.db.selectFrom('disposals').selectAll().orderBy('id').execute()
}

export async function disposalById(store: Store, disposalId: string): Promise<DisposalRow | undefined> {
  return store.db.selectFrom('disposals').selectAll().where('disposal_id', '=', disposalId).executeTakeFirst()
}

/** The number the next disposal will have. */
export async function nextDisposalNumber(store: Store): Promise<number> {
  const row = await store.db.selectFrom('disposals').select((eb) => eb.fn.max('id').as('last')).executeTakeFirst()
  return Number(row?.last ?? 0) + 1
}

export async function insertDisposal(store: Store, disposal: Omit<Insertable<DisposalTable>, 'id'>): Promise<void> {
  await store.db.insertInto('disposals').values(disposal).execute()
}

// ---------------------------------------------------------------------------------------------------------
// Disposition reviews

export type ReviewRow = Selectable<DisposalReviewTable>

export async function reviewRows(store: Store): Promise<ReviewRow[]> {
  return store.db.selectFrom('disposal_reviews').selectAll().orderBy('id').execute()
}

export async function reviewByName(store: Store, reviewId: string): Promise<ReviewRow | undefined> {
  return store.db.selectFrom('disposal_reviews').selectAll().where('review_id', '=', reviewId).executeTakeFirst()
}

/** The number the next review will have. */
export async function nextReviewNumber(store: Store): Promise<number> {
  const row = await store.db.selectFrom('disposal_reviews').select((eb) => eb.fn.max('id').as('last')).executeTakeFirst()
  return Number(row?.last ?? 0) + 1
}

/** Inserts a review and its frozen records (a few hundred rows per statement); returns the review's surrogate id. */
export async function insertReview(store: Store, review: Omit<Insertable<DisposalReviewTable>, 'id'>, items: readonly Omit<DisposalReviewItemTable, 'review_ref'>[]): Promise<number> {
  const {id} = await store.db.insertInto('disposal_reviews').values(review).returning('id').executeTakeFirstOrThrow()
  for (let i = 0; i < items.length; i += 500) {
    await store.db.insertInto('disposal_review_items').values(items.slice(i, i + 500).map((item) => ({review_ref: id, ...item}))).execute()
  }
  return id
}

/** How many records a review froze, by schedule (every review, or one). */
export async function reviewCounts(store: Store, reviewRef?: number): Promise<{review_ref: number; code: string; count: number}[]> {
  let q = store.db.selectFrom('disposal_review_items').select(['review_ref', 'code', (eb) => eb.fn.countAll<number>().as('count')]).groupBy(['review_ref', 'code'])
  if (reviewRef !== undefined) q = q.where('review_ref', '=', reviewRef)
  return (await q.execute()).map((r) => ({...r, count: Number(r.count)}))
}

/** The records a review froze: surrogate ids by record type. */
export async function reviewItems(store: Store, reviewRef: number): Promise<{record_type: string; record_id: number}[]> {
  return store.db.selectFrom('disposal_review_items').select(['record_type', 'record_id']).where('review_ref', '=', reviewRef).execute()
}

/** Moves a review on (approved, rejected, swept) if it is still in the state the caller read; false if it was not. */
export async function updateReview(store: Store, id: number, from: ReviewRow['status'], change: Partial<Omit<Insertable<DisposalReviewTable>, 'id'>>): Promise<boolean> {
  const r = await store.db.updateTable('disposal_reviews').set(change).where('id', '=', id).where('status', '=', from).executeTakeFirst()
  return Number(r.numUpdatedRows) === 1
}
