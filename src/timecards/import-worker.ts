import Database from 'better-sqlite3'

import {workerSide} from '../csv/worker-stream.js'
import {type LineReaderOptions, lookupLineSource, readTimesheetLines, sqliteLineSource} from './import-lines.js'

// The worker thread of a timesheet import (see import-lines.ts): a read-only connection of its own to a
// SQLite store, or the lookups the main thread read from a PostgreSQL store.
const side = workerSide<LineReaderOptions>()
side.run(() => {
  if (side.data.lookups) {
    readTimesheetLines(lookupLineSource(side.data.lookups), side.data, side)
    return
  }
  const db = new Database(side.data.db, {readonly: true, fileMustExist: true})
  try {
    readTimesheetLines(sqliteLineSource(db, side.data.operator), side.data, side)
  } finally {
    db.close()
  }
})
