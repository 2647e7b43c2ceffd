import fs from 'node:fs'

import {type Operator, authorize} from '../auth/roles.js'
import {checksFailed, notFound, usage} from '../errors.js'
import {type Store, inTransaction} from '../store/index.js'
import {prepareOutput, writeDurable} from '../store/outputs.js'
import {type Broken, type Checkpoint, type VerifyResult, appendAudit, verifyChain} from './chain.js'
import {countAuditRows} from './queries.js'
import {type SealBreak, type SealReport, checkAllSeals} from './seals.js'

/**
 * `audit verify` and `audit checkpoint`: the chain (start, seq, hashes, links, head), its MACs when the key is
 * readable, a checkpoint kept outside the store, and every sealed record (audit/seals.ts).
 */

export interface AuditVerifyReport extends Omit<VerifyResult, 'broken'> {
  /** The sealed records checked, kind by kind. */
  seals: SealReport[]
  /** What failed: the chain's findings, then sealed records that no longer match ({kind: 'certificate' | 'batch', id, reason, ...}). */
  broken: (Broken | SealBreak)[]
}

const HEX64 = /^[0-9a-f]{64}$/

/** Reads a checkpoint file (`audit checkpoint --out`): missing is exit 5, not a checkpoint exit 2. */
export function readCheckpoint(file: string): Checkpoint {
  let text: string
  try {
    text = fs.readFileSync(file, 'utf8')
  } catch {
    throw notFound('FILE_NOT_FOUND', `Checkpoint file not found: ${file}`, {file})
  }
  const invalid = (why: string) => usage(`${file} is not an audit checkpoint (${why}); give a file written by: custodian audit checkpoint --out <file>`, {file})
  let doc: unknown
  try {
    doc = JSON.parse(text)
  } catch {
    throw invalid('not JSON')
  }
  const c = doc as Partial<Checkpoint> | null
  if (!c || typeof c !== 'object') throw invalid('not a JSON object')
  if (!Number.isSafeInteger(c.seq) || (c.seq as number) < 1) throw invalid('seq is not a positive whole number')
  if (typeof c.head !== 'string' || !HEX64.test(c.head)) throw invalid('head is not a sha256 in hex')
  if (typeof c.at !== 'string') throw invalid('at is missing')
  if (!Number.isSafeInteger(c.entries) || (c.entries as number) < 0) throw invalid('entries is not a whole number')
  return {seq: c.seq as number, head: c.head, at: c.at, entries: c.entries as number}
}

export async function verifyAudit(store: Store, operator: Operator, opts: {checkpoint?: string} = {}): Promise<AuditVerifyReport> {
  authorize(operator, 'audit.verify')
  const checkpoint = opts.checkpoint === undefined ? undefined : readCheckpoint(opts.checkpoint)
  const chain = await verifyChain(store, {checkpoint})
  const {seals, broken} = await checkAllSeals(store)
  const all = [...chain.broken, ...broken]
  return {...chain, ok: all.length === 0, broken: all, seals}
}

/**
 * Records a checkpoint: an `audit.checkpoint` entry is appended and the chain's head is then that entry, so the
 * checkpoint covers its own making. A chain that does not verify gets none (exit 3): a checkpoint of a broken
 * chain would vouch for it. With `out`, the same document goes to that file (0600, temp + rename, never the store).
 */
export async function takeCheckpoint(store: Store, operator: Operator, out?: string): Promise<Checkpoint> {
  authorize(operator, 'audit.checkpoint')
  const before = await verifyChain(store)
  if (!before.ok) {
    throw checksFailed('AUDIT_CHAIN_BROKEN', `The audit chain does not verify (${before.broken[0].message}), so no checkpoint was taken. Run: custodian audit verify`, {firstBadSeq: before.firstBadSeq})
  }
  const output = out ? await prepareOutput(store, out, {label: '--out', kind: 'file', replace: true, purpose: 'audit.checkpoint'}) : undefined
  try {
    const cp = await inTransaction(store, async () => {
      const entry = await appendAudit(store, operator.name, {action: 'audit.checkpoint', recordType: 'store'})
      const doc: Checkpoint = {seq: entry.seq, head: entry.hash, at: entry.at, entries: await countAuditRows(store)}
      if (output) {
        writeDurable(output.tmp, `${JSON.stringify(doc, null, 2)}\n`)
        await output.commitWith()
      }
      return doc
    })
    await output?.publish()
    return cp
  } catch (error) {
    await output?.discard()
    throw error
  }
}
