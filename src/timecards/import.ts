import {type Operator, inScope} from '../auth/roles.js'
import {payPeriodStartOf} from '../calendar/payperiods.js'
import type {ImportKind, RowHandler, RowIssue} from '../csv/importer.js'
import type {Store} from '../store/index.js'
import {TIMESHEET_COLUMNS, type TimesheetRow, checkTimesheetRow, parseQuarterHours} from './checks.js'

interface EmployeeRef {
  id: number
  org_code: string
}

interface CardRef {
  id: number
  status: string
  version: number
  /** Created by this import: it can hold only this import's lines, so no line lookup is needed. */
  fresh?: boolean
}

const EMPLOYEE_CACHE_LIMIT = 10_000

export const timesheetImport: ImportKind = {
  kind: 'timesheets',
  columns: TIMESHEET_COLUMNS,
  begin({store, operator, batchId, now}) {
    return new TimesheetRows(store, operator, batchId, now)
  },
}

/**
 * Checks and stores timesheet lines with prepared statements: one card per (employee, pay period), a line
 * with the key of a stored line replaces it, and certified or exported cards are locked.
 */
class TimesheetRows implements RowHandler {
  private readonly hourTypes: Set<string>
  private readonly anchor: string
  private readonly employees = new Map<string, EmployeeRef | null>()
  private readonly periods = new Map<string, string>()
  private lastCardKey = ''
  private lastCard: CardRef | undefined
  private readonly q

  constructor(private readonly store: Store, private readonly operator: Operator, private readonly batchId: number, private readonly now: string) {
    const db = store.sqlite
    this.hourTypes = new Set((db.prepare('SELECT code FROM hour_types').pluck().all() as string[]))
    this.anchor = (db.prepare("SELECT value FROM settings WHERE key = 'payperiod.anchor'").pluck().get() as string | undefined) ?? '2026-01-11'
    this.q = {
      employee: db.prepare('SELECT id, org_code FROM employees WHERE employee_id = ?'),
      card: db.prepare('SELECT id, status, version FROM timecards WHERE employee_ref = ? AND pay_period_start = ? AND is_current = 1'),
      newCard: db.prepare("INSERT INTO timecards (employee_ref, pay_period_start, version, status, is_current, created_at, updated_at) VALUES (?, ?, 1, 'draft', 1, ?, ?)"),
      toDraft: db.prepare("UPDATE timecards SET status = 'draft', findings = '[]', updated_at = ? WHERE id = ?"),
      line: db.prepare('SELECT hours, batch_id FROM timecard_lines WHERE timecard_id = ? AND work_date = ? AND hour_type = ? AND accounting_code = ?'),
      insertLine: db.prepare('INSERT INTO timecard_lines (timecard_id, work_date, hour_type, hours, accounting_code, batch_id) VALUES (?, ?, ?, ?, ?, ?)'),
      insertFreshLine: db.prepare('INSERT OR IGNORE INTO timecard_lines (timecard_id, work_date, hour_type, hours, accounting_code, batch_id) VALUES (?, ?, ?, ?, ?, ?)'),
      updateLine: db.prepare('UPDATE timecard_lines SET hours = ?, batch_id = ? WHERE timecard_id = ? AND work_date = ? AND hour_type = ? AND accounting_code = ?'),
      history: db.prepare('INSERT INTO timecard_history (timecard_id, at, actor, action, version, changes, reason) VALUES (?, ?, ?, ?, ?, ?, NULL)'),
    }
  }

  private employee(id: string): EmployeeRef | null {
    let e = this.employees.get(id)
    if (e === undefined) {
      e = (this.q.employee.get(id) as EmployeeRef | undefined) ?? null
      if (this.employees.size >= EMPLOYEE_CACHE_LIMIT) this.employees.clear()
      this.employees.set(id, e)
    }
    return e
  }

