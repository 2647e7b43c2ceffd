import type {Insertable, Selectable} from 'kysely'

import type {Store} from '../store/index.js'
import type {DisposalTable, HoldTable, RetentionScheduleTable} from '../store/schema.js'

/**
 * The retention_schedules, holds, hold_employees and disposals tables. What a sweep reads and destroys of
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
