import type {Operator} from '../auth/roles.js'
import type {ImportContext, RowIssue, RowTally, StreamKind} from '../imports/engine.js'
import {insertChunk} from '../imports/chunks.js'
import {parseRecord} from '../csv/parse.js'
import {mapHeader} from '../csv/read.js'
import {lineMessages, warmUpLineWorker} from './line-worker.js'
import type {Store} from '../store/index.js'
import {TIMESHEET_COLUMNS} from './checks.js'
import {cardHistoryWriter, recordImportHistory, statusChange} from './history.js'
import {F, FIELDS, type HeaderMessage, type LineBatch, type LineReaderOptions, batchInts, newLineSlots} from './import-lines.js'
import {sqliteOf} from '../store/store.js'

interface CardRef {
  id: number
  status: string
  version: number
  /** Created by this import: it can hold only this import's lines, so no line lookup is needed. */
  fresh?: boolean
}

/** Lines of cards this import created go to the store this many at a time (one multi-row INSERT). */
const CHUNK = 64
const LINE_PARAMS = 6

/**
 * Timesheet import: a worker thread reads, parses and checks the lines (import-lines.ts) while this thread
 * stores them, in the import's one transaction.
 */
export const timesheetImport: StreamKind = {
  kind: 'timesheets',
  columns: TIMESHEET_COLUMNS,
  warmUp() {
    warmUpLineWorker()
  },
  async read(ctx, rows) {
    sqliteOf(ctx.store, 'timesheets import') // the worker reads the store's file: SQLite only, so far
    const opts: LineReaderOptions = {file: ctx.file, db: ctx.store.path, ignoreUnknown: ctx.ignoreUnknown, operator: ctx.operator, ints: newLineSlots()}
    let lines: TimesheetLines | undefined
    let sha256 = ''
    for await (const m of lineMessages(opts)) {
      if (m.kind === 'header') {
        rows.header(m.cells)
        lines = new TimesheetLines(ctx, rows, m)
      } else if (m.kind === 'lines') {
        lines!.add(m, batchInts(opts.ints, m))
      } else {
        sha256 = m.sha256
        rows.progress(m.bytes)
      }
    }
    if (lines && rows.rowsRead > 0) lines.finish()
    return {sha256}
  },
  // Lines reference the cards this import creates or finds; cards reference the employees the worker found
  // (in the same snapshot: the transaction holds the write lock from before the worker opened the store).
  referencesByConstruction: true,
}

/**
 * Stores checked timesheet lines with prepared statements: one card per (employee, pay period), a line with
 * the key of a stored line replaces it, and certified or exported cards are locked.
 */
class TimesheetLines {
  private readonly store: Store
  private readonly operator: Operator
  private readonly batchId: number
  private readonly now: string
  private readonly hourTypes: string[]
  private readonly employeeColumn: number
  private readonly dates: string[] = []
  private lastEmployee = 0
  private lastPeriod = ''
  private lastCard: CardRef | undefined
  /**
   * Per pay period of the file: null when the store had cards of it before this import; otherwise a bitmap
   * of the employees (by employees.id) this import made a card for. A card of an employee not in the bitmap
   * cannot exist, so it needs no lookup.
   */
  private readonly periods = new Map<string, Uint8Array | null>()
  /** Cards made by this import have ids above this one; older cards that got lines are in oldCards. */
  private readonly lastOldCard: number
  private readonly oldCards = new Set<number>()
  /** Lines waiting for one multi-row INSERT: LINE_PARAMS values each, and their index in the batch. */
  private readonly pending: (string | number)[] = new Array(CHUNK * LINE_PARAMS)
  private readonly pendingLine = new Int32Array(CHUNK)
  private pendingCount = 0
  private batch!: LineBatch
  private ints!: Int32Array
  private readonly q

