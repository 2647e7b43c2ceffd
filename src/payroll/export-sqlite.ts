import {type DisclosureEntry, disclosureSetWriter} from '../disclosures/accounting.js'
import {type FieldChange, employeeHistorySetWriter} from '../personnel/history.js'
import type {Store} from '../store/index.js'
import type {Tour} from '../timecards/leave.js'
import {cardHistorySetWriter, statusChange} from '../timecards/history.js'
import {sqliteOf} from '../store/store.js'
import {type SealedLine, cardSeal} from '../timecards/seal.js'
import type {KeptChunk} from './sink.js'

/**
 * The data side of `payroll export` (a hot path: every certified card of a pay period), as one small
 * interface so each engine can do it its own way. The file itself is made by nfc.ts / csvfile.ts; the
 * flow, the leave arithmetic and the output protocol are in service.ts.
 */
export interface ExportJob {
  /**
   * Current certified cards of the pay period in scope, in employee_id order, with what the file and leave
   * need: a page at a time (an engine may give them all in one page). The caller may post() cards of a page
   * before it asks for the next.
   */
  certifiedCards(payPeriod: string, orgPrefix: string | null): AsyncIterable<CardToExport[]>
  /** A card version's lines summed per hour type and accounting code, with the hour type's transaction code. */
  linesOf(timecardId: number): LineSum[]
  /** As linesOf, for a card being exported, read in the same pass that checks them against the card's seal. */
  sealedLinesOf(card: CardToExport, payPeriod: string): {lines: LineSum[]; sealBroken: boolean}
  /** The latest exported earlier version of the card (an amendment of it is a correction), if any. */
  previousExport(card: CardToExport, payPeriod: string): number | undefined
  /** A batch row to number the file by; filled in by closeBatch once the file is made. */
  openBatch(batch: {payPeriod: string; format: string; createdAt: string; createdBy: string}): Promise<number>
  closeBatch(ref: number, batch: {batchId: string; records: number; employees: number; totalHundredths: number; hashTotal: number; corrections: number; sha256: string; control: string | null}): Promise<void>
  /** Stores chunks of the batch's kept file (payroll_batch_chunks) as they are made. */
  keepChunks(ref: number, chunks: readonly KeptChunk[]): Promise<void>
  /**
   * What exporting one card does in the store: the card marked exported and linked to the batch, its
   * history, the leave posted to the employee (with history), the employee carried by the batch, and the
   * disclosure accounted. The batch, time, actor and disclosure are the same for every card of an export; an
   * engine may write what post() gathers later (by finish(), before the caller's COMMIT).
   */
  post(ref: number, card: CardToExport, posting: CardPosting): void
  /** Writes what post() kept back, if the engine batches (before the caller's COMMIT). */
  finish(): Promise<void>
}

/**
 * The certified cards' query, for both engines ($1: pay period, $2: org prefix when scoped). Paged (SQLite):
 * employees in employee_id order, each with its card, from after the last card of the page before (the next
 * parameters: that employee_id twice, that card's id, the page size).
 */
export const certifiedCardsSql = (scoped: boolean, param: (i: number) => string, collate = '', paged = false): string => `SELECT c.id, c.version, c.employee_ref, c.seal, e.employee_id, e.ssn_cipher AS ssn,
    e.last_name, e.first_name, e.middle_name, e.pay_plan, e.grade, e.step, e.tour_of_duty, e.scheduled_hours, e.service_comp_date,
    e.annual_leave_balance, e.sick_leave_balance, e.comp_time_balance
  FROM ${paged ? 'employees e CROSS JOIN timecards c INDEXED BY timecards_employee_period_version ON c.employee_ref = e.id' : 'timecards c JOIN employees e ON e.id = c.employee_ref'}
  WHERE c.pay_period_start = ${param(1)} AND c.is_current = 1 AND c.status = 'certified' ${scoped ? `AND e.org_code LIKE ${param(2)} || '%'` : ''}${
  paged ? ` AND e.employee_id >= ? AND (e.employee_id > ? OR c.id > ?) ORDER BY e.employee_id, c.id LIMIT ?` : ` ORDER BY e.employee_id${collate}`}`

/** Cards in a page of the SQLite export: few enough that a page dies young (memory), many enough that the query's cost is spread. */
const PAGE = 64
/** The export's SQLite page cache, in KiB (as PRAGMA cache_size takes it: negative). */
const EXPORT_CACHE_KB = -4000

