import type {Database} from 'better-sqlite3'

import {cardSealOfText} from '../timecards/seal-text.js'
import {type CardSource, type CardToExport, type LineSum, certifiedCardsSql} from './export-job.js'

/**
 * The reading side of the SQLite export (a CardSource): the pay period's certified cards a page at a time, in
 * employee_id order, with their lines. The export's worker thread (export-worker-sqlite.ts) reads through it on a
 * connection of its own while the main thread writes (export-sqlite.ts). Nothing here writes.
 */

/** Cards in a page: few enough that a page dies young (memory), many enough that a page's cost is spread. */
const PAGE = 64
/** The export's SQLite page cache, in KiB (as PRAGMA cache_size takes it: negative). */
export const EXPORT_CACHE_KB = -4000

/** A row of certifiedCardsSql with its lines, in its column order (CardToExport's fields, then the card's lines as one text). */
type CardRow = [number, number, number, string | null, string, string | null, string, string, string | null, string, string | null, number | null,
  CardToExport['tour_of_duty'], number, string | null, number, number, number, string | null]

/**
 * A card's lines as one text (work_date TAB hour_type TAB accounting_code TAB hours, LF between lines, in key order):
 * the lines' part of the card's sealed text as it is (seal-text.ts), made by SQLite as certify makes it
 * (certify-sqlite.ts), so a value per card crosses into JavaScript, not five per line. From an ordered subquery
 * over the primary key (timecard_id, work_date, hour_type, accounting_code): read in its order, nothing sorted.
 */
const LINES_TEXT = `(SELECT group_concat(x, char(10)) FROM (SELECT l.work_date || char(9) || l.hour_type || char(9) || l.accounting_code
  || char(9) || l.hours AS x FROM timecard_lines l WHERE l.timecard_id = c.id ORDER BY l.work_date, l.hour_type, l.accounting_code))`

interface HourType {
  transactionCode: string
  counts: number
}

/** The hour types (a handful of rows), read once: lines are summed against them as linesOf's join does. */
const hourTypesOf = (db: Database): Map<string, HourType> =>
  new Map((db.prepare('SELECT code, transaction_code, counts_toward_tour FROM hour_types').raw().all() as [string, string, number][])
    .map(([code, transactionCode, counts]) => [code, {transactionCode, counts}]))

/**
 * The certified cards of a pay period in scope with their lines, in one statement read row by row (the
 * connection only reads), a page (PAGE cards) at a time; `lines` gets each card's lines text.
 */
function* certifiedPages(db: Database, payPeriod: string, orgPrefix: string | null, lines: Map<number, string>): Generator<CardToExport[]> {
  const rows = db.prepare(certifiedCardsSql(orgPrefix !== null, () => '?', '', LINES_TEXT)).raw().iterate(...(orgPrefix ? [payPeriod, orgPrefix] : [payPeriod])) as IterableIterator<CardRow>
  let cards: CardToExport[] = []
  // Rows as arrays made into objects here: a literal per card costs less than the driver's object per row.
  for (const [id, version, employee_ref, seal, employee_id, ssn, last_name, first_name, middle_name, pay_plan, grade, step, tour_of_duty, scheduled_hours,
    service_comp_date, annual_leave_balance, sick_leave_balance, comp_time_balance, text] of rows) {
    if (cards.length === 0) lines.clear()
    cards.push({id, version, employee_ref, seal, employee_id, ssn, last_name, first_name, middle_name, pay_plan, grade, step, tour_of_duty, scheduled_hours,
      service_comp_date, annual_leave_balance, sick_leave_balance, comp_time_balance})
    if (text !== null) lines.set(id, text)
    if (cards.length === PAGE) {
      yield cards
      cards = []
    }
  }
  if (cards.length > 0) yield cards
}

/** The statement behind CardSource.previousExport. */
function previousExports(db: Database): (card: CardToExport, payPeriod: string) => number | undefined {
  const previous = db.prepare(`SELECT id FROM timecards WHERE employee_ref = ? AND pay_period_start = ? AND version < ? AND status = 'exported'
    ORDER BY version DESC LIMIT 1`).pluck()
  return (card, payPeriod) => previous.get(card.employee_ref, payPeriod, card.version) as number | undefined
}

/**
 * The cards to export with their lines, for the file: certifiedPages, each card's lines as one text (LINES_TEXT).
 * Each card's lines are summed per hour type and accounting code from it, and the card checked against its seal.
 */
export function sealedCardReader(db: Database): CardSource {
  const hourTypes = hourTypesOf(db)
  const linesOf = db.prepare(`SELECT l.hour_type, l.accounting_code, sum(l.hours) AS hours, h.transaction_code, h.counts_toward_tour
    FROM timecard_lines l JOIN hour_types h ON h.code = l.hour_type WHERE l.timecard_id = ? GROUP BY l.hour_type, l.accounting_code`)
  // The lines of the page being given: card id → its lines' text.
  const lines = new Map<number, string>()
  return {
    certifiedCards: (payPeriod: string, orgPrefix: string | null) => certifiedPages(db, payPeriod, orgPrefix, lines),
    previousExport: previousExports(db),
    linesOf: (timecardId: number) => linesOf.all(timecardId) as LineSum[],
    /** A card's lines summed per hour type and accounting code, and whether they no longer match its seal. */
    sealedLinesOf(card: CardToExport, payPeriod: string): {lines: LineSum[]; sealBroken: boolean} {
      const text = lines.get(card.id) ?? ''
      const sums = new Map<string, LineSum>()
      for (let start = 0; start < text.length;) {
        let end = text.indexOf('\n', start)
        if (end < 0) end = text.length
        // hour_type TAB accounting_code, between the work date and the hours (neither has a TAB).
        const tab = text.indexOf('\t', start)
        const last = text.lastIndexOf('\t', end - 1)
        const key = text.slice(tab + 1, last)
        const hours = Number(text.slice(last + 1, end))
        start = end + 1
        const sum = sums.get(key)
        if (sum) {
          sum.hours += hours
          continue
        }
        const split = key.indexOf('\t')
        const hourType = key.slice(0, split)
        const type = hourTypes.get(hourType)
        if (type === undefined) continue // an hour type not in hour_types: linesOf's join leaves it out too
        sums.set(key, {hour_type: hourType, accounting_code: key.slice(split + 1), hours, transaction_code: type.transactionCode, counts_toward_tour: type.counts})
      }
      return {lines: [...sums.values()], sealBroken: card.seal !== cardSealOfText({id: card.id, employee_ref: card.employee_ref, version: card.version, pay_period_start: payPeriod}, text)}
    },
  }
}
