import Database from 'better-sqlite3'
import {parentPort} from 'node:worker_threads'

import {CustodianError} from '../errors.js'
import {BatchFile, type BrokenCard} from './batch-file.js'
import {EXPORT_CACHE_KB, sealedCardReader} from './export-sqlite-read.js'
import type {FileJob, FileMessage} from './file-worker.js'
import type {KeptChunk} from './sink.js'

/**
 * Worker thread of the SQLite export (file-worker.ts starts it): makes the batch's file while the main thread
 * posts the cards. It reads the pay period's certified cards and their lines on a read-only connection of its
 * own, in one read transaction begun after the export's write transaction: the store as the export found it
 * (the export holds the write lock, so no one commits in between, and its own writes are not seen here). Each
 * card's lines are checked against its seal; the file is written to its temp copy and its kept chunks are sent
 * to the main thread to store. The main thread ends the worker.
 */

const port = parentPort!
const post = (m: FileMessage) => port.postMessage(m)

async function make(job: FileJob): Promise<void> {
  let db: Database.Database | undefined
  let file: BatchFile | undefined
  try {
    db = new Database(job.store, {readonly: true, fileMustExist: true})
    db.pragma(`busy_timeout = ${job.busyTimeoutMs}`)
    db.pragma(`cache_size = ${EXPORT_CACHE_KB}`)
    db.exec('BEGIN')
    const reader = sealedCardReader(db)
    file = new BatchFile(job.header, job.format, job.tmp, job.out, {enc: Buffer.from(job.key)})
    const send = (chunks: KeptChunk[]) => {
      if (chunks.length > 0) post({kind: 'chunks', chunks})
    }
    const broken: BrokenCard[] = []
    for (const cards of reader.pages(job.payPeriod, job.orgPrefix)) {
      for (const card of cards) {
        const {lines, sealBroken} = reader.sealedLinesOf(card, job.payPeriod)
        if (sealBroken) broken.push({employeeId: card.employee_id, version: card.version})
        // Once a seal is broken nothing is exported: the rest is only looked at for broken seals.
        if (broken.length > 0) continue
        const correction = reader.previousExport(card, job.payPeriod) !== undefined
        if (file.add(card, lines, correction)) send(await file.take())
      }
    }
    db.exec('COMMIT')
    if (broken.length > 0) {
      file.close()
      post({kind: 'broken', cards: broken})
      return
    }
    const {chunks, ...made} = await file.end()
    send(chunks)
    post({kind: 'made', file: made})
  } catch (error) {
    file?.close()
    post({kind: 'error', error: error instanceof CustodianError
      ? {code: error.code, message: error.message, exit: error.exit, details: error.details}
      : {message: error instanceof Error ? error.message : String(error)}})
  } finally {
    db?.close()
  }
}

// One job per worker; it then waits to be ended (so nothing it sent is lost to an early exit).
port.on('message', (job: FileJob) => {
  void make(job)
})
