import {createHash} from 'node:crypto'
import fs from 'node:fs'
import zlib from 'node:zlib'

/**
 * Where a payroll batch's bytes go as they are made: the interchange file's temp copy (created 0600, never
 * replacing a file, fsynced at the end), the file's sha256, and the copy the store keeps for a byte-identical
 * re-export, gzip-compressed a piece at a time (one gzip member per piece; a fixed-width batch compresses
 * about 20:1). Text is gathered up to PIECE bytes and written then, so the whole file is never held.
 */
const PIECE = 1 << 20

/** A batch's content as the store keeps it: gzip members (a re-export expands them), or, before, the bytes as they are. */
export function batchBytes(content: Buffer): Buffer {
  return content.length >= 2 && content[0] === 0x1f && content[1] === 0x8b ? zlib.gunzipSync(content) : content
}

export class BatchSink {
  private readonly fd: number
  private readonly hash = createHash('sha256')
  private readonly kept: Buffer[] = []
  private pending: string[] = []
  private pendingLength = 0
  private closed = false

  constructor(file: string, private readonly fail: (error: unknown) => Error) {
    try {
      this.fd = fs.openSync(file, 'wx', 0o600)
    } catch (error) {
      throw fail(error)
    }
  }

  write(text: string): void {
    this.pending.push(text)
    this.pendingLength += text.length
    if (this.pendingLength >= PIECE) this.flush()
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
    this.kept.push(zlib.gzipSync(bytes, {level: 1}))
  }

  /** Writes what is left, makes the file durable, and gives its sha256 and the content the store keeps. */
  finish(): {sha256: string; content: Buffer} {
    this.flush()
    try {
      fs.fsyncSync(this.fd)
    } catch (error) {
      throw this.fail(error)
    } finally {
      this.close()
    }
    return {sha256: this.hash.digest('hex'), content: Buffer.concat(this.kept)}
  }

  /** Closes the file (the caller discards it) after a failure. */
  close(): void {
    if (this.closed) return
    this.closed = true
    fs.closeSync(this.fd)
  }
}
