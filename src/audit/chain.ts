import {createHash} from 'node:crypto'
import os from 'node:os'

import type {RecordType} from '../records/registry.js'
import {type Store, getSetting, inTransaction, putSetting} from '../store/index.js'
import {keyedHash, storeHashKeyIfAny} from '../store/keyfile.js'
import {type AuditFilter, type AuditRow, appendAuditRowPostgres, auditRows, auditRowsInOrder, countAuditRows, insertAuditRow, lastAuditRow} from './queries.js'

/**
 * The tamper-evident audit trail. Each entry holds only action, actor, time, record type, a surrogate id
 * and a digest: never names, SSNs or values (those live in the record's own history rows, which are
 * destroyed with the record). Each entry's hash covers its content and the previous entry's hash; the
 * head (last seq and hash) is kept in settings so a removed tail is detected too.
 *
 * Three defences, each against what the others cannot stop (README, "Audit trail: what each defence stops"):
 * - the SHA-256 chain: an entry changed, removed or moved by someone who does not recompute the chain;
 * - the keyed chain: each entry also carries `mac`, an HMAC of its hash under the store's key (kept outside
 *   the store, store/keyfile.ts), written when the command could read the key. A chain recomputed by someone
 *   without the key no longer matches its MACs, and an entry appended without the key carries none;
 * - checkpoints (`audit checkpoint`, kept outside the store): a truncated, emptied or recomputed chain no
 *   longer holds the checkpoint's entry with the checkpoint's hash.
 * A store whose key is missing still opens and still audits (entries without a MAC); `audit verify` with the
 * key then reports them. Without the key, verify checks the chain only and says the MACs were not checked.
 */
/** What an audit entry is about: a record type of the registry, or one of the store's own things. */
export type AuditSubject = RecordType | 'closure_day' | 'disposal' | 'disposal_review' | 'hold' | 'import_batch' | 'operator' | 'report' | 'retention_schedule' | 'routine_use' | 'setting' | 'store' | 'system'

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
  /** The OS account that ran the command (SQLite); null on PostgreSQL, where `actor` is the server's login. */
  osUser: string | null
  /** Whether the entry carries a MAC under the store's key. */
  keyed: boolean
}

export const GENESIS_HASH = '0'.repeat(64)
const HEAD_KEY = 'audit.head'
/** The keyedHash kind of an entry's MAC. */
const MAC_KIND = 'audit'

type Hashed = Pick<AuditEntry, 'seq' | 'at' | 'actor' | 'action' | 'recordType' | 'recordId' | 'digest' | 'prevHash'> & {osUser?: string | null}

/**
 * An entry's chain hash: sha256 of JSON.stringify([seq, at, actor, action, recordType, recordId, digest, prevHash]),
 * with osUser as a ninth element when the entry records one (entries before migration 0015, and every entry
 * on PostgreSQL, have none: their hash is computed as it always was).
 */
export function entryHash(e: Hashed): string {
  const fields: unknown[] = [e.seq, e.at, e.actor, e.action, e.recordType, e.recordId, e.digest, e.prevHash]
  if (e.osUser !== null && e.osUser !== undefined) fields.push(e.osUser)
  return createHash('sha256').update(JSON.stringify(fields)).digest('hex')
}

/** An entry's MAC: HMAC-SHA-256 of its chain hash under the store's key (which the hash chains to every entry before it). */
export function entryMac(key: Buffer, hash: string): string {
  return keyedHash(key, MAC_KIND, hash)
}

export function sha256(data: string | Buffer): string {
  return createHash('sha256').update(data).digest('hex')
}

/** The store's key when this process can read its key file; null otherwise (never an error: auditing never needs the key). */
export const auditKey = (store: Store): Buffer | null => storeHashKeyIfAny(store)

/** The OS account running this process (os.userInfo()); null when the system cannot say. */
export function currentOsUser(): string | null {
  try {
    return os.userInfo().username
  } catch {
    return null
  }
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
  const theKey = auditKey(store)
  if (store.engine === 'postgres') {
    // The server appends it (its function computes the same chain) under the login, which on PostgreSQL is the
    // operator: `actor` is that login, and the server does not take it from us. The MAC is ours: the server
    // never sees the key, so we compute the hash the server will compute (same seq, prev hash and login, under
    // the write lock this transaction holds) and hand it the MAC of that hash.
    let mac: string | null = null
    if (theKey) {
      const head = await getSetting(store, HEAD_KEY)
      const last = head ? (JSON.parse(head) as {seq: number; hash: string}) : null
      const hash = entryHash({
        seq: (last?.seq ?? 0) + 1, at, actor: store.login, action: input.action, recordType: input.recordType ?? null, recordId,
        digest: input.digest ?? null, prevHash: last?.hash ?? GENESIS_HASH,
      })
      mac = entryMac(theKey, hash)
    }
    return toEntry(await appendAuditRowPostgres(store, {action: input.action, record_type: input.recordType ?? null, record_id: recordId, digest: input.digest ?? null, at, mac}))
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
    osUser: currentOsUser(),
  }
  const hash = entryHash(base)
  const row: AuditRow = {
    seq: base.seq, at: base.at, actor: base.actor, action: base.action, record_type: base.recordType,
    record_id: base.recordId, digest: base.digest, prev_hash: base.prevHash, hash, os_user: base.osUser,
    mac: theKey ? entryMac(theKey, hash) : null,
  }
  await insertAuditRow(store, row)
  await putSetting(store, HEAD_KEY, JSON.stringify({seq: row.seq, hash}))
  return toEntry(row)
}