  constructor(ctx: ImportContext, private readonly rows: RowTally, header: HeaderMessage) {
    this.store = ctx.store
    this.operator = ctx.operator
    this.batchId = ctx.batchId
    this.now = ctx.now
    this.hourTypes = header.hourTypes
    this.employeeColumn = mapHeader(header.cells, [...TIMESHEET_COLUMNS], true).index.get('employee_id')!
    const db = sqliteOf(ctx.store, 'timesheets import')
    this.lastOldCard = db.prepare('SELECT coalesce(max(id), 0) FROM timecards').pluck().get() as number
    const values = Array.from({length: CHUNK}, () => '(?, ?, ?, ?, ?, ?)').join(', ')
    this.q = {
      card: db.prepare('SELECT id, status, version FROM timecards WHERE employee_ref = ? AND pay_period_start = ? AND is_current = 1'),
      periodHasCards: db.prepare('SELECT 1 FROM timecards WHERE pay_period_start = ? LIMIT 1').pluck(),
      newCard: db.prepare("INSERT INTO timecards (employee_ref, pay_period_start, version, status, is_current, created_at, updated_at) VALUES (?, ?, 1, 'draft', 1, ?, ?)"),
      toDraft: db.prepare("UPDATE timecards SET status = 'draft', findings = '[]', updated_at = ? WHERE id = ?"),
      line: db.prepare('SELECT hours, batch_id FROM timecard_lines WHERE timecard_id = ? AND work_date = ? AND hour_type = ? AND accounting_code = ?'),
      insertLine: db.prepare('INSERT INTO timecard_lines (timecard_id, work_date, hour_type, hours, accounting_code, batch_id) VALUES (?, ?, ?, ?, ?, ?)'),
      insertFreshLine: db.prepare('INSERT OR IGNORE INTO timecard_lines (timecard_id, work_date, hour_type, hours, accounting_code, batch_id) VALUES (?, ?, ?, ?, ?, ?)'),
      // Plain INSERT: a duplicate key aborts the whole statement, and the chunk is then stored line by line.
      insertChunk: db.prepare(`INSERT INTO timecard_lines (timecard_id, work_date, hour_type, hours, accounting_code, batch_id) VALUES ${values}`),
      updateLine: db.prepare('UPDATE timecard_lines SET hours = ?, batch_id = ? WHERE timecard_id = ? AND work_date = ? AND hour_type = ? AND accounting_code = ?'),
      history: cardHistoryWriter(db),
    }
  }

  /** Counts and stores one batch of lines, in row order. */
  add(batch: LineBatch, ints: Int32Array): void {
    this.batch = batch
    this.ints = ints
    if (batch.resetDates) this.dates.length = 0
    for (const d of batch.dates) this.dates.push(d)
    const accounts = batch.accounts.split('\n')
    const {issues} = batch
    let account = 0
    let issue = 0
    for (let i = 0; i < batch.count; i++) {
      const o = i * FIELDS
      const row = batch.firstRow + i
      const employee = ints[o + F.employee]
      if (employee === 0) {
        const own: RowIssue[] = []
        while (issue < issues.length && issues[issue].row === row) own.push(issues[issue++])
        this.reject(i, own)
        continue
      }
      this.line(i, row, employee, this.dates[ints[o + F.period]], this.dates[ints[o + F.date]], this.hourTypes[ints[o + F.type]], ints[o + F.hours], accounts[account++])
    }
    this.flush()
    this.rows.progress(batch.bytes)
  }

  /** The cells of the batch's i-th line as the file has them. */
  private cells(i: number): string[] {
    const o = i * FIELDS
    return parseRecord(this.batch.text.slice(this.ints[o + F.start], this.ints[o + F.end]))
  }

  private reject(i: number, issues: RowIssue[]): void {
    this.flush()
    this.rows.reject(this.batch.firstRow + i, this.cells(i), issues)
  }

  /** employee_id of the batch's i-th line, as the messages show it. */
  private employeeId(i: number): string {
    return this.cells(i)[this.employeeColumn].trim().toUpperCase()
  }

