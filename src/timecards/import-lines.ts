import type BetterSqlite3 from 'better-sqlite3'

import {type Operator, inScope} from '../auth/roles.js'
import {isRealDate} from '../calendar/dates.js'
import {DEFAULT_ANCHOR, payPeriodStartOf} from '../calendar/payperiods.js'
import type {RowIssue} from '../imports/engine.js'
import {type EndMessage, type RecordBatch, newSlots, readRecordBatches, slotInts} from '../csv/record-batches.js'
import type {WorkerSide} from '../csv/worker-stream.js'
import {type HeaderMap, mapHeader, unneutralizeCell} from '../csv/read.js'
import {quoteValue} from '../text/redact.js'
import {TIMESHEET_COLUMNS, type TimesheetRow, checkTimesheetRow, parseQuarterHours, timesheetLineOk} from './checks.js'

/**
 * The first half of a timesheet import, which a worker thread runs while the main thread stores: read and
 * parse the file, check every line on its own (TS-* codes that need no timecard: the row checks, TS-EMPLOYEE,
 * TS-SCOPE) and pack the lines in batches, one per chunk of the file, into flat arrays that cross threads
 * cheaply. The main thread (import.ts) does the rest: cards, TS-LOCKED, TS-DUP-ROW, storing.
 */

/** Ints per line in LineBatch.ints. */
export const FIELDS = 7
/** Offsets in a line's FIELDS ints. */
export const F = {
  /** employees.id; 0: the line failed the checks (its issues are in LineBatch.issues). */
  employee: 0,
  /** Index in the date table of work_date, and of the start of its pay period. */
  date: 1,
  period: 2,
  /** Index in HeaderMessage.hourTypes. */
  type: 3,
  /** Hours in hundredths. */
  hours: 4,
  /** Where the line's record lies in LineBatch.text (to read its cells again for a rejects file). */
  start: 5,
  end: 6,
} as const

export interface HeaderMessage {
  kind: 'header'
  cells: string[]
  hourTypes: string[]
}

/** A batch of lines; its slot is where the shared ints hold its lines (see batchInts). */
export interface LineBatch extends RecordBatch {
  /** The upper-cased accounting codes of the lines that passed, in order, each followed by '\n'. */
  accounts: string
  /** Dates (work dates and period starts) to append to the table; after `resetDates` the table starts empty. */
  dates: string[]
  resetDates: boolean
  /** The issues of the lines that failed, in row order. */
  issues: RowIssue[]
}

export type LineMessage = HeaderMessage | LineBatch | EndMessage

export interface LineReaderOptions {
  file: string
  /** The store (opened read-only here: it reads employees, hour types and the pay-period anchor). */
  db: string
  /** What the checks need from the store, read by the main thread (a PostgreSQL store): then `db` is not opened. */
  lookups?: LineLookups
  ignoreUnknown: boolean
  /** Who imports: TS-SCOPE is checked against their org scope. */
  operator: Operator
  /** WINDOW slots of SLOT_LINES lines (FIELDS ints each) that the batches' ints use in turn (see worker-stream.ts). */
  ints: SharedArrayBuffer
}

/** The most lines in one batch. */
export const SLOT_LINES = 4096

/** The shared memory of LineReaderOptions.ints. */
export const newLineSlots = (): SharedArrayBuffer => newSlots(SLOT_LINES * FIELDS * 4)

/** The ints of a batch, where they lie in the shared slots. */
export const batchInts = (slots: SharedArrayBuffer, batch: LineBatch): Int32Array => slotInts(slots, batch.slot, batch.count * FIELDS)

const CACHE_LIMIT = 10_000
const DATE_TABLE_LIMIT = 4096

/** Employees remembered by the worker (~60 bytes each); then it starts over. */
const EMPLOYEE_CACHE = 200_000

/**
 * employee_id (upper-cased) → employees.id when in the operator's scope, its negative when outside it, 0 when
 * not in the store. Each employee is looked up once (files list an employee in several places: each pay
 * period, often) while the cache holds at most `limit` of them.
 */
export function employeeLookup(db: BetterSqlite3.Database, operator: Operator, limit = EMPLOYEE_CACHE): (id: string) => number {
  // Without a scope the org is not needed, and the unique index on employee_id alone answers.
  const query = db.prepare(`SELECT id, ${operator.orgPrefix === null ? "''" : 'org_code'} FROM employees WHERE employee_id = ?`).raw()
  const cache = new Map<string, number>()
  let lastId = ''
  let last = 0
  return (id) => {
    if (id === lastId) return last
    let ref = cache.get(id)
    if (ref === undefined) {
      const row = query.get(id) as [number, string] | undefined
      ref = row === undefined ? 0 : inScope(operator, row[1]) ? row[0] : -row[0]
      if (cache.size >= limit) cache.clear()
      cache.set(id, ref)
    }
    lastId = id
    last = ref
    return ref
  }
}

/** What the line checks need from the store. */
export interface LineLookups {
  /** Hour type codes, in code order. */
  hourTypes: string[]
  anchor: string
  /** employee_id (upper-cased) → employees.id, negative when outside the operator's scope. */
  employees: Map<string, number>
}

