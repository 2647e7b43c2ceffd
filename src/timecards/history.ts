import type BetterSqlite3 from 'better-sqlite3'
import {sql} from 'kysely'

import type {Store} from '../store/index.js'
import type {PostgresStore} from '../store/store.js'

/**
 * The one writer of timecard_history: every step of a card version (import, validate, certify, amend,
 * export) with who, when and what changed. Kysely for the use cases; prepared statements for SQLite hot
 * paths (the timesheet import, validate, payroll export), the same row either way.
 */

export type CardAction = 'import' | 'validate' | 'certify' | 'amend' | 'export'

export interface CardChange {
  field: string
  from: unknown
  to: unknown
}

export interface CardHistoryEntry {
  timecardId: number
  at: string
  actor: string
  action: CardAction
  version: number
  changes: readonly CardChange[]
  reason: string | null
}

const row = (e: CardHistoryEntry) => ({
  timecard_id: e.timecardId, at: e.at, actor: e.actor, action: e.action, version: e.version, changes: JSON.stringify(e.changes), reason: e.reason,
})

/** A status step, as validate, certify and export record it. */
export const statusChange = (from: string, to: string): CardChange => ({field: 'status', from, to})

export async function appendCardHistory(store: Store, entry: CardHistoryEntry): Promise<void> {
  await store.db.insertInto('timecard_history').values(row(entry)).execute()
}

/** For a SQLite hot path: one prepared statement, run once per entry inside the caller's transaction. */
export function cardHistoryWriter(db: BetterSqlite3.Database): (entry: CardHistoryEntry) => void {
  const insert = db.prepare('INSERT INTO timecard_history (timecard_id, at, actor, action, version, changes, reason) VALUES (?, ?, ?, ?, ?, ?, ?)')
  return (e) => {
    insert.run(e.timecardId, e.at, e.actor, e.action, e.version, JSON.stringify(e.changes), e.reason)
  }
}

/**
 * For a SQLite hot path (payroll export), set-wise: one entry per row of `source` (a table with seq, timecard_id
 * and version), in seq order, all with the same time, actor, action, changes and reason.
 */
export function cardHistorySetWriter(db: BetterSqlite3.Database, source: string): (entry: Omit<CardHistoryEntry, 'timecardId' | 'version'>) => void {
  const insert = db.prepare(`INSERT INTO timecard_history (timecard_id, at, actor, action, version, changes, reason)
    SELECT timecard_id, ?, ?, ?, version, ?, ? FROM ${source} ORDER BY seq`)
  return (e) => {
    insert.run(e.at, e.actor, e.action, JSON.stringify(e.changes), e.reason)
  }
}

/**
 * The timesheet import's entries, counted set-wise from the lines the import batch stored: one per card it
 * added lines to, in card order — each older card it touched (`oldCards`), then every card it made (ids above
 * `lastOldCard`) — never scanning the whole table.
 */
export function recordImportHistory(db: BetterSqlite3.Database, batch: {batchId: number; at: string; actor: string; oldCards: readonly number[]; lastOldCard: number}): void {
  const insert = (where: string) => db.prepare(`INSERT INTO timecard_history (timecard_id, at, actor, action, version, changes, reason)
      SELECT l.timecard_id, ?, ?, 'import', t.version, json_array(json_object('field', 'lines imported', 'from', NULL, 'to', count(*))), NULL
      FROM timecard_lines l JOIN timecards t ON t.id = l.timecard_id WHERE ${where} AND l.batch_id = ? GROUP BY l.timecard_id`)
  const old = insert('l.timecard_id = ?')
  for (const id of batch.oldCards) old.run(batch.at, batch.actor, id, batch.batchId)
  insert('l.timecard_id > ?').run(batch.at, batch.actor, batch.lastOldCard, batch.batchId)
}

/** Card history entries in one INSERT ... SELECT FROM unnest(...) per chunk (PostgreSQL hot paths). */
export async function insertCardHistory(store: PostgresStore, entries: readonly CardHistoryEntry[]): Promise<void> {
  for (let i = 0; i < entries.length; i += 5000) {
    const part = entries.slice(i, i + 5000)
    await sql`INSERT INTO timecard_history (timecard_id, at, actor, action, version, changes, reason)
      SELECT * FROM unnest(${part.map((e) => e.timecardId)}::int[], ${part.map((e) => e.at)}::text[], ${part.map((e) => e.actor)}::text[],
        ${part.map((e) => e.action)}::text[], ${part.map((e) => e.version)}::int[], ${part.map((e) => JSON.stringify(e.changes))}::text[], ${part.map((e) => e.reason)}::text[])`.execute(store.db)
  }
}
