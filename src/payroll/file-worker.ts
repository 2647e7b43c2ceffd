import {WarmWorker, builtWorkerFile} from '../csv/worker-stream.js'
import type {PayrollFormat} from './batch-file.js'
import type {ExportMessage} from './export-cards.js'
import type {BatchHeader} from './nfc.js'

/**
 * The worker thread of the SQLite export (export-worker-sqlite.ts): it reads the cards, checks their seals and makes
 * the batch's file while the main thread writes what exporting them does. Started ahead of its work, so its
 * start-up overlaps the command's own; its messages (export-cards.ts) come with backpressure (worker-stream.ts).
 */

/** What the worker is given. */
export interface FileJob {
  /** The SQLite store's file: the worker reads it on a read-only connection of its own, in one read transaction. */
  store: string
  busyTimeoutMs: number
  payPeriod: string
  orgPrefix: string | null
  /** The pay-period anchor the leave year is counted from (timecards/service.ts payPeriodAnchor). */
  anchor: string | undefined
  header: BatchHeader
  format: PayrollFormat
  /** The SSN key (ssn-crypto.ts CipherKey.enc): the file carries SSNs, the kept chunks are sealed under it. */
  key: Uint8Array
}

/**
 * The worker's heap stays small (a page of cards and an employee's records at a time): peak RSS is a target of the
 * export, flat from 50,000 to 1,000,000 records. With a 16 MB young generation V8 let it grow to the full 16 MB
 * only on a long export (8 MB at 50,000 records): +8 MB of RSS from 50,000 records to 500,000 and more; at 8 MB
 * the export takes as long (within the machine's ±10%).
 */
const LIMITS = {maxYoungGenerationSizeMb: 8, maxOldGenerationSizeMb: 32}
const worker = new WarmWorker<ExportMessage, FileJob>(() => builtWorkerFile(import.meta.url, './export-worker-sqlite.js'), LIMITS)

/** Starts the worker while the command does its own start-up. */
export function warmUpFileWorker(): void {
  worker.warmUp()
}

/** The worker's messages for `job`: pages of cards to post and chunks as they are made, then the file made or the broken seals. */
export function fileMessages(job: FileJob): AsyncGenerator<ExportMessage> {
  return worker.messages(job)
}