/** The checks' view of a SQLite store, read as the lines need it. */
export function sqliteLineSource(db: BetterSqlite3.Database, operator: Operator): {hourTypes: string[]; anchor: string; employee: (id: string) => number} {
  return {
    hourTypes: db.prepare('SELECT code FROM hour_types').pluck().all() as string[],
    anchor: (db.prepare("SELECT value FROM settings WHERE key = 'payperiod.anchor'").pluck().get() as string | undefined) ?? DEFAULT_ANCHOR,
    employee: employeeLookup(db, operator),
  }
}

/** The checks' view of lookups the main thread read. */
export function lookupLineSource(lookups: LineLookups): {hourTypes: string[]; anchor: string; employee: (id: string) => number} {
  return {hourTypes: lookups.hourTypes, anchor: lookups.anchor, employee: (id) => lookups.employees.get(id) ?? 0}
}

/** Reads, checks and packs the lines of a timesheet file, and hashes it, posting each message on `channel`. */
export function readTimesheetLines(source: {hourTypes: string[]; anchor: string; employee: (id: string) => number}, opts: LineReaderOptions, channel: Pick<WorkerSide<unknown>, 'acquire' | 'post'>): void {
  const {hourTypes, anchor, employee} = source
  const typeIndex = new Map(hourTypes.map((t, i) => [t, i]))
  const typeSet = new Set(hourTypes)
  /** work_date → the start of its pay period, or null when it is not a real date. */
  const periods = new Map<string, string | null>()
  const periodOf = (date: string): string | null => {
    let p = periods.get(date)
    if (p === undefined) {
      p = isRealDate(date) ? payPeriodStartOf(date, anchor) : null
      if (periods.size >= CACHE_LIMIT) periods.clear()
      periods.set(date, p)
    }
    return p
  }
  const hoursCache = new Map<string, number | null>()
  const hoursOf = (text: string): number | null => {
    let h = hoursCache.get(text)
    if (h === undefined) {
      h = parseQuarterHours(text)
      if (hoursCache.size >= CACHE_LIMIT) hoursCache.clear()
      hoursCache.set(text, h)
    }
    return h
  }
  const dateTable = new Map<string, number>()
  const dateIndex = (d: string): number => {
    let i = dateTable.get(d)
    if (i === undefined) {
      i = dateTable.size
      dateTable.set(d, i)
      batch.dates.push(d)
    }
    return i
  }

  let header: HeaderMap | undefined
  let col = {employee: 0, date: 0, type: 0, hours: 0, account: 0, period: -1}
  let ints = slotInts(opts.ints, 0, SLOT_LINES * FIELDS)
  let batch: LineBatch

  readRecordBatches<LineBatch>(opts.file, {
    maxCount: SLOT_LINES,
    header(cells) {
      header = mapHeader(cells, [...TIMESHEET_COLUMNS], opts.ignoreUnknown)
      const at = (name: string) => header!.index.get(name) ?? -1
      col = {employee: at('employee_id'), date: at('work_date'), type: at('hour_type'), hours: at('hours'), account: at('accounting_code'), period: at('pay_period_start')}
      return {kind: 'header', cells, hourTypes} satisfies HeaderMessage
    },
    batch(firstRow, slot) {
      const resetDates = dateTable.size > DATE_TABLE_LIMIT
      if (resetDates) dateTable.clear()
      batch = {kind: 'lines', text: '', firstRow, count: 0, slot, accounts: '', dates: [], resetDates, issues: [], bytes: 0}
      ints = slotInts(opts.ints, slot, SLOT_LINES * FIELDS)
      return batch
    },
    record(b, read, row, start, end) {
      const cells = header!.fromRejects ? read.map(unneutralizeCell) : read
      const o = b.count * FIELDS
      ints[o + F.start] = start
      ints[o + F.end] = end
      const id = cells[col.employee].trim().toUpperCase()
      const date = cells[col.date].trim()
      const type = cells[col.type].trim().toUpperCase()
      const hoursText = cells[col.hours].trim()
      const account = cells[col.account].trim().toUpperCase()
      const pps = col.period === -1 ? '' : cells[col.period].trim()
      const period = periodOf(date)
      const hours = hoursOf(hoursText)
      const typeAt = typeIndex.get(type)
      const e = id === '' ? 0 : employee(id)
      if (e > 0 && timesheetLineOk({period, hours, typeKnown: typeAt !== undefined, account, payPeriodStart: pps})) {
        ints[o + F.employee] = e
        ints[o + F.date] = dateIndex(date)
        ints[o + F.period] = dateIndex(period!) // timesheetLineOk: a real date's period, known type, valid hours
        ints[o + F.type] = typeAt!
        ints[o + F.hours] = hours!
        b.accounts += `${account}\n`
      } else {
        // The findings, as the checks word them (the same rules, so never empty here).
        const values: TimesheetRow = {employee_id: cells[col.employee].trim(), work_date: date, hour_type: cells[col.type].trim(), hours: hoursText, accounting_code: cells[col.account].trim(), pay_period_start: pps}
        for (const f of checkTimesheetRow(values, typeSet, anchor)) b.issues.push({row, ...f})
        if (id !== '' && e <= 0) {
          b.issues.push(e < 0
            ? {row, column: 'employee_id', code: 'TS-SCOPE', message: `employee ${quoteValue(id)} is outside your scope (${opts.operator.orgPrefix}).`}
            : {row, column: 'employee_id', code: 'TS-EMPLOYEE', message: `employee ${quoteValue(id)} is not in the store; import personnel first.`})
        }
        ints[o + F.employee] = 0
      }
    },
  }, channel)
}
