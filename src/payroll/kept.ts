import {createHash} from 'node:crypto'
import zlib from 'node:zlib'

import type {Store} from '../store/index.js'
import {type SsnKeys, isSealedBytes, openBytes} from '../store/ssn-vault.js'
import {type BatchRow, batchChunks} from './queries.js'
import {batchBytes} from './sink.js'

/**
 * The file a batch kept for a byte-identical re-export, read back a piece at a time. Since migration 0020 it
 * is kept as numbered chunks (payroll_batch_chunks: each piece gzip-compressed, then sealed under the store's
 * SSN key) and payroll_batches.content is empty; a batch made before keeps its whole file in that column
 * (sealed gzip members since migration 0016, the bytes as they are before), read as it is.
 */

/** The file's bytes in order; KEY_MISSING (exit 4) when the key is not the one they were sealed under. */
export async function* keptFile(store: Store, row: Pick<BatchRow, 'id' | 'content'>, keys: SsnKeys): AsyncGenerator<Buffer> {
  const whole = Buffer.from(row.content)
  if (whole.length > 0) {
    yield batchBytes(openBytes(keys, whole))
    return
  }
  for await (const chunk of batchChunks(store, row.id)) yield zlib.gunzipSync(openBytes(keys, chunk.content))
}

/**
 * The sha256 of the kept file as it reads now, for its seal (audit/seals.ts). A piece that no longer opens
 * under the store's key (changed ciphertext) or no longer expands counts as its raw bytes, so the digest is
 * then not the recorded one. `keys` is asked for only when something sealed is there.
 */
export async function keptDigest(store: Store, row: Pick<BatchRow, 'id' | 'content'>, keys: () => Promise<SsnKeys>): Promise<string> {
  const hash = createHash('sha256')
  const add = async (bytes: Buffer, expand: (plain: Buffer) => Buffer) => {
    if (!isSealedBytes(bytes)) {
      try {
        hash.update(expand(bytes))
      } catch {
        hash.update(bytes)
      }
      return
    }
    const k = await keys()
    let plain: Buffer
    try {
      plain = expand(openBytes(k, bytes))
    } catch {
      hash.update(bytes)
      return
    }
    hash.update(plain)
  }
  const whole = Buffer.from(row.content)
  if (whole.length > 0) await add(whole, batchBytes)
  else for await (const chunk of batchChunks(store, row.id)) await add(chunk.content, (b) => zlib.gunzipSync(b))
  return hash.digest('hex')
}
