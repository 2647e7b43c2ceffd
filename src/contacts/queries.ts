import type {Selectable, Updateable} from 'kysely'

import type {Store} from '../store/index.js'
import type {ContactTable, InteractionTable} from '../store/schema.js'
import type {ContactValues} from './checks.js'

/** The contacts, interactions and do_not_contact tables, for the contact use cases (the import's statements are in import.ts). */

export type ContactRow = Selectable<ContactTable>
export type InteractionRow = Selectable<InteractionTable>

export async function contactById(store: Store, id: number): Promise<ContactRow | undefined> {
  return store.db.selectFrom('contacts').selectAll().where('id', '=', id).executeTakeFirst()
}

/** Every contact, by id; owner exact, organization without regard to case. */
export async function contactRows(store: Store, filter: {owner?: string; organization?: string}): Promise<ContactRow[]> {
  let q = store.db.selectFrom('contacts').selectAll()
  if (filter.owner !== undefined) q = q.where('owner', '=', filter.owner)
  if (filter.organization !== undefined) q = q.where((eb) => eb(eb.fn('lower', ['organization']), '=', filter.organization!.toLowerCase()))
  return q.orderBy('id').execute()
}

export async function interactionsOf(store: Store, contactRef: number): Promise<InteractionRow[]> {
  return store.db.selectFrom('interactions').selectAll().where('contact_ref', '=', contactRef).orderBy('contact_date').orderBy('id').execute()
}

export async function insertContact(store: Store, v: ContactValues & {owner: string}, at: string, batchId: number | null): Promise<number> {
  const {id} = await store.db.insertInto('contacts').values({...v, created_at: at, updated_at: at, batch_id: batchId}).returning('id').executeTakeFirstOrThrow()
  return id
}

export async function insertInteraction(store: Store, row: Omit<InteractionRow, 'id'>): Promise<void> {
  await store.db.insertInto('interactions').values(row).execute()
}

/** Changes fields of a contact (a granted amendment), with its updated_at. */
export async function updateContact(store: Store, id: number, changes: Updateable<ContactTable>, at: string): Promise<void> {
  await store.db.updateTable('contacts').set({...changes, updated_at: at}).where('id', '=', id).execute()
}

export async function setLastContacted(store: Store, id: number, date: string, at: string): Promise<void> {
  await store.db.updateTable('contacts').set({last_contacted: date, updated_at: at}).where('id', '=', id).execute()
}

/** Whether any person was ever forgotten (the keyed hashes need the key only then). */
export async function anySuppressed(store: Store): Promise<boolean> {
  return (await store.db.selectFrom('do_not_contact').select('id').limit(1).executeTakeFirst()) !== undefined
}

/** Which of the hashes are on the do-not-contact list. */
export async function suppressedAmong(store: Store, hashes: readonly string[]): Promise<Set<string>> {
  if (hashes.length === 0) return new Set()
  const rows = await store.db.selectFrom('do_not_contact').select('hash').where('hash', 'in', [...hashes]).execute()
  return new Set(rows.map((r) => r.hash))
}

export async function suppress(store: Store, rows: {kind: 'email' | 'phone'; hash: string}[], disposalId: string, at: string): Promise<void> {
  if (rows.length === 0) return
  await store.db.insertInto('do_not_contact').values(rows.map((r) => ({...r, disposal_id: disposalId, added_at: at})))
    .onConflict((oc) => oc.column('hash').doNothing()).execute()
}
