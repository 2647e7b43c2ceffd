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
  /**
   * Leave on unexported current cards of pay periods before `before`, per employee (employees.id) and pay period,
   * in hundredths (a card's checks count the leave of earlier periods only).
   */
  pendingLeave(before: string): Promise<Map<number, PendingLeave[]>>
  /** Draft current cards to check, by pay period and employee_id (called once, before the per-card calls). */
  draftCards(filter: {payPeriod?: string; employeeId?: string; orgPrefix?: string | null}): Promise<DraftCard[]>
  /** Starts the per-card calls (lines, exportedLeave, record), made for the cards in draftCards' order. */
  start(): Promise<void>
  /** Leave on the latest exported earlier version of the card, which an amendment replaces. */
  exportedLeave(card: DraftCard): {al: number; sl: number; ct: number}
  /** The card's lines, for the checks (an engine may leave accountingCode empty: no TC-* rule reads it). */
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

/** Leave on unexported current cards before a pay period (the parameter), for both engines. */
export const pendingLeaveSql = (before: string): string => `SELECT t.employee_ref AS ref, t.pay_period_start AS period,
    sum(CASE WHEN l.hour_type = 'AL' THEN l.hours ELSE 0 END) AS al,
    sum(CASE WHEN l.hour_type = 'SL' THEN l.hours ELSE 0 END) AS sl,
    sum(CASE WHEN l.hour_type = 'CTU' THEN l.hours ELSE 0 END) AS ct
  FROM timecards t JOIN timecard_lines l ON l.timecard_id = t.id
  WHERE t.pay_period_start < ${before} AND t.is_current = 1 AND t.status <> 'exported' AND l.hour_type IN ('AL', 'SL', 'CTU')
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

/** A row of draftCardsQuery, in its column order (DraftCard's fields). */
type DraftCardRow = [number, number, string, string, number, string, DraftCard['tour_of_duty'], number, string | null, string | null, number, number, number]

/** A card's lines from linesOfList's text: work_date TAB hour_type TAB hours (hundredths), LF between lines. */
export function parseLines(text: string): CardLine[] {
  const lines: CardLine[] = []
  let start = 0
  while (start < text.length) {
    const tab1 = text.indexOf('\t', start)
    const tab2 = text.indexOf('\t', tab1 + 1)
    let end = text.indexOf('\n', tab2 + 1)
    if (end < 0) end = text.length
    lines.push({workDate: text.slice(start, tab1), hourType: text.slice(tab1 + 1, tab2), hours: Number(text.slice(tab2 + 1, end)), accountingCode: ''})
    start = end + 1
  }
  return lines
}

/** Cards whose lines the SQLite engine reads in one statement. */
const LINES_CHUNK = 2000

/**
 * Prepared statements on the store's one connection, inside the caller's transaction, set-wise: the draft
 * cards' lines come a statement per LINES_CHUNK cards (over the list of their ids), and the outcomes are
 * written at the end: the cards that validate clean in one UPDATE and one INSERT ... SELECT of their history,
 * the rest (with findings) one statement each.
 */
export function sqliteValidateJob(store: Store): ValidateJob {
  const db = sqliteOf(store, 'timecards validate')
  const exportedLeave = db.prepare(`SELECT
      coalesce(sum(CASE WHEN l.hour_type = 'AL' THEN l.hours END), 0) AS al,
      coalesce(sum(CASE WHEN l.hour_type = 'SL' THEN l.hours END), 0) AS sl,
      coalesce(sum(CASE WHEN l.hour_type = 'CTU' THEN l.hours END), 0) AS ct
    FROM timecard_lines l WHERE l.timecard_id = (SELECT id FROM timecards WHERE employee_ref = ? AND pay_period_start = ?
      AND version < ? AND status = 'exported' ORDER BY version DESC LIMIT 1)`)
  // The lines of each card of a list, as one text per card (work_date TAB hour_type TAB hours, LF between
  // lines): a value per card crosses into JavaScript, not four per line, which was most of the reading. Without
  // accounting codes, which no TC-* rule reads; in any order (checkTimecard orders the dates itself).
  const linesOfList = db.prepare(`SELECT j.value, (SELECT group_concat(l.work_date || char(9) || l.hour_type || char(9) || l.hours, char(10))
    FROM timecard_lines l WHERE l.timecard_id = j.value) FROM json_each(?) j`).raw()
  const setStatus = db.prepare('UPDATE timecards SET status = ?, findings = ?, updated_at = ? WHERE id = ?')
  const history = cardHistoryWriter(db)
  let cards: DraftCard[] = []
  const position = new Map<number, number>()
  const exported = new Map<number, {al: number; sl: number; ct: number}>()
  // The lines of the chunk of cards being checked: card id → their text (parseLines).
  let chunk = new Map<number, string>()
  let chunkEnd = 0
  const clean: DraftCard[] = []
  const others: {card: DraftCard; failed: boolean; findings: string}[] = []
  let done: {at: string; actor: string} | undefined
  const NO_LEAVE = {al: 0, sl: 0, ct: 0}
  return {
    towardTour: async () => new Set(db.prepare('SELECT code FROM hour_types WHERE counts_toward_tour = 1').pluck().all() as string[]),
    pendingLeave: async (before) => groupPending(db.prepare(pendingLeaveSql('?')).iterate(before) as IterableIterator<PendingLeave & {ref: number}>),
    async draftCards(filter) {
      const {text, params} = draftCardsQuery(filter, () => '?')
      // Rows as arrays made into objects here: a literal per card costs less than the driver's object per row.
      // Row by row (iterate, not all): each row's array dies young, so the young generation's collections copy
      // only the cards, not the cards and the 50,000 arrays of all() besides (those copies were most of the
      // garbage collector's time in a pay period's validate).
      cards = []
      for (const [id, employee_ref, employee_id, pay_period_start, version, org_code, tour_of_duty, scheduled_hours, hire_date, separation_date,
        annual_leave_balance, sick_leave_balance, comp_time_balance] of db.prepare(text).raw().iterate(...params) as IterableIterator<DraftCardRow>) {
        position.set(id, cards.length)
        cards.push({id, employee_ref, employee_id, pay_period_start, version, org_code, tour_of_duty, scheduled_hours, hire_date, separation_date,
          annual_leave_balance, sick_leave_balance, comp_time_balance})
      }
      return cards
    },
    async start() {
      for (const c of cards) if (c.version > 1) exported.set(c.id, exportedLeave.get(c.employee_ref, c.pay_period_start, c.version) as {al: number; sl: number; ct: number})
    },
    exportedLeave: (card) => exported.get(card.id) ?? NO_LEAVE,
    lines(card) {
      const at = position.get(card.id)!
      if (!chunk.has(card.id) && (at >= chunkEnd || at < chunkEnd - LINES_CHUNK)) {
        // The lines of this card and the next LINES_CHUNK - 1 in one statement.
        chunk = new Map()
        chunkEnd = at + LINES_CHUNK
        for (const [id, text] of linesOfList.all(JSON.stringify(cards.slice(at, chunkEnd).map((c) => c.id))) as [number, string | null][]) {
          if (text !== null) chunk.set(id, text)
        }
      }
      // Parsed only now, so a card's line objects die young (a chunk of parsed lines outlived several scavenges).
      const text = chunk.get(card.id)
      return text === undefined ? [] : parseLines(text)
    },
    record(card, {failed, findings, at, actor}) {
      done = {at, actor}
      if (!failed && findings.length === 0) clean.push(card)
      else others.push({card, failed, findings: JSON.stringify(findings)})
    },
    async finish() {
      chunk = new Map()
      if (!done) return
      const {at, actor} = done
      const ids = JSON.stringify(clean.map((c) => c.id))
      db.prepare("UPDATE timecards SET status = 'validated', findings = '[]', updated_at = ? WHERE id IN (SELECT value FROM json_each(?))").run(at, ids)
      db.prepare(`INSERT INTO timecard_history (timecard_id, at, actor, action, version, changes, reason)
        SELECT c.id, ?, ?, 'validate', c.version, ?, NULL FROM json_each(?) j JOIN timecards c ON c.id = j.value ORDER BY j.key`)
        .run(at, actor, JSON.stringify([statusChange('draft', 'validated')]), ids)
      for (const {card, failed, findings} of others) {
        setStatus.run(failed ? 'draft' : 'validated', findings, at, card.id)
        if (!failed) history({timecardId: card.id, at, actor, action: 'validate', version: card.version, changes: [statusChange('draft', 'validated')], reason: null})
      }
      clean.length = others.length = 0
    },
  }
}
