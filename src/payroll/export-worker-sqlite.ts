import Database from 'better-sqlite3'

import {workerSide} from '../csv/worker-stream.js'
import {bytesOut, exportCards} from './export-cards.js'
import {EXPORT_CACHE_KB, sealedCardReader} from './cards-sqlite.js'
import type {FileJob} from './file-worker.js'

/**
 * Worker thread of the SQLite export (file-worker.ts starts it): reads the pay period's certified cards and
 * their lines, checks their seals and formats the batch's file (export-cards.ts), sending the main thread the
 * cards to post and the file's bytes (which it writes, hashes and keeps), while the main thread writes. It reads on a read-only connection of its
 * own, in one read transaction begun after the export's write transaction began: the store as the export
 * found it (the export holds the write lock, so no one commits in between, and its own writes are not seen).
 */

const side = workerSide<FileJob>()
side.run(async () => {
  const job = side.data
  const db = new Database(job.store, {readonly: true, fileMustExist: true})
  try {
    db.pragma(`busy_timeout = ${job.busyTimeoutMs}`)
    db.pragma(`cache_size = ${EXPORT_CACHE_KB}`)
    db.exec('BEGIN')
    // The file's bytes go to the main thread, which writes, hashes and keeps them while this thread reads.
    const out = bytesOut((m) => side.send(m))
    for await (const message of exportCards(sealedCardReader(db), out, {...job, key: Buffer.from(job.key)})) side.send(message)
    db.exec('COMMIT')
  } finally {
    db.close()
  }
})
