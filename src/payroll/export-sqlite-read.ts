import type {Database} from 'better-sqlite3'

import {type SealedLine, cardSeal} from '../timecards/seal-text.js'
import {type CardSource, type CardToExport, type LineSum, certifiedCardsSql} from './export-job.js'

/**
 * The reading side of the SQLite export (a CardSource): the pay period's certified cards a page at a time, in
 * employee_id order, with their lines. The export's worker thread (export-worker.ts) reads through it on a
 * connection of its own while the main thread writes (export-sqlite.ts). Nothing here writes.
 */

/** Cards in a page: few enough that a page dies young (memory), many enough that the query's cost is spread. */
export const PAGE = 64
/** The export's SQLite page cache, in KiB (as PRAGMA cache_size takes it: negative). */
export const EXPORT_CACHE_KB = -4000

/** A card's line as the page's lines query gives it (raw): timecard_id, work_date, hour_type, accounting_code, hours. */
type RawLine = [number, string, string, string, number]

interface HourType {
  transactionCode: string
  counts: number
}

/** The hour types (a handful of rows), read once: lines are summed against them as linesOf's join does. */
const hourTypesOf = (db: Database): Map<string, HourType> =>
  new Map((db.prepare('SELECT code, transaction_code, counts_toward_tour FROM hour_types').raw().all() as [string, string, number][])
    .map(([code, transactionCode, counts]) => [code, {transactionCode, counts}]))

/**
 * The certified cards of a pay period in scope, a page (PAGE cards) at a time; `onPage` runs with each page's
 * card ids before the page is given (its lines read in one query).
 */
function* certifiedPages(db: Database, payPeriod: string, orgPrefix: string | null, onPage: (ids: (number | null)[]) => void): Generator<CardToExport[]> {
  const page = db.prepare(certifiedCardsSql(orgPrefix !== null, () => '?', '', true))
  const scope = orgPrefix ? [payPeriod, orgPrefix] : [payPeriod]
  // The ids not in a short page are NULL (match nothing), so a page's statements take PAGE ids always.
  const ids: (number | null)[] = Array.from({length: PAGE}, () => null)
  let last = {employeeId: '', id: 0}
  for (;;) {
    const cards = page.all(...scope, last.employeeId, last.employeeId, last.id, PAGE) as CardToExport[]
    for (let i = 0; i < PAGE; i++) ids[i] = i < cards.length ? cards[i].id : null
    onPage(ids)
    yield cards
    if (cards.length < PAGE) return
    const end = cards.at(-1)!
    last = {employeeId: end.employee_id, id: end.id}
  }
}

/** `?, ?, ...` for a page's ids. */
const pageIds = (): string => Array.from({length: PAGE}, () => '?').join(', ')

/** The statement behind CardSource.previousExport. */
function previousExports(db: Database): (card: CardToExport, payPeriod: string) => number | undefined {
  const previous = db.prepare(`SELECT id FROM timecards WHERE employee_ref = ? AND pay_period_start = ? AND version < ? AND status = 'exported'
    ORDER BY version DESC LIMIT 1`).pluck()
  return (card, payPeriod) => previous.get(card.employee_ref, payPeriod, card.version) as number | undefined
}

/**
 * The cards to export with their lines, for the file: certifiedPages with each page's lines read in one query
 * (card by card in key order, the order a card's seal hashes them), and each card's lines summed per hour type
 * and accounting code and checked against its seal.
 */
export function sealedCardReader(db: Database): CardSource {
  const hourTypes = hourTypesOf(db)
  const linesOf = db.prepare(`SELECT l.hour_type, l.accounting_code, sum(l.hours) AS hours, h.transaction_code, h.counts_toward_tour
    FROM timecard_lines l JOIN hour_types h ON h.code = l.hour_type WHERE l.timecard_id = ? GROUP BY l.hour_type, l.accounting_code`)
  const pageLines = db.prepare(`SELECT l.timecard_id, l.work_date, l.hour_type, l.accounting_code, l.hours FROM timecard_lines l
    WHERE l.timecard_id IN (${pageIds()}) ORDER BY l.timecard_id, l.work_date, l.hour_type, l.accounting_code`).raw()
  let lines = new Map<number, RawLine[]>()
  return {
    certifiedCards: (payPeriod: string, orgPrefix: string | null) => certifiedPages(db, payPeriod, orgPrefix, (ids) => {
      lines = new Map()
      for (const line of pageLines.all(...ids) as RawLine[]) {
        const of = lines.get(line[0])
        if (of) of.push(line)
        else lines.set(line[0], [line])
      }
    }),
    previousExport: previousExports(db),
    linesOf: (timecardId: number) => linesOf.all(timecardId) as LineSum[],
    /** A card's lines summed per hour type and accounting code, and whether they no longer match its seal. */
    sealedLinesOf(card: CardToExport, payPeriod: string): {lines: LineSum[]; sealBroken: boolean} {
      const raw = lines.get(card.id) ?? []
      const sums = new Map<string, LineSum>()
      const sealed: SealedLine[] = []
      for (const [, workDate, hourType, accountingCode, hours] of raw) {
        sealed.push({work_date: workDate, hour_type: hourType, accounting_code: accountingCode, hours})
        const type = hourTypes.get(hourType)
        if (type === undefined) continue // an hour type not in hour_types: linesOf's join leaves it out too
        const key = `${hourType}\t${accountingCode}`
        const sum = sums.get(key)
        if (sum) sum.hours += hours
        else sums.set(key, {hour_type: hourType, accounting_code: accountingCode, hours, transaction_code: type.transactionCode, counts_toward_tour: type.counts})
      }
      return {lines: [...sums.values()], sealBroken: card.seal !== cardSeal({id: card.id, employee_ref: card.employee_ref, version: card.version, pay_period_start: payPeriod}, sealed)}
    },
  }
}
