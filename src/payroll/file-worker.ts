import {type ResourceLimits, Worker} from 'node:worker_threads'

import {builtWorkerFile} from '../csv/worker-stream.js'
import {CustodianError, ExitCode} from '../errors.js'
import type {BrokenCard, MadeFile, PayrollFormat} from './batch-file.js'
import type {BatchHeader} from './nfc.js'
import type {KeptChunk} from './sink.js'

/**
 * The main thread's side of the SQLite export's worker (export-worker.ts): the worker makes the batch's file
 * while this thread posts the cards. It is started ahead of its work, so that its start-up overlaps the
 * command's own, and given its work once the batch is open; the chunks of the kept file it sends are stored as
 * they come (on this thread's turns of the event loop: the service yields to it every few cards).
 */

/** What the worker is given. */
export interface FileJob {
  /** The SQLite store's file: the worker reads it on a connection of its own, in one read transaction. */
  store: string
  busyTimeoutMs: number
  payPeriod: string
  orgPrefix: string | null
  header: BatchHeader
  format: PayrollFormat
  /** The file's temp copy (the worker creates it, 0600) and the file as the user named it (for errors). */
  tmp: string
  out: string
  /** The SSN key (ssn-crypto.ts CipherKey.enc): the file carries SSNs, the kept chunks are sealed under it. */
  key: Uint8Array
}

/** What the worker sends: chunks as they are made, then the file made, the cards whose seals broke, or why it failed. */
export type FileMessage =
  | {kind: 'chunks'; chunks: KeptChunk[]}
  | {kind: 'made'; file: MadeFile}
  | {kind: 'broken'; cards: BrokenCard[]}
  | {kind: 'error'; error: {code?: string; message: string; exit?: number; details?: Record<string, unknown>}}

/** The worker's heap stays small (it holds a page of cards and an employee's records at a time); peak RSS is a target of the export. */
const LIMITS: ResourceLimits = {maxYoungGenerationSizeMb: 16, maxOldGenerationSizeMb: 32}

const failed = (message: string) => new CustodianError('WORKER_FAILED', `The export's worker thread failed: ${message}; nothing was exported.`, ExitCode.internal)

export class FileWorker {
  private readonly worker: Worker
  private failure: string | undefined

  constructor() {
    this.worker = new Worker(builtWorkerFile(import.meta.url, './export-worker.js'), {resourceLimits: LIMITS})
    this.worker.unref()
    this.worker.on('error', (error) => {
      this.failure ??= error instanceof Error ? error.message : String(error)
    })
    this.worker.on('exit', (code) => {
      this.failure ??= `it stopped (exit code ${code}) before it finished`
    })
  }

  /**
   * Gives the worker its work. `keep` stores chunks as they come, in order. Resolves once the file is made and
   * every chunk kept, with the file's totals, or with the cards whose seals broke (then no file is made).
   */
  make(job: FileJob, keep: (chunks: KeptChunk[]) => Promise<void>): Promise<{file: MadeFile} | {broken: BrokenCard[]}> {
    return new Promise((resolve, reject) => {
      if (this.failure) {
        reject(failed(this.failure))
        return
      }
      let keeping = Promise.resolve()
      const fail = (error: unknown) => {
        this.worker.removeAllListeners('message')
        reject(error)
      }
      this.worker.removeAllListeners('error')
      this.worker.removeAllListeners('exit')
      this.worker.on('error', (error) => fail(failed(error instanceof Error ? error.message : String(error))))
      this.worker.on('exit', (code) => fail(failed(`it stopped (exit code ${code}) before it finished`)))
      this.worker.on('message', (m: FileMessage) => {
        switch (m.kind) {
          case 'chunks': {
            // Structured cloning gives Uint8Arrays; the store's statements take Buffers.
            const chunks = m.chunks.map((c) => ({seq: c.seq, content: Buffer.from(c.content.buffer, c.content.byteOffset, c.content.byteLength)}))
            keeping = keeping.then(() => keep(chunks))
            keeping.catch(() => undefined) // handled where it is awaited (made), or the export failed already
            break
          }
          case 'made':
            keeping.then(() => resolve({file: m.file}), fail)
            break
          case 'broken':
            resolve({broken: m.cards})
            break
          case 'error': {
            const e = m.error
            fail(e.code && e.exit !== undefined ? new CustodianError(e.code, e.message, e.exit as ExitCode, e.details ?? {}) : failed(e.message))
            break
          }
        }
      })
      this.worker.ref()
      this.worker.postMessage(job)
    })
  }

  /** Ends the worker (done, failed or never given work). */
  async stop(): Promise<void> {
    this.worker.removeAllListeners()
    this.worker.on('error', () => undefined)
    await this.worker.terminate()
  }
}
