import {createHash} from 'node:crypto'
import fs from 'node:fs'

import {CsvParser} from './parse.js'
import {Utf8Text} from './read.js'
import {WINDOW, type WorkerSide} from './worker-stream.js'

/**
 * The reading half of an import that a worker thread runs while the main thread stores (the timesheet and
 * sign-in imports): read the file in chunks, hash and parse it, and pack its records in batches, one per
 * chunk of the file at most, that the kind fills as it checks each record. A batch's records all lie in one
 * text (`text`, between the offsets the kind keeps), so the main thread can read a record's cells again
 * (for a rejects file) without the worker sending them.
 */

/** What every batch of records carries; a kind adds what its lines need. */
export interface RecordBatch {
  kind: 'lines'
  /** The text the records lie in. */
  text: string
  /** Row number of the first record (the header is row 0). */
  firstRow: number
  count: number
  /** Which of the worker-stream's WINDOW places the batch has (slot n % WINDOW: e.g. of shared memory). */
  slot: number
  /** Bytes of the file read for this batch. */
  bytes: number
}

/** The last message: the file's SHA-256, of the bytes read, and bytes read since the last batch. */
export interface EndMessage {
  kind: 'end'
  sha256: string
  bytes: number
}

export interface BatchPacker<B extends RecordBatch> {
  /** The most records in one batch. */
  maxCount: number
  /** The header record (row 0): the message posted before any batch. */
  header(cells: string[]): unknown
  /** An empty batch whose first record is row `firstRow`, in slot `slot`. */
  batch(firstRow: number, slot: number): B
  /** Packs a record as the batch's `batch.count`-th (the count is incremented after); start and end: where it lies in the text. */
  record(batch: B, cells: string[], row: number, start: number, end: number): void
}

/** Shared memory of WINDOW slots of `bytes` bytes each (a multiple of 8): batch n may use slot n % WINDOW (RecordBatch.slot). */
export const newSlots = (bytes: number): SharedArrayBuffer => new SharedArrayBuffer(WINDOW * bytes)

/** The first `length` ints of a slot of `slots`. */
export const slotInts = (slots: SharedArrayBuffer, slot: number, length: number): Int32Array =>
  new Int32Array(slots, slot * (slots.byteLength / WINDOW), length)

/** The first `length` doubles of a slot of `slots`. */
export const slotDoubles = (slots: SharedArrayBuffer, slot: number, length: number): Float64Array =>
  new Float64Array(slots, slot * (slots.byteLength / WINDOW), length)

const CHUNK_BYTES = 1 << 16

/** Reads `file` through `packer`, posting the header, each batch and the end on `channel`. */
export function readRecordBatches<B extends RecordBatch>(file: string, packer: BatchPacker<B>, channel: Pick<WorkerSide<unknown>, 'acquire' | 'post'>): void {
  let header = false
  let row = 0
  let sent = 0
  let acquired = false
  let batch = packer.batch(1, 0)

  const sink = (cells: string[], text: string, start: number, end: number) => {
    if (!header) {
      const message = packer.header(cells)
      header = true
      channel.acquire()
      channel.post(message)
      row = 1
      return
    }
    if (batch.count === packer.maxCount) flush(0)
    if (batch.count === 0) {
      // The batch's slot is free once the main thread is less than WINDOW batches behind.
      if (!acquired) channel.acquire()
      acquired = true
      batch.text = text
    }
    packer.record(batch, cells, row, start, end)
    batch.count++
    row++
  }

  const flush = (bytes: number) => {
    batch.bytes += bytes
    if (batch.count === 0) return // no record yet (the header, or a record longer than a chunk): bytes wait
    if (!acquired) channel.acquire()
    channel.post(batch)
    acquired = false
    sent++
    batch = packer.batch(row, sent % WINDOW)
  }

  const parser = new CsvParser(sink)
  const utf8 = new Utf8Text(file)
  const hash = createHash('sha256')
  const fd = fs.openSync(file, 'r')
  try {
    const buf = Buffer.allocUnsafe(CHUNK_BYTES)
    for (;;) {
      const n = fs.readSync(fd, buf, 0, CHUNK_BYTES, null)
      if (n === 0) break
      hash.update(buf.subarray(0, n))
      parser.push(utf8.decode(buf.subarray(0, n)))
      flush(n)
    }
    parser.push(utf8.end())
    flush(0) // every batch's records lie in one text: the parser's last text is another one
    parser.end()
    flush(0)
  } finally {
    fs.closeSync(fd)
  }
  channel.acquire()
  channel.post({kind: 'end', sha256: hash.digest('hex'), bytes: batch.bytes} satisfies EndMessage)
}
