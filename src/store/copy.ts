import fs from 'node:fs'

import {type Database, tableColumns} from './schema.js'
import type {Store} from './store.js'

/**
 * The mechanics of `store copy`: every table of one store into another, row by row in key order with
 * constant memory (a cursor on the source, inserts of a few thousand rows on the target), from one snapshot
 * of the source. The caller holds the target's write transaction and does the rest (who may, the audit).
 */

/** What a copy leaves out: the source machine's own files in flight, not records. */
const LEFT_OUT: ReadonlySet<keyof Database> = new Set(['file_outputs', 'output_folders'])

/** The tables a copy moves, parents before children (the order of the schema). */
export const COPIED_TABLES = (Object.keys(tableColumns) as (keyof Database)[]).filter((t) => !LEFT_OUT.has(t))

const PAGE = 2000
/** Bound parameters per INSERT (SQLite's limit is 32,766; PostgreSQL's 65,535). */
const PARAMS = 30_000

/** A SQLite path is new or empty; a PostgreSQL target is checked once migrated (it may hold only the schema). */
export function fileTargetIsFree(file: string): boolean {
  try {
    return fs.statSync(file).size === 0
  } catch {
    return true
  }
}

/** Whether a store holds anything beyond what migrations put in it (an operator, an audit entry, a row of records). */
export async function holdsData(store: Store): Promise<boolean> {
  for (const table of ['operators', 'audit_log', 'employees', 'requests', 'import_batches'] as const) {
    const row = await store.db.selectFrom(table).select((eb) => eb.lit(1).as('one')).limit(1).executeTakeFirst()
    if (row) return true
  }
  return false
}

/** Reads a table of the source in pages, all from the snapshot `snapshot` opened. */
async function* pages(from: Store, table: string, columns: string[]): AsyncGenerator<Record<string, unknown>[]> {
  const list = columns.map((c) => `"${c}"`).join(', ')
  if (from.engine === 'sqlite') {
    let page: Record<string, unknown>[] = []
    for (const row of from.sqlite.prepare(`SELECT ${list} FROM "${table}"`).iterate() as IterableIterator<Record<string, unknown>>) {
      page.push(row)
      if (page.length === PAGE) {
        yield page
        page = []
      }
    }
    if (page.length > 0) yield page
    return
  }
  await from.pool.query(`DECLARE copy_rows NO SCROLL CURSOR FOR SELECT ${list} FROM "${table}"`)
  try {
    for (;;) {
      const {rows} = await from.pool.query(`FETCH ${PAGE} FROM copy_rows`)
      if (rows.length === 0) break
      yield rows
    }
  } finally {
    await from.pool.query('CLOSE copy_rows')
  }
}

/** Opens one read snapshot of the source for every table the copy reads. */
async function snapshot(from: Store): Promise<() => Promise<void>> {
  if (from.engine === 'sqlite') {
    from.sqlite.exec('BEGIN')
    from.sqlite.prepare('SELECT 1 FROM settings LIMIT 1').get() // the snapshot starts at the first read
    return async () => void from.sqlite.exec('COMMIT')
  }
  await from.pool.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY')
  return async () => void (await from.pool.query('COMMIT'))
}

/**
 * Copies every table (COPIED_TABLES) of `from` into `to`, inside the caller's transaction on `to`: what
 * migrations put in the target (code tables, schedules, settings) is replaced by the source's. Returns the
 * rows copied per table.
 */
export async function copyTables(from: Store, to: Store): Promise<Record<string, number>> {
  const counts: Record<string, number> = {}
  for (const table of [...COPIED_TABLES].reverse()) await to.db.deleteFrom(table).execute()
  const done = await snapshot(from)
  try {
    for (const table of COPIED_TABLES) {
      const columns = Object.keys(tableColumns[table])
      const perInsert = Math.max(1, Math.floor(PARAMS / columns.length))
      let n = 0
      for await (const page of pages(from, table, columns)) {
        for (let i = 0; i < page.length; i += perInsert) await to.db.insertInto(table).values(page.slice(i, i + perInsert) as never).execute()
        n += page.length
      }
      counts[table] = n
    }
  } finally {
    await done()
  }
  if (to.engine === 'postgres') {
    // Identity columns go on from the highest id copied, as SQLite's AUTOINCREMENT does by itself.
    for (const table of COPIED_TABLES) {
      if (!('id' in tableColumns[table])) continue
      // Only a surrogate id has a sequence (systems.id is a natural key, text).
      const {rows: [{seq}]} = await to.pool.query<{seq: string | null}>(`SELECT pg_get_serial_sequence($1, 'id') AS seq`, [table])
      if (seq === null) continue
      await to.pool.query(`SELECT setval($1, coalesce((SELECT max(id) FROM "${table}"), 0) + 1, false)`, [seq])
    }
  }
  return counts
}
