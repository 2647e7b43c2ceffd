import fs from 'node:fs'

import {type Operator, authorize} from '../auth/roles.js'
import {appendAudit} from '../audit/chain.js'
import {finishPendingCompaction} from '../store/compact.js'
import {type Store, inTransaction} from '../store/index.js'
import {type RecoveredOutputs, recoverOutputs, removeTemp, strayTemps} from '../store/outputs.js'

export interface DoctorResult {
  db: string
  /** PRAGMA quick_check: "ok", or SQLite's first findings. */
  integrity: string
  /** The store file's permission bits, e.g. "0600". */
  mode: string | null
  /** What opening the store already finished (files put in place, temps removed, a compaction). */
  notices: string[]
  /** Outputs of crashed commands found now (another process may have crashed since the store was opened). */
  outputs: RecoveredOutputs
  /** Temp files by custodian's naming patterns, in the folders it has written to, that no command owns: removed. */
  strayTempFiles: string[]
  compaction: {pending: boolean; disposalId: string | null; compacted: boolean; reason: string | null}
  /** What is still wrong and needs a person. */
  problems: string[]
}

/**
 * The files beside the store and the store itself, checked and mended: outputs of crashed commands finished
 * or removed, stray temp files (which may hold personal data) removed, a pending compaction after a disposal
 * finished, permissions and integrity reported.
 */
export async function runDoctor(store: Store, operator: Operator): Promise<DoctorResult> {
  authorize(operator, 'store.doctor')
  const outputs = await recoverOutputs(store)
  const strayTempFiles = await strayTemps(store)
  for (const p of strayTempFiles) removeTemp(p)
  const finished = await finishPendingCompaction(store)
  const problems: string[] = []
  // The server keeps its own files whole and private; SQLite's file is checked here.
  let integrity = 'ok'
  let mode: string | null = null
  if (store.engine === 'sqlite') {
    integrity = (store.sqlite.pragma('quick_check', {simple: false}) as {quick_check: string}[]).map((r) => r.quick_check).slice(0, 10).join('; ')
    mode = (fs.statSync(store.path).mode & 0o777).toString(8).padStart(4, '0')
    if (integrity !== 'ok') problems.push(`SQLite's integrity check found: ${integrity}`)
    if (mode !== '0600' && mode !== '0400') problems.push(`the store has mode ${mode}; run: chmod 600 ${store.path}`)
  }
  if (finished && !finished.compacted) problems.push(`the compaction after disposal ${finished.disposalId} is still pending: ${finished.reason}`)
  for (const f of outputs.failed) problems.push(`${f.target} could not be put in place: ${f.reason}`)
  for (const t of outputs.inProgress) problems.push(`${t} is still being written by another process (or one on another machine); run doctor again when it has finished`)
  await inTransaction(store, () => appendAudit(store, operator.name, {
    action: 'store.doctor', recordType: 'store',
    digest: `finished=${outputs.finished.length};removed=${outputs.removed.length + strayTempFiles.length};problems=${problems.length}`,
  }))
  return {
    db: store.path, integrity, mode, notices: store.notices, outputs, strayTempFiles,
    compaction: {pending: finished !== null && !finished.compacted, disposalId: finished?.disposalId ?? null, compacted: finished?.compacted ?? false, reason: finished?.reason ?? null},
    problems,
  }
}