  private line(i: number, row: number, employee: number, period: string, date: string, type: string, hours: number, account: string): void {
    let card = this.card(employee, period)
    if (card && (card.status === 'certified' || card.status === 'exported')) {
      const id = this.employeeId(i)
      this.reject(i, [{row, column: 'work_date', code: 'TS-LOCKED', message: `the ${period} card of ${id} is ${card.status}; correct it with: custodian timecards amend ${id} --pay-period ${period}`}])
      return
    }
    if (!card) {
      card = {id: Number(this.q.newCard.run(employee, period, this.now, this.now).lastInsertRowid), status: 'draft', version: 1, fresh: true}
      this.lastCard = card
      const made = this.periods.get(period)
      if (made) this.periods.set(period, setBit(made, employee))
    } else if (card.status !== 'draft') {
      this.q.toDraft.run(this.now, card.id)
      this.q.history({timecardId: card.id, at: this.now, actor: this.operator.name, action: 'import', version: card.version, changes: [statusChange(card.status, 'draft')], reason: null})
      card.status = 'draft'
    }
    if (card.fresh) {
      // A card this import created holds only this import's lines: the unique key finds duplicates.
      const p = this.pendingCount * LINE_PARAMS
      const v = this.pending
      v[p] = card.id
      v[p + 1] = date
      v[p + 2] = type
      v[p + 3] = hours
      v[p + 4] = account
      v[p + 5] = this.batchId
      this.pendingLine[this.pendingCount++] = i
      if (this.pendingCount === CHUNK) this.flush()
      return
    }
    this.flush()
    const existing = this.q.line.get(card.id, date, type, account) as {hours: number; batch_id: number | null} | undefined
    if (existing && existing.batch_id === this.batchId) {
      this.reject(i, [{row, column: 'hour_type', code: 'TS-DUP-ROW', message: `${this.employeeId(i)} ${date} ${type} ${account} appears earlier in this file; only the first line is used.`}])
      return
    }
    if (existing) {
      this.q.updateLine.run(hours, this.batchId, card.id, date, type, account)
      if (card.id <= this.lastOldCard) this.oldCards.add(card.id)
      if (existing.hours !== hours) {
        this.q.history({timecardId: card.id, at: this.now, actor: this.operator.name, action: 'import', version: card.version, changes: [{field: `${date} ${type} ${account}`, from: existing.hours / 100, to: hours / 100}], reason: null})
      }
      this.rows.stored('updated')
      return
    }
    this.q.insertLine.run(card.id, date, type, hours, account, this.batchId)
    if (card.id <= this.lastOldCard) this.oldCards.add(card.id)
    this.rows.stored('inserted')
  }

  /** Stores the pending lines of fresh cards: in one statement, or line by line when one repeats a key. */
  private flush(): void {
    const n = this.pendingCount
    if (n === 0) return
    this.pendingCount = 0
    const v = this.pending
    const stored = insertChunk({chunk: this.q.insertChunk, one: this.q.insertFreshLine}, v, n, LINE_PARAMS, (j, one) => {
      if (one) {
        this.rows.stored('inserted')
        return
      }
      const p = j * LINE_PARAMS
      const i = this.pendingLine[j]
      this.rows.reject(this.batch.firstRow + i, this.cells(i), [{row: this.batch.firstRow + i, column: 'hour_type', code: 'TS-DUP-ROW', message: `${this.employeeId(i)} ${v[p + 1]} ${v[p + 2]} ${v[p + 4]} appears earlier in this file; only the first line is used.`}])
    })
    if (stored) this.rows.stored('inserted', n)
  }

  private card(employee: number, period: string): CardRef | undefined {
    if (employee !== this.lastEmployee || period !== this.lastPeriod) {
      this.lastEmployee = employee
      this.lastPeriod = period
      let made = this.periods.get(period)
      if (made === undefined) {
        made = this.q.periodHasCards.get(period) === undefined ? new Uint8Array(1024) : null
        this.periods.set(period, made)
      }
      this.lastCard = made && !hasBit(made, employee) ? undefined : (this.q.card.get(employee, period) as CardRef | undefined)
    }
    return this.lastCard
  }

  finish(): void {
    recordImportHistory(sqliteOf(this.store), {
      batchId: this.batchId, at: this.now, actor: this.operator.name, oldCards: [...this.oldCards].sort((a, b) => a - b), lastOldCard: this.lastOldCard,
    })
  }
}

const hasBit = (bits: Uint8Array, i: number): boolean => i >> 3 < bits.length && (bits[i >> 3] & (1 << (i & 7))) !== 0

/** Sets bit i, in a larger copy when bits is too short. */
function setBit(bits: Uint8Array, i: number): Uint8Array {
  let out = bits
  if (i >> 3 >= bits.length) {
    out = new Uint8Array(Math.max(bits.length * 2, (i >> 3) + 1))
    out.set(bits)
  }
  out[i >> 3] |= 1 << (i & 7)
  return out
}
