import {may, type Operator} from '../auth/roles.js'
import {checksFailed} from '../errors.js'
import {batchById, batchSummaries} from '../payroll/queries.js'
import {keptDigest} from '../payroll/kept.js'
import {payrollBatch, timecard as timecardRecord} from '../records/types/index.js'
import {disposalById, disposalRows} from '../retention/queries.js'
import {brokenCardSeals, sealedCardCount} from '../timecards/seal.js'
import type {Store} from '../store/index.js'
import {ssnKeys} from '../store/ssn-vault.js'
import {sha256} from './chain.js'
import {sealingDigest} from './queries.js'

/**
 * Sealed records (CLI.md, "Disposition review, audit checkpoints, protected SSNs"): a record whose content was
 * fixed by a sha256 when it was made, checked whenever it is shown or written again and by `audit verify`.
 * Two things must hold: the content still hashes to the sha256 stored beside it (an edit of the content alone),
 * and that sha256 is the digest the audit entry that made the record recorded (an edit of content and sha256
 * together: the audit trail is chained, keyed and checkpointed, the record's own row is not).
 *
 * One entry per kind of sealed record, in SEALS below, all with one interface. Most are checked record by record
 * (recordSeal: their ids, and each one's digests). Timecards are sealed by a content digest at certification
 * (timecards/seal.ts) and checked set-wise by their own domain, at export and here: a pay period has tens of
 * thousands of them.
 */

/** A sealed record that no longer matches its seal. */
export interface SealBreak {
  kind: string
  id: string
  /** `content`: the content no longer hashes to the stored sha256; `audit`: the stored sha256 is not the one the audit trail recorded. */
  reason: 'content' | 'audit'
  recorded: string | null
  actual: string
  message: string
}

export interface Seal {
  /** The kind in `broken: [...]` of audit verify (certificate, batch, timecard). */
  kind: string
  /** For messages: "disposal certificate". */
  what: string
  /** Checks every sealed record of the kind (audit verify): how many were checked, and which no longer match. */
  checkAll(store: Store): Promise<{records: number; broken: SealBreak[]}>
  /**
   * Checks one record before it is shown or written again; null when it holds or does not exist. `withAudit`:
   * also against the digest the audit trail recorded. Set-wise kinds have none (export checks its cards itself).
   */
  checkOne?(store: Store, id: string, withAudit: boolean): Promise<SealBreak | null>
}

/** A kind sealed record by record: its content digest stored beside it, and recorded by the audit entry that made it. */
interface RecordSealSource {
  kind: string
  what: string
  /** The ids of every sealed record of this kind, in order. */
  ids(store: Store): Promise<string[]>
  /** The record's content digest now and the one stored beside it; undefined when there is no such record. */
  digests(store: Store, id: string): Promise<{stored: string; actual: string} | undefined>
  /** The record type of the audit entries about a record of this kind; the first one made it and recorded its digest. */
  auditRecordType: string
}

/** A Seal from its record-by-record source: checkOne compares the two digests, checkAll does so for every id. */
function recordSeal(source: RecordSealSource): Seal {
  const checkOne = (store: Store, id: string, withAudit: boolean) => checkRecord(store, source, id, withAudit)
  return {
    kind: source.kind,
    what: source.what,
    checkOne,
    async checkAll(store) {
      const ids = await source.ids(store)
      const broken: SealBreak[] = []
      for (const id of ids) {
        const b = await checkOne(store, id, true)
        if (b) broken.push(b)
      }
      return {records: ids.length, broken}
    },
  }
}

export const SEALS: readonly Seal[] = [
  {
    kind: timecardRecord.type,
    what: 'certified timecard',
    async checkAll(store) {
      const broken: SealBreak[] = (await brokenCardSeals(store)).map((c) => ({
        kind: timecardRecord.type, id: `${c.employeeId}:${c.payPeriod}:v${c.version}`, reason: 'content', recorded: null, actual: '',
        message: `the ${c.status} timecard of ${c.employeeId} for the pay period of ${c.payPeriod} (version ${c.version}) was changed after it was certified: its lines no longer match its seal`,
      }))
      return {records: (await sealedCardCount(store)) ?? broken.length, broken}
    },
  },
  recordSeal({
    kind: 'certificate',
    what: 'disposal certificate',
    async ids(store) {
      return (await disposalRows(store)).map((r) => r.disposal_id)
    },
    async digests(store, id) {
      const row = await disposalById(store, id)
      return row && {stored: row.sha256, actual: sha256(row.certificate)}
    },
    // Made by a sweep, or by a contact forgotten; shown since (retention.certificate) with the same digest.
    auditRecordType: 'disposal',
  }),
  recordSeal({
    kind: 'batch',
    what: 'payroll batch',
    async ids(store) {
      return (await batchSummaries(store)).map((r) => r.batch_id)
    },
    async digests(store, id) {
      const row = await batchById(store, id)
      if (!row) return undefined
      // The kept file carries SSNs: its chunks are sealed under the store's key (store/ssn-vault.ts), so checking
      // it needs the key (KEY_MISSING: not checked). A chunk that does not authenticate under the store's own key
      // was changed: it counts as its raw bytes, and the digest is not the recorded one (payroll/kept.ts).
      const actual = await keptDigest(store, row, () => ssnKeys(store, "Checking a payroll batch's seal (its kept file carries SSNs)"))
      return {stored: row.sha256, actual}
    },
    auditRecordType: payrollBatch.type, // made by payroll.export
  }),
]

