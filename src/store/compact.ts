import os from 'node:os'

import {inFlight} from './outputs.js'
import {type Store, sqliteOf} from './store.js'

/**
 * Compaction after a disposal: the destroyed rows' freed pages and their old images in the write-ahead log
 * must leave the store's files. A sweep marks the compaction pending in the same transaction that destroys
 * (markCompactionPending), so a crash or a full disk between COMMIT and VACUUM is known to the store: the
 * next command that opens it, or `custodian doctor`, finishes the job (finishPendingCompaction).
 */

const KEY = 'retention.compaction_pending'

export interface CompactionOutcome {
  compacted: boolean
  /** Why not, for people: another process held the log open, the disk is full, ... */
  reason?: string
}

/** Inside the disposal's transaction. */
export function markCompactionPending(store: Store, disposalId: string): void {
  const value = JSON.stringify({disposalId, pid: process.pid, host: os.hostname()})
  sqliteOf(store).prepare('INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value').run(KEY, value)
}

/**
 * Leaves no old page image behind: the WAL's frames go into the database file and the WAL is truncated, VACUUM
 * rewrites the file without free pages, and the WAL that VACUUM wrote is truncated in turn. Clears the pending
 * mark when every step succeeded.
 */
export function compactStore(store: Store): CompactionOutcome {
  const checkpoint = () => {
    const [r] = sqliteOf(store).pragma('wal_checkpoint(TRUNCATE)') as {busy: number}[]
    return r.busy === 0
  }
  try {
    const first = checkpoint()
    sqliteOf(store).exec('VACUUM')
    if (!(checkpoint() && first)) return {compacted: false, reason: 'another process kept the write-ahead log open'}
    sqliteOf(store).prepare('DELETE FROM settings WHERE key = ?').run(KEY)
    checkpoint()
    return {compacted: true}
  } catch (error) {
    const code = (error as {code?: string}).code
    if (code === 'SQLITE_BUSY') return {compacted: false, reason: 'another process was writing to the store'}
    if (code === 'SQLITE_FULL' || code === 'SQLITE_IOERR_WRITE' || code === 'ENOSPC') return {compacted: false, reason: 'the disk is full (rebuilding the store needs about its size in free space)'}
    return {compacted: false, reason: error instanceof Error ? error.message : String(error)}
  }
}

/** The disposal whose compaction is pending, or null. */
export function pendingCompaction(store: Store): {disposalId: string; inProgress: boolean} | null {
  const value = sqliteOf(store).prepare('SELECT value FROM settings WHERE key = ?').pluck().get(KEY) as string | undefined
  if (value === undefined) return null
  const mark = JSON.parse(value) as {disposalId: string; pid: number; host: string}
  return {disposalId: mark.disposalId, inProgress: inFlight(mark)}
}

/** Finishes a compaction a crashed (or starved) sweep left pending; null when none is. */
export function finishPendingCompaction(store: Store): (CompactionOutcome & {disposalId: string}) | null {
  const pending = pendingCompaction(store)
  if (!pending) return null
  if (pending.inProgress) return {disposalId: pending.disposalId, compacted: false, reason: 'the sweep that destroyed the records is still compacting'}
  return {disposalId: pending.disposalId, ...compactStore(store)}
}
