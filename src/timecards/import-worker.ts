import Database from 'better-sqlite3'

import {workerSide} from '../csv/worker-stream.js'
import {type LineReaderOptions, readTimesheetLines} from './import-lines.js'

// The worker thread of a timesheet import (see import-lines.ts): a read-only connection of its own.
const side = workerSide<LineReaderOptions>()
side.run(() => {
  const db = new Database(side.data.db, {readonly: true, fileMustExist: true})
  try {
    readTimesheetLines(db, side.data, side)
  } finally {
    db.close()
  }
})