export function sealOf(kind: string): Seal {
  const seal = SEALS.find((s) => s.kind === kind)
  if (!seal) throw new Error(`no seal of kind ${kind}`)
  return seal
}

/**
 * Checks one sealed record; null when it holds (or does not exist). `withAudit`: also against the digest the
 * audit trail recorded (on PostgreSQL only roles that may read the trail can).
 */
async function checkRecord(store: Store, seal: RecordSealSource, id: string, withAudit: boolean): Promise<SealBreak | null> {
  const d = await seal.digests(store, id)
  if (!d) return null
  if (d.actual !== d.stored) {
    return {kind: seal.kind, id, reason: 'content', recorded: d.stored, actual: d.actual, message: `${seal.what} ${id} was changed after it was sealed: its content hashes to ${d.actual.slice(0, 12)}…, not the recorded ${d.stored.slice(0, 12)}…`}
  }
  if (withAudit) {
    const entry = await sealingDigest(store, seal.auditRecordType, id)
    // A record the trail never recorded (an emptied trail) is the chain's finding, not this seal's.
    if (entry && entry.digest !== d.stored) {
      return {kind: seal.kind, id, reason: 'audit', recorded: entry.digest, actual: d.stored, message: `${seal.what} ${id} and its stored sha256 were changed together: audit entry ${entry.seq} recorded ${String(entry.digest).slice(0, 12)}…, the record now says ${d.stored.slice(0, 12)}…`}
    }
  }
  return null
}

/** Whether this operator's checks can include the audit trail's digest (on PostgreSQL the server withholds the trail from other roles). */
export function auditReadable(store: Store, operator: Operator): boolean {
  return store.engine === 'sqlite' || may(operator, 'audit.log')
}

/** Refuses (exit 3, SEAL_BROKEN) to show or write again a sealed record that no longer matches its seal. */
export async function assertSealed(store: Store, operator: Operator, kind: string, id: string): Promise<void> {
  const seal = sealOf(kind)
  if (!seal.checkOne) throw new Error(`${seal.what}s are checked set-wise, not one at a time`)
  const b = await seal.checkOne(store, id, auditReadable(store, operator))
  if (b) throw checksFailed('SEAL_BROKEN', `${b.message}. It is not shown or written as it is; run custodian audit verify, and restore the store from a backup.`, {kind: b.kind, id: b.id, reason: b.reason})
}

export interface SealReport {
  kind: string
  checked: boolean
  /** How many were checked; for a kind checked set-wise (timecards), how many of them were found broken. */
  records: number
  /** Why not checked (the server withholds these records' content from your role). */
  reason?: string
}

/** Every sealed record of every kind (audit verify): what was checked, and what no longer matches. */
export async function checkAllSeals(store: Store): Promise<{seals: SealReport[]; broken: SealBreak[]}> {
  const seals: SealReport[] = []
  const broken: SealBreak[] = []
  for (const seal of SEALS) {
    try {
      const found = await seal.checkAll(store)
      broken.push(...found.broken)
      seals.push({kind: seal.kind, checked: true, records: found.records})
    } catch (error) {
      // PostgreSQL: the server does not let this role read these records' content (a payroll file carries SSNs);
      // or the content is sealed under the store's key and this command has no key file.
      const code = (error as {code?: string}).code
      if (code !== '42501' && code !== 'KEY_MISSING') throw error
      seals.push({kind: seal.kind, checked: false, records: 0, reason: code === 'KEY_MISSING' ? `checking the ${seal.what}s needs the store's key (CUSTODIAN_KEY_FILE)` : `your role may not read the ${seal.what}s' content on this server`})
    }
  }
  return {seals, broken}
}