  handle(row: number, values: Record<string, string>) {
    const errors: RowIssue[] = checkTimesheetRow(values as TimesheetRow, this.hourTypes, this.anchor).map((f) => ({row, ...f}))
    const warnings: RowIssue[] = []
    const err = (column: string, code: string, message: string) => errors.push({row, column, code, message})
    const id = values.employee_id.toUpperCase()
    if (id !== '') {
      const e = this.employee(id)
      if (!e || !inScope(this.operator, e.org_code)) err('employee_id', e ? 'TS-SCOPE' : 'TS-EMPLOYEE', e ? `employee ${id} is outside your scope (${this.operator.orgPrefix}).` : `employee ${id} is not in the store; import personnel first.`)
    }
    if (errors.length > 0) return {errors, warnings}

    const employee = this.employee(id)!
    const date = values.work_date
    const type = values.hour_type.toUpperCase()
    const account = values.accounting_code.toUpperCase()
    const hours = parseQuarterHours(values.hours)!
    const period = this.periodOf(date)
    const card = this.card(employee.id, period)
    if (card && (card.status === 'certified' || card.status === 'exported')) {
      err('work_date', 'TS-LOCKED', `the ${period} card of ${id} is ${card.status}; correct it with: custodian timecards amend ${id} --pay-period ${period}`)
      return {errors, warnings}
    }
    let cardId: number
    if (!card) {
      cardId = Number(this.q.newCard.run(employee.id, period, this.now, this.now).lastInsertRowid)
      this.remember(employee.id, period, {id: cardId, status: 'draft', version: 1, fresh: true})
    } else {
      cardId = card.id
      if (card.status !== 'draft') {
        this.q.toDraft.run(this.now, card.id)
        this.q.history.run(card.id, this.now, this.operator.name, 'import', card.version, JSON.stringify([{field: 'status', from: card.status, to: 'draft'}]))
        card.status = 'draft'
      }
    }
    if (card?.fresh || !card) {
      // A card this import created holds only this import's lines: the unique key finds duplicates.
      if (this.q.insertFreshLine.run(cardId, date, type, hours, account, this.batchId).changes === 0) {
        err('hour_type', 'TS-DUP-ROW', `${id} ${date} ${type} ${account} appears earlier in this file; only the first line is used.`)
        return {errors, warnings}
      }
      return {errors, warnings, stored: 'inserted' as const}
    }
    const existing = this.q.line.get(cardId, date, type, account) as {hours: number; batch_id: number | null} | undefined
    if (existing && existing.batch_id === this.batchId) {
      err('hour_type', 'TS-DUP-ROW', `${id} ${date} ${type} ${account} appears earlier in this file; only the first line is used.`)
      return {errors, warnings}
    }
    if (existing) {
      this.q.updateLine.run(hours, this.batchId, cardId, date, type, account)
      if (existing.hours !== hours) {
        this.q.history.run(cardId, this.now, this.operator.name, 'import', card?.version ?? 1, JSON.stringify([{field: `${date} ${type} ${account}`, from: existing.hours / 100, to: hours / 100}]))
      }
      return {errors, warnings, stored: 'updated' as const}
    }
    this.q.insertLine.run(cardId, date, type, hours, account, this.batchId)
    return {errors, warnings, stored: 'inserted' as const}
  }

  private periodOf(date: string): string {
    let period = this.periods.get(date)
    if (period === undefined) {
      period = payPeriodStartOf(date, this.anchor)
      if (this.periods.size >= EMPLOYEE_CACHE_LIMIT) this.periods.clear()
      this.periods.set(date, period)
    }
    return period
  }

  private card(employeeRef: number, period: string): CardRef | undefined {
    const key = `${employeeRef}|${period}`
    if (key !== this.lastCardKey) {
      this.lastCardKey = key
      this.lastCard = this.q.card.get(employeeRef, period) as CardRef | undefined
    }
    return this.lastCard
  }

  private remember(employeeRef: number, period: string, card: CardRef): void {
    this.lastCardKey = `${employeeRef}|${period}`
    this.lastCard = card
  }

  finish(): RowIssue[] {
    // One history row per card this import added lines to, written set-wise (constant memory).
    this.store.sqlite
      .prepare(`INSERT INTO timecard_history (timecard_id, at, actor, action, version, changes, reason)
        SELECT l.timecard_id, ?, ?, 'import', t.version, json_array(json_object('field', 'lines imported', 'from', NULL, 'to', count(*))), NULL
        FROM timecard_lines l JOIN timecards t ON t.id = l.timecard_id WHERE l.batch_id = ? GROUP BY l.timecard_id`)
      .run(this.now, this.operator.name, this.batchId)
    return []
  }
}
