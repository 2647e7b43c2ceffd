import type BetterSqlite3 from 'better-sqlite3'
import type {Insertable} from 'kysely'

import type {Store} from '../store/index.js'
import type {DisclosureTable} from '../store/schema.js'

/**
 * The one writer of the accounting of disclosures (5 U.S.C. 552a(c)): date, nature and purpose of each
 * disclosure outside the agency and the recipient's name and address. `disclosures record` and payroll
 * export both account through here. Kysely for the use cases; a prepared writer for SQLite hot paths.
 */

export type DisclosureEntry = Omit<Insertable<DisclosureTable>, 'id'>

export async function accountDisclosure(store: Store, entry: DisclosureEntry): Promise<number> {
  const {id} = await store.db.insertInto('disclosures').values(entry).returning('id').executeTakeFirstOrThrow()
  return id
}

const COLUMNS = ['employee_ref', 'subject_employee_id', 'disclosed_on', 'recipient', 'address', 'purpose', 'routine_use', 'record_type', 'record_ref', 'created_by', 'created_at'] as const

/** For a SQLite hot path: one prepared statement, run once per entry inside the caller's transaction. */
export function disclosureWriter(db: BetterSqlite3.Database): (entry: DisclosureEntry) => void {
  const insert = db.prepare(`INSERT INTO disclosures (${COLUMNS.join(', ')}) VALUES (${COLUMNS.map(() => '?').join(', ')})`)
  return (entry) => {
    insert.run(COLUMNS.map((c) => entry[c] ?? null))
  }
}

/**
 * For a SQLite hot path (payroll export), set-wise: one disclosure per row of `source` (a table with seq,
 * employee_ref and employee_id, the subject), in seq order, all else the same.
 */
export function disclosureSetWriter(db: BetterSqlite3.Database, source: string): (entry: Omit<DisclosureEntry, 'employee_ref' | 'subject_employee_id'>) => void {
  const rest = COLUMNS.slice(2) as Exclude<(typeof COLUMNS)[number], 'employee_ref' | 'subject_employee_id'>[]
  const insert = db.prepare(`INSERT INTO disclosures (${COLUMNS.join(', ')}) SELECT employee_ref, employee_id, ${rest.map(() => '?').join(', ')} FROM ${source} ORDER BY seq`)
  return (entry) => {
    insert.run(rest.map((c) => entry[c] ?? null))
  }
}

/** For a hot path on either engine: many entries, a few hundred per INSERT. */
export async function accountDisclosures(store: Store, entries: readonly DisclosureEntry[]): Promise<void> {
  for (let i = 0; i < entries.length; i += 500) await store.db.insertInto('disclosures').values(entries.slice(i, i + 500)).execute()
}

/** The accounting of one subject (by employee_id), oldest first; only disclosures made on or before a date with `onOrBefore`. */
export async function disclosuresOf(store: Store, employeeId: string, opts: {onOrBefore?: string} = {}) {
  let q = store.db.selectFrom('disclosures').selectAll().where('subject_employee_id', '=', employeeId)
  if (opts.onOrBefore) q = q.where('disclosed_on', '<=', opts.onOrBefore)
  return q.orderBy('disclosed_on').orderBy('id').execute()
}
