import type {DisclosureEntry} from '../disclosures/accounting.js'
import type {FieldChange} from '../personnel/history.js'
import type {Tour} from '../timecards/leave.js'
import type {KeptChunk} from './sink.js'

/**
 * The data side of `payroll export` (a hot path: every certified card of a pay period), as small interfaces so
 * each engine can do it its own way: reading the cards for the file and the leave (CardSource), and writing
 * what exporting them does (ExportJob). The file itself is made by batch-file.ts from what export-cards.ts
 * reads; the flow and the output protocol are in service.ts.
 */
export interface ExportJob {
  /**
   * Where the cards are read, on the thread that writes (PostgreSQL: a cursor in the export's transaction). None
   * (SQLite): the export's worker thread reads them on a connection of its own and makes the file while this
   * thread writes (export-worker-sqlite.ts).
   */
  readonly source?: CardSource
  /** Whether the pay period in scope has a certified card to export (NOTHING_TO_EXPORT otherwise). */
  anyCertified(payPeriod: string, orgPrefix: string | null): Promise<boolean>
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
  post(ref: number, card: PostedCard, posting: CardPosting): void
  /** Writes what post() kept back, if the engine batches (before the caller's COMMIT). */
  finish(): Promise<void>
}

/** The cards of an export as one engine reads them, with their lines, seals and the versions they correct. */
export interface CardSource {
  /**
   * Current certified cards of the pay period in scope, in employee_id order, with what the file and leave
   * need: a page at a time (an engine may give them all in one page). The caller may post() cards of a page
   * before it asks for the next.
   */
  certifiedCards(payPeriod: string, orgPrefix: string | null): AsyncIterable<CardToExport[]> | Iterable<CardToExport[]>
  /** A card version's lines summed per hour type and accounting code, with the hour type's transaction code. */
  linesOf(timecardId: number): LineSum[]
  /** As linesOf, for a card of the page being exported, read in the same pass that checks them against its seal. */
  sealedLinesOf(card: CardToExport, payPeriod: string): {lines: LineSum[]; sealBroken: boolean}
  /** The latest exported earlier version of the card (an amendment of it is a correction), if any. */
  previousExport(card: CardToExport, payPeriod: string): number | undefined
}

/** What posting a card needs of it. */
export type PostedCard = Pick<CardToExport, 'id' | 'version' | 'employee_ref' | 'employee_id' | 'annual_leave_balance' | 'sick_leave_balance' | 'comp_time_balance'>

/** A card to post, as the reading side gives it: whether it corrects an exported version, and its leave (hundredths). */
export interface CardToPost {
  card: PostedCard
  correction: boolean
  delta: {annual: number; sick: number; compTime: number}
}

/**
 * The certified cards' query, for both engines ($1: pay period, $2: org prefix when scoped), in employee_id order.
 * With `linesColumn` (SQLite): the employees read in employee_id order through their unique index (nothing is
 * sorted but an employee's cards), each with its card, and that column (the card's lines) after the card's.
 */
export const certifiedCardsSql = (scoped: boolean, param: (i: number) => string, collate = '', linesColumn?: string): string => `SELECT c.id, c.version, c.employee_ref, c.seal, e.employee_id, e.ssn_cipher AS ssn,
    e.last_name, e.first_name, e.middle_name, e.pay_plan, e.grade, e.step, e.tour_of_duty, e.scheduled_hours, e.service_comp_date,
    e.annual_leave_balance, e.sick_leave_balance, e.comp_time_balance${linesColumn ? `, ${linesColumn}` : ''}
  FROM ${linesColumn ? 'employees e CROSS JOIN timecards c INDEXED BY timecards_employee_period_version ON c.employee_ref = e.id' : 'timecards c JOIN employees e ON e.id = c.employee_ref'}
  WHERE c.pay_period_start = ${param(1)} AND c.is_current = 1 AND c.status = 'certified' ${scoped ? `AND e.org_code LIKE ${param(2)} || '%'` : ''}
  ORDER BY e.employee_id${collate}${linesColumn ? ', c.id' : ''}`

export interface CardToExport {
  id: number
  version: number
  employee_ref: number
  /** The content digest of the card from when it was certified (timecards/seal-text.ts). */
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

/** Whether the query above has a row ($1: pay period, $2: org prefix when scoped). */
export const anyCertifiedSql = (scoped: boolean, param: (i: number) => string): string => `SELECT EXISTS (${certifiedCardsSql(scoped, param)}) AS any`