export function toEntry(r: AuditRow): AuditEntry {
  return {
    seq: r.seq, at: r.at, actor: r.actor, action: r.action, recordType: r.record_type, recordId: r.record_id,
    digest: r.digest, prevHash: r.prev_hash, hash: r.hash, osUser: r.os_user ?? null, keyed: r.mac !== null && r.mac !== undefined,
  }
}

/** One thing `audit verify` found wrong in the chain or against a checkpoint (sealed records: audit/seals.ts). */
export type Broken =
  | {kind: 'empty'; message: string}
  | {kind: 'start'; seq: number; message: string}
  | {kind: 'gap'; seq: number; expectedSeq: number; message: string}
  | {kind: 'entry'; seq: number; message: string}
  | {kind: 'link'; seq: number; message: string}
  | {kind: 'head'; seq: number; message: string}
  | {kind: 'mac'; seq: number; message: string}
  | {kind: 'unkeyed'; fromSeq: number; toSeq: number; message: string}
  | {kind: 'checkpoint'; seq: number; message: string}

/** What the MAC check did: not done without the key; otherwise how many entries carry a MAC and how many none. */
export interface MacCheck {
  checked: boolean
  keyed: number
  unkeyed: number
}

/** A checkpoint: the chain's head at a moment, kept outside the store (`audit checkpoint`). */
export interface Checkpoint {
  seq: number
  head: string
  at: string
  entries: number
}

export interface CheckpointCheck extends Checkpoint {
  /** Whether the chain still holds entry `seq` with hash `head`. */
  held: boolean
}

export interface VerifyResult {
  entries: number
  ok: boolean
  /** The first entry that does not verify (content, link, seq, MAC or checkpoint); null when the chain holds. */
  firstBadSeq: number | null
  mac: MacCheck
  checkpoint: CheckpointCheck | null
  broken: Broken[]
}

export interface VerifyOptions {
  /** Check MACs under this key (default: the process's key when readable; null: do not check them). */
  key?: Buffer | null
  checkpoint?: Checkpoint
}

/**
 * Walks the chain in seq order with constant memory. The chain starts at seq 1 with `store.init`, has no gap in
 * seq, every entry's hash covers its content and links to the one before, and the head setting names the last
 * entry. With the key: every MAC present matches, and entries without one may only come before the first keyed
 * entry (a store's entries from before keyed auditing, vouched for by the first MAC since it chains them); an
 * entry without a MAC after a keyed one, or a trail whose last entry has none, is reported (written without the
 * key, or the chain rewritten by someone without it). With a checkpoint: its entry is still there with its hash.
 */
