import type {Store} from '../store/index.js'
import type {CardFinding, CardLine} from './checks.js'
import {cardHistoryWriter, statusChange} from './history.js'
import {sqliteOf} from '../store/store.js'

/**
 * The data side of `timecards validate` (a hot path: every draft card of a pay period), as one small
 * interface so each engine can do it its own way; the checks themselves are pure (checks.ts).
 */
export interface ValidateJob {
  /** Hour types whose hours count toward the tour of duty. */
  towardTour(): Promise<Set<string>>
  /** Leave on unexported current cards, per employee (employees.id) and pay period, in hundredths. */
  pendingLeave(): Promise<Map<number, PendingLeave[]>>
  /** Draft current cards to check, by pay period and employee_id (called once, before the per-card calls). */
  draftCards(filter: {payPeriod?: string; employeeId?: string; orgPrefix?: string | null}): Promise<DraftCard[]>
  /** Leave on the latest exported earlier version of the card, which an amendment replaces. */
  exportedLeave(card: DraftCard): {al: number; sl: number; ct: number}
  lines(card: DraftCard): CardLine[]
  /** Keeps the findings on the card; a card without errors becomes validated (with its history entry). */
  record(card: DraftCard, outcome: {failed: boolean; findings: CardFinding[]; at: string; actor: string}): void
  /** Writes what record() kept back, if the engine batches (before the caller's COMMIT). */
  finish(): Promise<void>
}

/** The draft cards' query, for both engines: current drafts, in pay period and employee order. */
export function draftCardsQuery(filter: {payPeriod?: string; employeeId?: string; orgPrefix?: string | null}, param: (i: number) => string, collate = ''): {text: string; params: string[]} {
  const where: string[] = ['c.is_current = 1', "c.status = 'draft'"]
  const params: string[] = []
  const add = (clause: (p: string) => string, value: string) => {
    params.push(value)
    where.push(clause(param(params.length)))
  }
  if (filter.payPeriod) add((p) => `c.pay_period_start = ${p}`, filter.payPeriod)
  if (filter.employeeId) add((p) => `e.employee_id = ${p}`, filter.employeeId)
  if (filter.orgPrefix) add((p) => `e.org_code LIKE ${p} || '%'`, filter.orgPrefix)
  return {
    text: `SELECT c.id, c.employee_ref, e.employee_id, c.pay_period_start, c.version, e.org_code, e.tour_of_duty,
        e.scheduled_hours, e.hire_date, e.separation_date, e.annual_leave_balance, e.sick_leave_balance, e.comp_time_balance
      FROM timecards c JOIN employees e ON e.id = c.employee_ref WHERE ${where.join(' AND ')} ORDER BY c.pay_period_start, e.employee_id${collate}`,
    params,
  }
}

/** Leave on unexported current cards, for both engines. */
export const PENDING_LEAVE_SQL = `SELECT t.employee_ref AS ref, t.pay_period_start AS period,
    sum(CASE WHEN l.hour_type = 'AL' THEN l.hours ELSE 0 END) AS al,
    sum(CASE WHEN l.hour_type = 'SL' THEN l.hours ELSE 0 END) AS sl,
    sum(CASE WHEN l.hour_type = 'CTU' THEN l.hours ELSE 0 END) AS ct
  FROM timecards t JOIN timecard_lines l ON l.timecard_id = t.id
  WHERE t.is_current = 1 AND t.status <> 'exported' AND l.hour_type IN ('AL', 'SL', 'CTU')
  GROUP BY t.employee_ref, t.pay_period_start`

export function groupPending(rows: Iterable<PendingLeave & {ref: number}>): Map<number, PendingLeave[]> {
  const pending = new Map<number, PendingLeave[]>()
  for (const r of rows) {
    const {ref, ...leave} = r
    const list = pending.get(ref) ?? []
    list.push(leave)
    pending.set(ref, list)
  }
  return pending
}

export interface PendingLeave {
  period: string
  al: number
  sl: number
  ct: number
}

export interface DraftCard {
  id: number
  employee_ref: number
  employee_id: string
  pay_period_start: string
  version: number
  org_code: string
  tour_of_duty: 'FT' | 'PT' | 'INT'
  scheduled_hours: number
  hire_date: string | null
  separation_date: string | null
  annual_leave_balance: number
  sick_leave_balance: number
  comp_time_balance: number
}

/** Prepared statements on the store's one connection, inside the caller's transaction. */
export function sqliteValidateJob(store: Store): ValidateJob {
  const db = sqliteOf(store, 'timecards validate')
  const exportedLeave = db.prepare(`SELECT
      coalesce(sum(CASE WHEN l.hour_type = 'AL' THEN l.hours END), 0) AS al,
      coalesce(sum(CASE WHEN l.hour_type = 'SL' THEN l.hours END), 0) AS sl,
      coalesce(sum(CASE WHEN l.hour_type = 'CTU' THEN l.hours END), 0) AS ct
    FROM timecard_lines l WHERE l.timecard_id = (SELECT id FROM timecards WHERE employee_ref = ? AND pay_period_start = ?
      AND version < ? AND status = 'exported' ORDER BY version DESC LIMIT 1)`)
  const linesOf = db.prepare('SELECT work_date AS workDate, hour_type AS hourType, hours, accounting_code AS accountingCode FROM timecard_lines WHERE timecard_id = ?')
  const setStatus = db.prepare('UPDATE timecards SET status = ?, findings = ?, updated_at = ? WHERE id = ?')
  const history = cardHistoryWriter(db)
  return {
    towardTour: async () => new Set(db.prepare('SELECT code FROM hour_types WHERE counts_toward_tour = 1').pluck().all() as string[]),
    pendingLeave: async () => groupPending(db.prepare(PENDING_LEAVE_SQL).iterate() as IterableIterator<PendingLeave & {ref: number}>),
    async draftCards(filter) {
      const {text, params} = draftCardsQuery(filter, () => '?')
      return db.prepare(text).all(...params) as DraftCard[]
    },
    exportedLeave: (card) => exportedLeave.get(card.employee_ref, card.pay_period_start, card.version) as {al: number; sl: number; ct: number},
    lines: (card) => linesOf.all(card.id) as CardLine[],
    record(card, {failed, findings, at, actor}) {
      setStatus.run(failed ? 'draft' : 'validated', JSON.stringify(findings), at, card.id)
      if (!failed) history({timecardId: card.id, at, actor, action: 'validate', version: card.version, changes: [statusChange('draft', 'validated')], reason: null})
    },
    finish: async () => {},
  }
}