export interface CardToExport {
  id: number
  version: number
  employee_ref: number
  /** The content digest of the card from when it was certified (timecards/seal.ts). */
  seal: string | null
  employee_id: string
  /** The SSN sealed (employees.ssn_cipher): the export unseals it with the key. */
  ssn: string | null
  last_name: string
  first_name: string
  middle_name: string | null
  pay_plan: string
  grade: string | null
  step: number | null
  tour_of_duty: Tour
  scheduled_hours: number
  service_comp_date: string | null
  annual_leave_balance: number
  sick_leave_balance: number
  comp_time_balance: number
}

export interface LineSum {
  hour_type: string
  accounting_code: string
  hours: number
  transaction_code: string
  counts_toward_tour: number
}

export interface CardPosting {
  batchId: string
  correction: boolean
  /** Leave balance changes, in hundredths. */
  delta: {annual: number; sick: number; compTime: number}
  leaveChanges: FieldChange[]
  leaveReason: string
  at: string
  actor: string
  disclosure: Omit<DisclosureEntry, 'employee_ref' | 'subject_employee_id'>
}

/** A card's line as the page's lines query gives it (raw): timecard_id, work_date, hour_type, accounting_code, hours. */
type RawLine = [number, string, string, string, number]

/**
 * Prepared statements on the store's one connection, inside the caller's transaction. A page of cards is read
 * with its lines in two queries (not one per card), and what post() does is gathered in a temporary table and
 * written set-wise once the page is done (a few statements per page, not seven per card): the same rows, in the
 * same order, as one card at a time.
 */
