import Database from 'better-sqlite3'

import {workerSide} from '../csv/worker-stream.js'
import {sqliteLineTexts} from './card-lines-sqlite.js'
import {LINES_CHUNK} from './check-runs.js'
import type {CardLinesJob} from './card-lines-worker.js'
import {draftCardsQuery} from './draft-cards.js'

/**
 * Worker thread of the SQLite validate (card-lines-worker.ts starts it): reads the draft cards the main thread
 * reads, in the same order, and sends their lines a run (LINES_CHUNK cards) at a time. It reads on a read-only
 * connection of its own, in one read transaction begun after the validate's write transaction began and before
 * it wrote (it writes at the end): the cards and lines as the main thread sees them.
 */

const side = workerSide<CardLinesJob>()
side.run(() => {
  const {store, busyTimeoutMs, filter} = side.data
  const db = new Database(store, {readonly: true, fileMustExist: true})
  try {
    db.pragma(`busy_timeout = ${busyTimeoutMs}`)
    db.exec('BEGIN')
    const {text, params} = draftCardsQuery(filter, () => '?', '', 'c.id')
    const ids = db.prepare(text).pluck().all(...params) as number[]
    const textsOf = sqliteLineTexts(db)
    for (let at = 0; at < ids.length; at += LINES_CHUNK) {
      const run = ids.slice(at, at + LINES_CHUNK)
      side.send({ids: run, texts: textsOf(run)})
    }
    db.exec('COMMIT')
  } finally {
    db.close()
  }
})
