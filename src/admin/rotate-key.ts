import fs from 'node:fs'
import path from 'node:path'

import {appendAudit} from '../audit/chain.js'
import {type Operator, authorize} from '../auth/roles.js'
import {type Store, inTransaction} from '../store/index.js'
import {readKeyRing, rotatedRing, writeKeyRing} from '../store/keyfile.js'
import {crashPoint} from '../store/outputs.js'
import {keysForStore, resealStore, ssnKeysOf, sweepSealedBytes} from '../store/ssn-vault.js'

export interface RotateKeyResult {
  /** Employees whose SSN was sealed again under the new key. */
  rotated: number
  /** Payroll batches whose kept interchange file was sealed again. */
  batches: number
  keyFile: string
}

/**
 * `store rotate-key` (CLI.md, "SSNs at rest"): every SSN (employees, requests, SSN amendments; and every payroll batch's kept file) sealed again under a
 * new SSN key, keyed hashes computed again, and the key file replaced; the do-not-contact hash key is kept (those
 * hashes cannot be computed again). Crash safety: the new key file is written beside the old one
 * (`<keyFile>.new`, 0600, synced), the store re-sealed in one transaction that also records the new key's
 * fingerprint, then the new file renamed over the old. A crash before COMMIT leaves the old key and the old
 * ciphertexts (the `.new` file is ignored, and removed by the next rotation); a crash after it leaves the new
 * fingerprint in the store and `.new` beside the key file, which the next command that needs the key puts in
 * place (store/ssn-vault.ts keysForStore).
 */
export async function rotateKey(store: Store, operator: Operator, keyFile: string): Promise<RotateKeyResult> {
  authorize(operator, 'store.rotate-key')
  const needs = 'Rotating the key'
  const old = await keysForStore(store.db, keyFile, needs)
  const ring = readKeyRing(keyFile, needs)
  const pending = `${keyFile}.new`
  fs.rmSync(pending, {force: true})
  const next = rotatedRing(ring)
  writeKeyRing(pending, next)
  const keys = ssnKeysOf(next)
  let result: RotateKeyResult
  try {
    result = await inTransaction(store, async () => {
      const n = await resealStore(store, old, keys)
      await appendAudit(store, operator.name, {action: 'store.rotate-key', recordType: 'store', digest: `employees=${n.employees};batches=${n.batches};requests=${n.requests};amendments=${n.amendments}`})
      crashPoint('rotate-key:before-commit')
      return {rotated: n.employees, batches: n.batches, keyFile}
    })
  } catch (error) {
    fs.rmSync(pending, {force: true})
    throw error
  }
  crashPoint('rotate-key:after-commit')
  fs.renameSync(pending, keyFile)
  const dir = fs.openSync(path.dirname(keyFile), 'r')
  try {
    fs.fsyncSync(dir)
  } finally {
    fs.closeSync(dir)
  }
  // The ciphertexts under the old key leave the store's files too.
  await sweepSealedBytes(store)
  return result
}
