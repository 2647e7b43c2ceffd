import type {Insertable, Selectable} from 'kysely'
import {sql} from 'kysely'

import type {Store} from '../store/index.js'
import type {InquiryRouteTable, InquiryTable} from '../store/schema.js'

/** The inquiries, inquiry_updates, inquiry_routes and inquiry_categories tables, for the inquiry use cases. */

export type InquiryRow = Selectable<InquiryTable>
export type RouteRow = Selectable<InquiryRouteTable>

export async function categoryCodes(store: Store): Promise<string[]> {
  return (await store.db.selectFrom('inquiry_categories').select('code').orderBy('code').execute()).map((r) => r.code)
}

/**
 * The next number of the year's counter (settings `inquiries.last_number.YYYY`), taken in one statement: the
 * row is created at 1 or incremented where it stands, so two writers never read the same last number (on
 * PostgreSQL the upsert locks the row until the transaction ends; every custodian writer also holds the
 * store's write lock). The counter only goes up: a number destroyed by retention is never given again.
 */
export async function takeNumber(store: Store, year: string): Promise<number> {
  const key = `inquiries.last_number.${year}`
  const row = await store.db.insertInto('settings').values({key, value: '1'})
    .onConflict((oc) => oc.column('key').doUpdateSet({value: sql<string>`CAST(CAST(settings.value AS INTEGER) + 1 AS TEXT)`}))
    .returning('value').executeTakeFirstOrThrow()
  return Number(row.value)
}

export async function inquiryByCase(store: Store, caseNumber: string): Promise<InquiryRow | undefined> {
  return store.db.selectFrom('inquiries').selectAll().where('case_number', '=', caseNumber).executeTakeFirst()
}

/** The latest earlier case of the same person: the same folded name, and the same email or phone. */
export async function earlierCaseOf(store: Store, who: {nameKey: string; email: string | null; phone: string | null}): Promise<string | null> {
  if (who.email === null && who.phone === null) return null
  const row = await store.db.selectFrom('inquiries').select('case_number')
    .where('name_key', '=', who.nameKey)
    .where((eb) => eb.or([
      ...(who.email === null ? [] : [eb('email', '=', who.email)]),
      ...(who.phone === null ? [] : [eb('phone', '=', who.phone)]),
    ]))
    .orderBy('received', 'desc').orderBy('id', 'desc').executeTakeFirst()
  return row?.case_number ?? null
}

export async function insertInquiry(store: Store, row: Insertable<InquiryTable>): Promise<number> {
  const {id} = await store.db.insertInto('inquiries').values(row).returning('id').executeTakeFirstOrThrow()
  return id
}

export async function updateInquiry(store: Store, id: number, changes: Partial<Insertable<InquiryTable>>): Promise<void> {
  await store.db.updateTable('inquiries').set(changes).where('id', '=', id).execute()
}

export async function insertUpdate(store: Store, row: {inquiry_ref: number; at: string; actor: string; status: string; note: string | null}): Promise<void> {
  await store.db.insertInto('inquiry_updates').values(row).execute()
}

export async function updatesOf(store: Store, id: number) {
  return store.db.selectFrom('inquiry_updates').select(['at', 'actor', 'status', 'note']).where('inquiry_ref', '=', id).orderBy('id').execute()
}

export async function inquiryRows(store: Store, filter: {status?: string; routedTo?: string}): Promise<InquiryRow[]> {
  let q = store.db.selectFrom('inquiries').selectAll()
  if (filter.status !== undefined) q = q.where('status', '=', filter.status as InquiryRow['status'])
  if (filter.routedTo !== undefined) q = q.where('routed_to', '=', filter.routedTo)
  return q.orderBy('case_number').execute()
}

export async function routeRows(store: Store): Promise<RouteRow[]> {
  return store.db.selectFrom('inquiry_routes').selectAll().execute()
}

export async function routeRow(store: Store, kind: RouteRow['kind'], value: string): Promise<RouteRow | undefined> {
  return store.db.selectFrom('inquiry_routes').selectAll().where('kind', '=', kind).where('value', '=', value).executeTakeFirst()
}

export async function putRoute(store: Store, row: RouteRow): Promise<void> {
  await store.db.insertInto('inquiry_routes').values(row)
    .onConflict((oc) => oc.columns(['kind', 'value']).doUpdateSet({agency: row.agency, updated_at: row.updated_at, updated_by: row.updated_by}))
    .execute()
}

export async function deleteRoute(store: Store, kind: RouteRow['kind'], value: string): Promise<void> {
  await store.db.deleteFrom('inquiry_routes').where('kind', '=', kind).where('value', '=', value).execute()
}
