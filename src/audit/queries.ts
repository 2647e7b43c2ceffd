import {type Selectable, sql} from 'kysely'

import type {Store} from '../store/index.js'
import type {AuditLogTable} from '../store/schema.js'

/** The audit_log table: appended to by chain.ts only, never updated or deleted. */

export type AuditRow = Selectable<AuditLogTable>

export async function lastAuditRow(store: Store): Promise<{seq: number; hash: string} | undefined> {
  return store.db.selectFrom('audit_log').select(['seq', 'hash']).orderBy('seq', 'desc').limit(1).executeTakeFirst()
}

/**
 * PostgreSQL: appends one entry through custodian_audit_append (store/postgres-security.ts), the only way the
 * server lets anyone write the trail. It takes the store's write lock, records session_user as the actor,
 * computes the chain hash as entryHash does and keeps the MAC we computed (null without the key); the row it wrote.
 */
export async function appendAuditRowPostgres(store: Store, row: Pick<AuditRow, 'action' | 'record_type' | 'record_id' | 'digest' | 'at' | 'mac'>): Promise<AuditRow> {
  const {rows} = await sql<AuditRow>`SELECT * FROM custodian_audit_append_keyed(${row.action}, ${row.record_type}, ${row.record_id}, ${row.digest}, ${row.at}, ${row.mac})`.execute(store.db)
  return rows[0]
}

export async function insertAuditRow(store: Store, row: AuditRow): Promise<void> {
  await store.db.insertInto('audit_log').values(row).execute()
}

/** Every entry in seq order, a page at a time (constant memory, however long the trail; the same on both engines). */
export async function* auditRowsInOrder(store: Store, pageSize = 5000): AsyncIterable<AuditRow> {
  let after: number | null = null
  for (;;) {
    let q = store.db.selectFrom('audit_log').selectAll().orderBy('seq').limit(pageSize)
    if (after !== null) q = q.where('seq', '>', after)
    const page = await q.execute()
    yield* page
    if (page.length < pageSize) return
    after = page[page.length - 1].seq
  }
}

export async function countAuditRows(store: Store): Promise<number> {
  const {n} = await store.db.selectFrom('audit_log').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()
  return Number(n)
}

export interface AuditFilter {
  since?: string
  actor?: string
  action?: string
  limit?: number
}

/** Entries matching the filter, oldest first; `action` matches exactly or as a dotted prefix; `limit`: the newest N. */
export async function auditRows(store: Store, filter: AuditFilter): Promise<AuditRow[]> {
  let q = store.db.selectFrom('audit_log').selectAll().orderBy('seq')
  if (filter.since) q = q.where('at', '>=', filter.since)
  if (filter.actor) q = q.where('actor', '=', filter.actor)
  if (filter.action) {
    const action = filter.action
    // A prefix compare, not LIKE: the filter is taken literally, whatever characters or length it has.
    q = q.where((eb) => eb.or([eb('action', '=', action), eb(sql<string>`substr(action, 1, ${action.length + 1})`, '=', `${action}.`)]))
  }
  if (filter.limit) return (await q.clearOrderBy().orderBy('seq', 'desc').limit(filter.limit).execute()).reverse()
  return q.execute()
}

/**
 * The first entry about a record (the one that made it: the sweep or forget that made a disposal, the export
 * that made a batch) and its digest; undefined when the trail holds none.
 */
export async function sealingDigest(store: Store, recordType: string, recordId: string): Promise<{seq: number; digest: string | null} | undefined> {
  return store.db.selectFrom('audit_log').select(['seq', 'digest'])
    .where('record_type', '=', recordType).where('record_id', '=', recordId)
    .orderBy('seq').limit(1).executeTakeFirst()
}
