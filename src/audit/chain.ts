import {createHash} from 'node:crypto'

import type {RecordType} from '../records/registry.js'
import {type Store, getSetting, inTransaction, putSetting} from '../store/index.js'
import {type AuditFilter, appendAuditRowPostgres, auditRows, auditRowsInOrder, countAuditRows, insertAuditRow, lastAuditRow} from './queries.js'

/**
 * The tamper-evident audit trail. Each entry holds only action, actor, time, record type, a surrogate id
 * and a digest: never names, SSNs or values (those live in the record's own history rows, which are
 * destroyed with the record). Each entry's hash covers its content and the previous entry's hash; the
 * head (last seq and hash) is kept in settings so a removed tail is detected too.
 */
/** What an audit entry is about: a record type of the registry, or one of the store's own things. */
export type AuditSubject = RecordType | 'closure_day' | 'disposal' | 'hold' | 'import_batch' | 'operator' | 'report' | 'retention_schedule' | 'routine_use' | 'setting' | 'store' | 'system'

export interface AuditInput {
  action: string
  recordType?: AuditSubject | null
  recordId?: string | number | null
  digest?: string | null
}

export interface AuditEntry {
  seq: number
  at: string
  actor: string
  action: string
  recordType: string | null
  recordId: string | null
  digest: string | null
  prevHash: string
  hash: string
}

export const GENESIS_HASH = '0'.repeat(64)
const HEAD_KEY = 'audit.head'

export function entryHash(e: Omit<AuditEntry, 'hash'>): string {
  const content = JSON.stringify([e.seq, e.at, e.actor, e.action, e.recordType, e.recordId, e.digest, e.prevHash])
  return createHash('sha256').update(content).digest('hex')
}

export function sha256(data: string | Buffer): string {
  return createHash('sha256').update(data).digest('hex')
}

/**
 * Records a refused command (role, scope or unknown operator). A refusal must be audited even when the store is
 * busy with another writer, so it waits through several busy timeouts, for up to ten minutes; false when it
 * could not be written in that time.
 */
export async function auditRefusal(store: Store, actor: string, action: string, digest: string | null, deadlineMs = 600_000): Promise<boolean> {
  const until = Date.now() + deadlineMs
  for (;;) {
    try {
      await inTransaction(store, () => appendAudit(store, actor, {action: `denied:${action}`, digest}))
      return true
    } catch (error) {
      const code = (error as {code?: string}).code
      // SQLite's busy timeout, or PostgreSQL's lock_timeout on the store's write lock.
      if (code !== 'SQLITE_BUSY' && code !== '55P03') throw error
      if (Date.now() >= until) return false
      await new Promise((resolve) => setTimeout(resolve, 50))
    }
  }
}

/** Appends one entry. Call it inside the transaction of the change it records. */
export async function appendAudit(store: Store, actor: string, input: AuditInput, at = new Date().toISOString()): Promise<AuditEntry> {
  // An entry outside a transaction could be written without the change it records, or race another writer
  // for the same seq (atproto's assertTransaction).
  if (!store.inTransaction()) throw new Error('appendAudit must run inside the transaction of the change it records')
  const recordId = input.recordId === undefined || input.recordId === null ? null : String(input.recordId)
  if (store.engine === 'postgres') {
    // The server appends it (its function computes the same chain) under the login, which on PostgreSQL is the
    // operator: `actor` is that login, and the server does not take it from us.
    return toEntry(await appendAuditRowPostgres(store, {action: input.action, record_type: input.recordType ?? null, record_id: recordId, digest: input.digest ?? null, at}))
  }
  const last = await lastAuditRow(store)
  const base = {
    seq: (last?.seq ?? 0) + 1,
    at,
    actor,
    action: input.action,
    recordType: input.recordType ?? null,
    recordId,
    digest: input.digest ?? null,
    prevHash: last?.hash ?? GENESIS_HASH,
  }
  const entry: AuditEntry = {...base, hash: entryHash(base)}
  await insertAuditRow(store, {
    seq: entry.seq, at: entry.at, actor: entry.actor, action: entry.action, record_type: entry.recordType,
    record_id: entry.recordId, digest: entry.digest, prev_hash: entry.prevHash, hash: entry.hash,
  })
  await putSetting(store, HEAD_KEY, JSON.stringify({seq: entry.seq, hash: entry.hash}))
  return entry
}

export interface VerifyResult {
  entries: number
  ok: boolean
  firstBadSeq: number | null
}

interface Row {
  seq: number; at: string; actor: string; action: string; record_type: string | null; record_id: string | null
  digest: string | null; prev_hash: string; hash: string
}

export function toEntry(r: Row): AuditEntry {
  return {
    seq: r.seq, at: r.at, actor: r.actor, action: r.action, recordType: r.record_type, recordId: r.record_id,
    digest: r.digest, prevHash: r.prev_hash, hash: r.hash,
  }
}

/** Walks the chain in seq order with constant memory; names the first entry that does not verify. */
export async function verifyChain(store: Store): Promise<VerifyResult> {
  let entries = 0
  let prevHash = GENESIS_HASH
  let expectedSeq = 1
  let firstBadSeq: number | null = null
  for await (const row of auditRowsInOrder(store)) {
    entries++
    const e = toEntry(row)
    const contentOk = entryHash(e) === e.hash
    const linkOk = e.prevHash === prevHash && e.seq === expectedSeq
    if (!contentOk || !linkOk) {
      firstBadSeq = e.seq
      break
    }
    prevHash = e.hash
    expectedSeq++
  }
  if (firstBadSeq !== null) return {entries: await countAuditRows(store), ok: false, firstBadSeq}
  const head = await getSetting(store, HEAD_KEY)
  if (head) {
    const {seq, hash} = JSON.parse(head) as {seq: number; hash: string}
    if (seq !== expectedSeq - 1 || hash !== prevHash) {
      // Entries after the last one present were removed (or the head itself was altered).
      return {entries, ok: false, firstBadSeq: Math.min(seq, expectedSeq)}
    }
  } else if (entries > 0) {
    return {entries, ok: false, firstBadSeq: expectedSeq - 1}
  }
  return {entries, ok: true, firstBadSeq: null}
}


export type {AuditFilter} from './queries.js'

export async function listAudit(store: Store, filter: AuditFilter): Promise<AuditEntry[]> {
  return (await auditRows(store, filter)).map(toEntry)
}