export function sqliteExportJob(store: Store): ExportJob {
  const db = sqliteOf(store, 'payroll export')
  // A smaller page cache than better-sqlite3's 16 MB while the export runs (its memory stays flat: issue 20);
  // the cards are read in key order, so little is read twice.
  const cache = db.pragma('cache_size', {simple: true}) as number
  db.pragma(`cache_size = ${EXPORT_CACHE_KB}`)
  const linesOf = db.prepare(`SELECT l.hour_type, l.accounting_code, sum(l.hours) AS hours, h.transaction_code, h.counts_toward_tour
    FROM timecard_lines l JOIN hour_types h ON h.code = l.hour_type WHERE l.timecard_id = ? GROUP BY l.hour_type, l.accounting_code`)
  // The hour types (a handful of rows), read once: the lines are summed against them here, as linesOf's join does.
  const hourTypes = new Map((db.prepare('SELECT code, transaction_code, counts_toward_tour FROM hour_types').raw().all() as [string, string, number][])
    .map(([code, transactionCode, counts]) => [code, {transactionCode, counts}]))
  // A page's lines, card by card in key order (the order a card's seal hashes them); the ids not in a short page are NULL (match nothing).
  const pageLines = db.prepare(`SELECT l.timecard_id, l.work_date, l.hour_type, l.accounting_code, l.hours FROM timecard_lines l
    WHERE l.timecard_id IN (${Array.from({length: PAGE}, () => '?').join(', ')}) ORDER BY l.timecard_id, l.work_date, l.hour_type, l.accounting_code`).raw()
  const previousExport = db.prepare(`SELECT id FROM timecards WHERE employee_ref = ? AND pay_period_start = ? AND version < ? AND status = 'exported'
    ORDER BY version DESC LIMIT 1`).pluck()
  const keepChunk = db.prepare('INSERT INTO payroll_batch_chunks (batch_ref, seq, content) VALUES (?, ?, ?)')
  // The postings of the page being exported, in post() order (seq), written by writePostings().
  db.exec(`CREATE TEMP TABLE IF NOT EXISTS payroll_export_postings (seq INTEGER PRIMARY KEY, timecard_id INTEGER NOT NULL, version INTEGER NOT NULL,
    employee_ref INTEGER NOT NULL, employee_id TEXT NOT NULL, correction INTEGER NOT NULL, annual INTEGER NOT NULL, sick INTEGER NOT NULL, comp_time INTEGER NOT NULL,
    leave_changes TEXT NOT NULL, leave_reason TEXT NOT NULL); DELETE FROM temp.payroll_export_postings`)
  const posting = db.prepare(`INSERT INTO temp.payroll_export_postings (timecard_id, version, employee_ref, employee_id, correction, annual, sick, comp_time, leave_changes, leave_reason)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`)
  const postings = 'temp.payroll_export_postings'
  const markExported = db.prepare(`UPDATE timecards SET status = 'exported', export_batch_id = ?, updated_at = ? WHERE id IN (SELECT timecard_id FROM ${postings})`)
  const linkCards = db.prepare(`INSERT INTO payroll_batch_cards (batch_ref, timecard_id, correction) SELECT ?, timecard_id, correction FROM ${postings} ORDER BY seq`)
  const postLeave = db.prepare(`UPDATE employees SET annual_leave_balance = annual_leave_balance + p.annual, sick_leave_balance = sick_leave_balance + p.sick,
      comp_time_balance = comp_time_balance + p.comp_time, updated_at = ?
    FROM (SELECT employee_ref, sum(annual) AS annual, sum(sick) AS sick, sum(comp_time) AS comp_time FROM ${postings} GROUP BY employee_ref) p WHERE employees.id = p.employee_ref`)
  const carried = db.prepare(`INSERT OR IGNORE INTO payroll_batch_subjects (batch_ref, employee_id) SELECT ?, employee_id FROM ${postings} ORDER BY seq`)
  const cardHistory = cardHistorySetWriter(db, postings)
  const employeeHistory = employeeHistorySetWriter(db, postings)
  const disclose = disclosureSetWriter(db, postings)
  const clear = db.prepare(`DELETE FROM ${postings}`)
  // What every card of the export shares (batch, time, actor, disclosure): the last post()'s, written with the page.
  let pending: {ref: number; p: CardPosting} | undefined
  const writePostings = () => {
    if (!pending) return
    const {ref, p} = pending
    pending = undefined
    markExported.run(ref, p.at)
    linkCards.run(ref)
    cardHistory({at: p.at, actor: p.actor, action: 'export', changes: [statusChange('certified', 'exported'), {field: 'batch', from: null, to: p.batchId}], reason: null})
    postLeave.run(p.at)
    employeeHistory({at: p.at, actor: p.actor, action: 'payroll.leave', batchId: null})
    carried.run(ref)
    disclose(p.disclosure)
    clear.run()
  }
  // The lines of the page being exported, by card id.
  let lines = new Map<number, RawLine[]>()
  return {
    async *certifiedCards(payPeriod, orgPrefix) {
      const page = db.prepare(certifiedCardsSql(orgPrefix !== null, () => '?', '', true))
      const scope = orgPrefix ? [payPeriod, orgPrefix] : [payPeriod]
      const ids: (number | null)[] = Array.from({length: PAGE}, () => null)
      let last = {employeeId: '', id: 0}
      for (;;) {
        const cards = page.all(...scope, last.employeeId, last.employeeId, last.id, PAGE) as CardToExport[]
        for (let i = 0; i < PAGE; i++) ids[i] = i < cards.length ? cards[i].id : null
        lines = new Map()
        for (const line of pageLines.all(...ids) as RawLine[]) {
          const of = lines.get(line[0])
          if (of) of.push(line)
          else lines.set(line[0], [line])
        }
        yield cards
        // The page's cards are posted before the next page is read (the next cards see what they changed).
        writePostings()
        if (cards.length < PAGE) return
        const end = cards.at(-1)!
        last = {employeeId: end.employee_id, id: end.id}
      }
    },
    linesOf: (timecardId) => linesOf.all(timecardId) as LineSum[],
    sealedLinesOf(card, payPeriod) {
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
    previousExport: (card, payPeriod) => previousExport.get(card.employee_ref, payPeriod, card.version) as number | undefined,
    openBatch: async (b) => Number(db.prepare(`INSERT INTO payroll_batches (batch_id, pay_period_start, format, created_at, created_by, records, employees, total_hours,
        hash_total, corrections, sha256, content) VALUES ('pending', ?, ?, ?, ?, 0, 0, 0, 0, 0, '', x'')`).run(b.payPeriod, b.format, b.createdAt, b.createdBy).lastInsertRowid),
    async closeBatch(ref, b) {
      db.prepare('UPDATE payroll_batches SET batch_id = ?, records = ?, employees = ?, total_hours = ?, hash_total = ?, corrections = ?, sha256 = ?, control = ? WHERE id = ?')
        .run(b.batchId, b.records, b.employees, b.totalHundredths, b.hashTotal, b.corrections, b.sha256, b.control, ref)
    },
    async keepChunks(ref, chunks) {
      for (const c of chunks) keepChunk.run(ref, c.seq, c.content)
    },
    post(ref, card, p) {
      posting.run(card.id, card.version, card.employee_ref, card.employee_id, p.correction ? 1 : 0, p.delta.annual, p.delta.sick, p.delta.compTime, JSON.stringify(p.leaveChanges), p.leaveReason)
      pending = {ref, p}
    },
    finish: async () => {
      writePostings()
      db.exec(`DROP TABLE IF EXISTS ${postings}`)
      db.pragma(`cache_size = ${cache}`)
    },
  }
}