export async function verifyChain(store: Store, opts: VerifyOptions = {}): Promise<VerifyResult> {
  const theKey = opts.key === undefined ? auditKey(store) : opts.key
  const cp = opts.checkpoint
  const broken: Broken[] = []
  let entries = 0
  let prevHash = GENESIS_HASH
  let expectedSeq = 1
  let firstBadSeq: number | null = null
  let chainBroken = false
  const mac: MacCheck = {checked: theKey !== null, keyed: 0, unkeyed: 0}
  let sawKeyed = false
  let unkeyedRun: {from: number; to: number} | null = null
  let cpSeen: boolean | null = cp ? false : null
  let cpHeld = false
  const bad = (seq: number) => {
    if (firstBadSeq === null || seq < firstBadSeq) firstBadSeq = seq
  }
  const flushUnkeyed = () => {
    if (unkeyedRun && sawKeyed) {
      broken.push({kind: 'unkeyed', fromSeq: unkeyedRun.from, toSeq: unkeyedRun.to, message: `entries ${unkeyedRun.from}..${unkeyedRun.to} carry no MAC under the store's key: written by a command that could not read the key, or rewritten by someone without it`})
      bad(unkeyedRun.from)
    }
    unkeyedRun = null
  }
  for await (const row of auditRowsInOrder(store)) {
    entries++
    if (cp && row.seq === cp.seq) {
      cpSeen = true
      cpHeld = row.hash === cp.head
    }
    if (chainBroken) continue // counted, not checked: one break makes every later link meaningless
    const e = toEntry(row)
    if (entries === 1 && (e.seq !== 1 || e.action !== 'store.init')) {
      broken.push({kind: 'start', seq: e.seq, message: `the chain starts at entry ${e.seq} (${e.action}), not at entry 1, store.init: its beginning was removed or replaced`})
      bad(1)
      chainBroken = true
      continue
    }
    if (e.seq !== expectedSeq) {
      broken.push({kind: 'gap', seq: e.seq, expectedSeq, message: `entry ${expectedSeq} is missing: the chain goes from ${expectedSeq - 1} to ${e.seq}`})
      bad(e.seq)
      chainBroken = true
      continue
    }
    if (entryHash(e) !== e.hash) {
      broken.push({kind: 'entry', seq: e.seq, message: `entry ${e.seq} was altered: its content does not match its hash`})
      bad(e.seq)
      chainBroken = true
      continue
    }
    if (e.prevHash !== prevHash) {
      broken.push({kind: 'link', seq: e.seq, message: `entry ${e.seq} does not link to the entry before it: that one was altered, removed or reordered`})
      bad(e.seq)
      chainBroken = true
      continue
    }
    if (theKey) {
      if (row.mac === null || row.mac === undefined) {
        mac.unkeyed++
        unkeyedRun = unkeyedRun ? {from: unkeyedRun.from, to: e.seq} : {from: e.seq, to: e.seq}
      } else {
        mac.keyed++
        flushUnkeyed()
        sawKeyed = true
        if (row.mac !== entryMac(theKey, e.hash)) {
          broken.push({kind: 'mac', seq: e.seq, message: `entry ${e.seq}'s MAC does not match under the store's key: the chain was recomputed, or the entry altered, by someone without the key`})
          bad(e.seq)
        }
      }
    }
    prevHash = e.hash
    expectedSeq++
  }
  if (!chainBroken) {
    if (theKey && unkeyedRun) {
      const run: {from: number; to: number} = unkeyedRun
      if (sawKeyed) {
        flushUnkeyed()
      } else {
        broken.push({kind: 'unkeyed', fromSeq: run.from, toSeq: run.to, message: `no entry carries a MAC under the store's key (entries ${run.from}..${run.to}): written before keyed auditing or without the key, or the chain rewritten without it; the next command run with the key vouches for them`})
        bad(run.to)
      }
    }
    if (entries === 0) {
      broken.push({kind: 'empty', message: 'the audit trail is empty, but every store begins with its store.init entry: the trail was emptied'})
      bad(1)
    }
    const head = await getSetting(store, HEAD_KEY)
    if (head) {
      const {seq, hash} = JSON.parse(head) as {seq: number; hash: string}
      if (seq !== expectedSeq - 1 || hash !== prevHash) {
        broken.push({kind: 'head', seq: Math.min(seq, expectedSeq), message: `the chain's head names entry ${seq}, but the chain ends at ${expectedSeq - 1}: entries after the last one present were removed (or the head altered)`})
        bad(Math.min(seq, expectedSeq))
      }
    } else if (entries > 0) {
      broken.push({kind: 'head', seq: expectedSeq - 1, message: 'the chain\'s head is missing from the store\'s settings'})
      bad(expectedSeq - 1)
    }
  }
  let checkpoint: CheckpointCheck | null = null
  if (cp) {
    const held = cpSeen === true && cpHeld
    checkpoint = {...cp, held}
    if (!held) {
      broken.push({kind: 'checkpoint', seq: cp.seq, message: cpSeen
        ? `entry ${cp.seq} no longer has the hash the checkpoint of ${cp.at} recorded: the chain was rewritten (recomputed after an edit) since`
        : `the chain no longer holds entry ${cp.seq}, which the checkpoint of ${cp.at} recorded: entries were removed (truncated or emptied) since`})
      bad(cp.seq)
    }
  }
  return {entries, ok: broken.length === 0, firstBadSeq, mac, checkpoint, broken}
}

/** The chain's head now, for a checkpoint: the last entry's seq and hash, and how many entries there are. */
export async function chainHead(store: Store): Promise<{seq: number; head: string; entries: number}> {
  const last = await lastAuditRow(store)
  return {seq: last?.seq ?? 0, head: last?.hash ?? GENESIS_HASH, entries: await countAuditRows(store)}
}

export type {AuditFilter} from './queries.js'

export async function listAudit(store: Store, filter: AuditFilter): Promise<AuditEntry[]> {
  return (await auditRows(store, filter)).map(toEntry)
}
