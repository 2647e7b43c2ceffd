import type {Store} from '../store/index.js'
import type {CardContext, CardFinding} from './checks.js'
import {cardHistoryWriter, statusChange} from './history.js'
import {busyTimeoutMs, sqliteOf} from '../store/store.js'
import {sqliteLineTexts} from './card-lines-sqlite.js'
import {type LineTexts, cardLineTexts} from './card-lines-worker.js'
import {checkRuns, parsedLines} from './check-runs.js'
import {type DraftCard, type DraftCardRow, type DraftFilter, draftCardsQuery} from './draft-cards.js'

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
  /**
   * Draft current cards to check, by pay period and employee_id (called once, before the per-card calls); an
   * engine may start reading their lines meanwhile.
   */
  draftCards(filter: DraftFilter): Promise<DraftCard[]>
  /** Starts the per-card calls (exportedLeave, check, record), made for the cards in draftCards' order. */
  start(): Promise<void>
  /** Leave on the latest exported earlier version of the card, which an amendment replaces. */
  exportedLeave(card: DraftCard): {al: number; sl: number; ct: number}
  /**
   * Each card's findings (checkTimecard on its lines, with the context `contextOf` gives it), in the order of
   * `cards`, a run of consecutive cards at a time. An engine may check some of them on another thread.
   */
  check(cards: readonly DraftCard[], contextOf: (card: DraftCard) => CardContext): AsyncIterable<CardFinding[][]> | Iterable<CardFinding[][]>
  /** Keeps the findings on the card; a card without errors becomes validated (with its history entry). */
  record(card: DraftCard, outcome: {failed: boolean; findings: CardFinding[]; at: string; actor: string}): void
  /** Writes what record() kept back, if the engine batches, and ends any reading still going (before the caller's COMMIT or ROLLBACK). */
  finish(): Promise<void>
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

/**
 * Prepared statements on the store's one connection, inside the caller's transaction, set-wise. The draft cards'
 * lines are read by a worker thread (card-lines-worker.ts) while this thread reads the cards, and come a run of
 * LINES_CHUNK cards at a time, checked here as they come; an employee's card's lines are read here. The outcomes
 * are written at the end: the cards that validate clean in one UPDATE and one INSERT ... SELECT of their
 * history, the rest (with findings) one statement each.
 */
export function sqliteValidateJob(store: Store): ValidateJob {
  const db = sqliteOf(store, 'timecards validate')
  const exportedLeave = db.prepare(`SELECT
      coalesce(sum(CASE WHEN l.hour_type = 'AL' THEN l.hours END), 0) AS al,
      coalesce(sum(CASE WHEN l.hour_type = 'SL' THEN l.hours END), 0) AS sl,
      coalesce(sum(CASE WHEN l.hour_type = 'CTU' THEN l.hours END), 0) AS ct
    FROM timecard_lines l WHERE l.timecard_id = (SELECT id FROM timecards WHERE employee_ref = ? AND pay_period_start = ?
      AND version < ? AND status = 'exported' ORDER BY version DESC LIMIT 1)`)
  const textsOf = sqliteLineTexts(db)
  // The worker's runs of lines, from draftCards() (it reads them meanwhile) until finish().
  let runs: AsyncGenerator<LineTexts> | undefined
  let next: Promise<IteratorResult<LineTexts>> | undefined
  const nextRun = () => {
    next = runs!.next()
    next.catch(() => undefined) // awaited by the next run's check, which rethrows a failure
  }
  const setStatus = db.prepare('UPDATE timecards SET status = ?, findings = ?, updated_at = ? WHERE id = ?')
  const history = cardHistoryWriter(db)
  let cards: DraftCard[] = []
  const exported = new Map<number, {al: number; sl: number; ct: number}>()
  const clean: DraftCard[] = []
  const others: {card: DraftCard; failed: boolean; findings: string}[] = []
  let done: {at: string; actor: string} | undefined
  const NO_LEAVE = {al: 0, sl: 0, ct: 0}
  return {
    towardTour: async () => new Set(db.prepare('SELECT code FROM hour_types WHERE counts_toward_tour = 1').pluck().all() as string[]),
    pendingLeave: async (before) => groupPending(db.prepare(pendingLeaveSql('?')).iterate(before) as IterableIterator<PendingLeave & {ref: number}>),
    async draftCards(filter) {
      // An employee's card: its lines read here when it is checked. Otherwise the worker reads the cards' lines meanwhile.
      if (!filter.employeeId) {
        runs = cardLineTexts({store: store.path, busyTimeoutMs: busyTimeoutMs(), filter})
        nextRun()
      }
      const {text, params} = draftCardsQuery(filter, () => '?')
      // Rows as arrays made into objects here: a literal per card costs less than the driver's object per row.
      // Row by row (iterate, not all): each row's array dies young, so the young generation's collections copy
      // only the cards, not the cards and the 50,000 arrays of all() besides (those copies were most of the
      // garbage collector's time in a pay period's validate).
      cards = []
      for (const [id, employee_ref, employee_id, pay_period_start, version, org_code, tour_of_duty, scheduled_hours, hire_date, separation_date,
        annual_leave_balance, sick_leave_balance, comp_time_balance] of db.prepare(text).raw().iterate(...params) as IterableIterator<DraftCardRow>) {
        cards.push({id, employee_ref, employee_id, pay_period_start, version, org_code, tour_of_duty, scheduled_hours, hire_date, separation_date,
          annual_leave_balance, sick_leave_balance, comp_time_balance})
      }
      return cards
    },
    async start() {
      for (const c of cards) if (c.version > 1) exported.set(c.id, exportedLeave.get(c.employee_ref, c.pay_period_start, c.version) as {al: number; sl: number; ct: number})
    },
    exportedLeave: (card) => exported.get(card.id) ?? NO_LEAVE,
    async *check(toCheck, contextOf) {
      if (!runs) {
        yield* checkRuns(toCheck, (run) => parsedLines(textsOf(run.map((c) => c.id))), contextOf)
        return
      }
      yield* checkRuns(toCheck, async (run) => {
        const r = await next!
        // The worker read the cards' query in the same transaction's view: the same cards, in the same runs.
        if (r.done || r.value.ids.length !== run.length || r.value.ids.some((id, i) => id !== run[i].id)) throw new Error('validate: the worker read other cards than this thread')
        nextRun()
        return parsedLines(r.value.texts)
      }, contextOf)
      if (!(await next!).done) throw new Error('validate: the worker read more cards than this thread')
    },
    record(card, {failed, findings, at, actor}) {
      done = {at, actor}
      if (!failed && findings.length === 0) clean.push(card)
      else others.push({card, failed, findings: JSON.stringify(findings)})
    },
    async finish() {
      await runs?.return(undefined) // the worker stopped and ended, if a failure left it reading
      runs = undefined
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
