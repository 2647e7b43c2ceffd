import {createHash} from 'node:crypto'
import fs from 'node:fs'
import zlib from 'node:zlib'

/**
 * Where a payroll batch's bytes go as they are made: the interchange file's temp copy (created 0600, never
 * replacing a file, fsynced at the end), the file's sha256, and the copy the store keeps for a byte-identical
 * re-export, as numbered chunks (payroll_batch_chunks, migration 0020): text is gathered up to chunkBytes(),
 * written to the file, then gzip-compressed (on the thread pool, while the next text is made) and sealed (the
 * file carries SSNs) as one chunk, which the caller stores as soon as it is ready (take()). Neither the file
 * nor its compressed copy is ever held whole.
 */

/** Plain bytes per chunk: 1 MiB (a fixed-width batch compresses about 20:1). CUSTODIAN_BATCH_CHUNK_BYTES sets it (tests: many chunks from a small pay period). */
export function chunkBytes(): number {
  const set = Number(process.env.CUSTODIAN_BATCH_CHUNK_BYTES)
  return Number.isInteger(set) && set >= 1 ? set : 1 << 20
}

/** A batch's content as the store kept it in one column before migration 0020: gzip members, or, before, the bytes as they are. */
export function batchBytes(content: Buffer): Buffer {
  return content.length >= 2 && content[0] === 0x1f && content[1] === 0x8b ? zlib.gunzipSync(content) : content
}

/** A kept chunk, as payroll_batch_chunks holds it. */
export interface KeptChunk {
  seq: number
  content: Buffer
}

/** Chunks being compressed at once at most before take() waits (memory: a chunk's bytes each). */
const MAX_IN_FLIGHT = 2

interface Pending {
  chunk: KeptChunk | undefined
  error: unknown
  done: Promise<void>
}

export class BatchSink {
  private readonly fd: number
  private readonly hash = createHash('sha256')
  private readonly limit = chunkBytes()
  /**
   * The chunk being gathered, as bytes in one buffer allocated once (the text of the writer's pieces copied in):
   * pieces kept as strings until a chunk was full outlived the young generation and piled up in the old one,
   * which was most of the export's memory.
   */
  private readonly gathered = Buffer.allocUnsafeSlow(this.limit + (64 << 10))
  private length = 0
  private ready: KeptChunk[] = []
  private readonly pending: Pending[] = []
  private readonly spares: Buffer[] = []
  private seq = 0
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
    if (text.length === 0) return
    const room = this.gathered.length - this.length
    // At most 3 bytes per UTF-16 unit: only a piece that might not fit is measured.
    if (text.length * 3 > room && Buffer.byteLength(text, 'utf8') > room) {
      this.flush()
      if (Buffer.byteLength(text, 'utf8') > this.gathered.length) {
        this.chunk(Buffer.from(text, 'utf8')) // larger than a chunk's buffer: a chunk of its own
        return
      }
    }
    this.length += this.gathered.write(text, this.length, 'utf8')
    if (this.length >= this.limit) this.flush()
  }

  /** Bytes of the file made elsewhere (the SQLite export's worker formats them): written as they are, as a chunk. */
  writeBytes(bytes: Buffer): void {
    this.flush()
    if (bytes.length > 0) this.chunk(bytes)
  }

  private flush(): void {
    if (this.length === 0) return
    const bytes = this.gathered.subarray(0, this.length)
    this.length = 0
    this.chunk(bytes)
  }

  /**
   * Bytes of the file, in order: written and hashed here, then compressed on libuv's thread pool (the
   * export's other core) and sealed as the next chunk. The bytes are copied: the gathering buffer is reused.
   */
  private chunk(bytes: Buffer): void {
    try {
      for (let at = 0; at < bytes.length;) at += fs.writeSync(this.fd, bytes, at)
    } catch (error) {
      throw this.fail(error)
    }
    this.hash.update(bytes)
    const seq = this.seq++
    const whole = this.spare(bytes.length)
    const copy = whole.subarray(0, bytes.copy(whole))
    const pending: Pending = {chunk: undefined, error: undefined, done: undefined as unknown as Promise<void>}
    pending.done = new Promise<void>((resolve) => {
      zlib.gzip(copy, {level: 1}, (error, compressed) => {
        this.spares.push(whole)
        try {
          if (error) throw error
          pending.chunk = {seq, content: this.seal(compressed)}
        } catch (failure) {
          pending.error = failure
        }
        resolve()
      })
    })
    this.pending.push(pending)
  }

  /**
   * A buffer for a chunk's copy, one an earlier chunk gave back when there is one (allocated once each: a fresh
   * megabyte per chunk is memory the collector gives back late).
   */
  private spare(length: number): Buffer {
    const i = this.spares.findIndex((b) => b.length >= length)
    return i >= 0 ? this.spares.splice(i, 1)[0] : Buffer.allocUnsafeSlow(Math.max(length, this.gathered.length))
  }

  /**
   * The chunks made since the last call, in order, for the caller to store now (so they are not all held):
   * those already compressed, after waiting while more than a few are still being compressed.
   */
  async take(): Promise<KeptChunk[]> {
    while (this.pending.length > MAX_IN_FLIGHT) await this.pending[0].done.then(() => this.settle())
    this.settle()
    const chunks = this.ready
    this.ready = []
    return chunks
  }

  /** Moves the compressed chunks at the front of the queue to ready (a failure to compress or seal is thrown). */
  private settle(): void {
    while (this.pending.length > 0 && (this.pending[0].chunk !== undefined || this.pending[0].error !== undefined)) {
      const {chunk, error} = this.pending.shift()!
      if (error !== undefined) throw error
      this.ready.push(chunk!)
    }
  }

  /** Writes what is left, makes the file durable, and gives its sha256 and the last chunks to store. */
  async finish(): Promise<{sha256: string; chunks: KeptChunk[]}> {
    this.flush()
    try {
      fs.fsyncSync(this.fd)
    } catch (error) {
      throw this.fail(error)
    } finally {
      this.close()
    }
    await Promise.all(this.pending.map((p) => p.done))
    this.settle()
    const chunks = this.ready
    this.ready = []
    return {sha256: this.hash.digest('hex'), chunks}
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
