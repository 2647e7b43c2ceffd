import {createHash} from 'node:crypto'
import fs from 'node:fs'
import zlib from 'node:zlib'

/**
 * Where a payroll batch's bytes go as they are made: the interchange file's temp copy (created 0600, never
 * replacing a file, fsynced at the end), the file's sha256, and the copy the store keeps for a byte-identical
 * re-export, as numbered chunks (payroll_batch_chunks, migration 0021): text is gathered up to CHUNK_BYTES,
 * written to the file, then gzip-compressed and sealed (the file carries SSNs) as one chunk, which the caller
 * stores before the next ones are made (take()). Neither the file nor its compressed copy is ever held whole.
 */

/** Plain bytes per chunk: 1 MiB (a fixed-width batch compresses about 20:1). CUSTODIAN_BATCH_CHUNK_BYTES sets it (tests: many chunks from a small pay period). */
export function chunkBytes(): number {
  const set = Number(process.env.CUSTODIAN_BATCH_CHUNK_BYTES)
  return Number.isInteger(set) && set >= 1 ? set : 1 << 20
}

/** A batch's content as the store kept it in one column before migration 0021: gzip members, or, before, the bytes as they are. */
export function batchBytes(content: Buffer): Buffer {
  return content.length >= 2 && content[0] === 0x1f && content[1] === 0x8b ? zlib.gunzipSync(content) : content
}

/** A kept chunk, as payroll_batch_chunks holds it. */
export interface KeptChunk {
  seq: number
  content: Buffer
}

export class BatchSink {
  private readonly fd: number
  private readonly hash = createHash('sha256')
  private readonly limit = chunkBytes()
  private ready: KeptChunk[] = []
  private seq = 0
  private pending: string[] = []
  private pendingLength = 0
  private closed = false

  /** `seal`: what makes a compressed chunk fit to keep (ssn-vault's sealBytes under the store's key). */
  constructor(file: string, private readonly fail: (error: unknown) => Error, private readonly seal: (bytes: Buffer) => Buffer) {
    try {
      this.fd = fs.openSync(file, 'wx', 0o600)
    } catch (error) {
      throw fail(error)
    }
  }

  write(text: string): void {
    this.pending.push(text)
    this.pendingLength += text.length
    if (this.pendingLength >= this.limit) this.flush()
  }

  private flush(): void {
    if (this.pendingLength === 0) return
    const bytes = Buffer.from(this.pending.join(''), 'utf8')
    this.pending = []
    this.pendingLength = 0
    try {
      fs.writeSync(this.fd, bytes)
    } catch (error) {
      throw this.fail(error)
    }
    this.hash.update(bytes)
    this.ready.push({seq: this.seq++, content: this.seal(zlib.gzipSync(bytes, {level: 1}))})
  }

  /** The chunks made since the last call, for the caller to store now (so they are not all held). */
  take(): KeptChunk[] {
    const chunks = this.ready
    this.ready = []
    return chunks
  }

  /** Writes what is left, makes the file durable, and gives its sha256 and the last chunks to store. */
  finish(): {sha256: string; chunks: KeptChunk[]} {
    this.flush()
    try {
      fs.fsyncSync(this.fd)
    } catch (error) {
      throw this.fail(error)
    } finally {
      this.close()
    }
    return {sha256: this.hash.digest('hex'), chunks: this.take()}
  }

  /** Closes the file (the caller discards it) after a failure. */
  close(): void {
    if (this.closed) return
    this.closed = true
    fs.closeSync(this.fd)
  }
}

/** Writes pieces to a new file (0600, never replacing one) as they come, fsynced before it is closed. */
export async function writeStreamed(file: string, pieces: AsyncIterable<Buffer>): Promise<void> {
  const fd = fs.openSync(file, 'wx', 0o600)
  try {
    for await (const piece of pieces) {
      for (let at = 0; at < piece.length;) at += fs.writeSync(fd, piece, at)
    }
    fs.fsyncSync(fd)
  } finally {
    fs.closeSync(fd)
  }
}
