import os from 'node:os'

import {sql} from 'kysely'

import {inFlight} from './outputs.js'
import type {Store} from './store.js'

/**
 * Compaction after a disposal: the destroyed rows' bytes must leave the store's files. A sweep marks the
 * compaction pending in the same transaction that destroys (markCompactionPending), so a crash or a full disk
 * between COMMIT and the rewrite is known to the store: the next command that opens it, or `custodian
 * doctor`, finishes the job (finishPendingCompaction).
 *
 * - SQLite: the WAL's frames go into the database file and the WAL is truncated, VACUUM rewrites the file
 *   without free pages, and the WAL that VACUUM wrote is truncated in turn.
 * - PostgreSQL: the tables the sweep deleted from are rewritten (live rows only, into new files) and the
 *   server checkpoints, through custodian_rewrite_tables (store/postgres-disposal.ts). What the write-ahead
 *   log segments and backups still hold until they are recycled is the agency's to govern (README).
 */

const KEY = 'retention.compaction_pending'

export interface CompactionOutcome {
  compacted: boolean
  /** Why not, for people: another process held the log open, the disk is full, ... */
  reason?: string
}

interface Mark {
  disposalId: string
  pid: number
  host: string
  /** The tables the disposal deleted from (PostgreSQL rewrites only these). */
  tables?: string[]
}

/** Inside the disposal's transaction. */
export async function markCompactionPending(store: Store, disposalId: string, tables: readonly string[]): Promise<void> {
  const value = JSON.stringify({disposalId, pid: process.pid, host: os.hostname(), tables: [...tables]} satisfies Mark)
  await store.db.insertInto('settings').values({key: KEY, value}).onConflict((oc) => oc.column('key').doUpdateSet({value})).execute()
}

async function clearMark(store: Store): Promise<void> {
  await store.db.deleteFrom('settings').where('key', '=', KEY).execute()
}

/** Leaves no old page image of destroyed rows in the store's files; clears the pending mark when every step succeeded. */
export async function compactStore(store: Store): Promise<CompactionOutcome> {
  if (store.engine === 'postgres') {
    const mark = await readMark(store)
    try {
      await sql`SELECT custodian_rewrite_tables(${mark?.tables ?? []}::text[])`.execute(store.db)
      await clearMark(store)
      return {compacted: true}
    } catch (error) {
      return {compacted: false, reason: `the server did not rewrite the tables (${error instanceof Error ? error.message : String(error)})`}
    }
  }
  const db = store.sqlite
  const checkpoint = () => {
    const [r] = db.pragma('wal_checkpoint(TRUNCATE)') as {busy: number}[]
    return r.busy === 0
  }
  try {
    const first = checkpoint()
    db.exec('VACUUM')
    if (!(checkpoint() && first)) return {compacted: false, reason: 'another process kept the write-ahead log open'}
    await clearMark(store)
    checkpoint()
    return {compacted: true}
  } catch (error) {
    const code = (error as {code?: string}).code
    if (code === 'SQLITE_BUSY') return {compacted: false, reason: 'another process was writing to the store'}
    if (code === 'SQLITE_FULL' || code === 'SQLITE_IOERR_WRITE' || code === 'ENOSPC') return {compacted: false, reason: 'the disk is full (rebuilding the store needs about its size in free space)'}
    return {compacted: false, reason: error instanceof Error ? error.message : String(error)}
  }
}

async function readMark(store: Store): Promise<Mark | null> {
  const row = await store.db.selectFrom('settings').select('value').where('key', '=', KEY).executeTakeFirst()
  return row ? (JSON.parse(row.value) as Mark) : null
}

/** The disposal whose compaction is pending, or null. */
export async function pendingCompaction(store: Store): Promise<{disposalId: string; inProgress: boolean} | null> {
  const mark = await readMark(store)
  if (!mark) return null
  return {disposalId: mark.disposalId, inProgress: inFlight(mark)}
}

/** Finishes a compaction a crashed (or starved) sweep left pending; null when none is. */
export async function finishPendingCompaction(store: Store): Promise<(CompactionOutcome & {disposalId: string}) | null> {
  const pending = await pendingCompaction(store)
  if (!pending) return null
  if (pending.inProgress) return {disposalId: pending.disposalId, compacted: false, reason: 'the sweep that destroyed the records is still compacting'}
  return {disposalId: pending.disposalId, ...(await compactStore(store))}
}
