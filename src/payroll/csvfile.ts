import {stringify} from 'csv-stringify/sync'
import {createHash} from 'node:crypto'

import {neutralizeCell} from '../csv/write.js'
import {type BatchHeader, type DetailRecord, sortDetails} from './nfc.js'

/** The payroll CSV (FORMATS.md `--format csv`): pure formatting, no I/O. */
export const CSV_COLUMNS = [
  'employee_id', 'ssn', 'last_name', 'first_name', 'middle_initial', 'pay_plan', 'grade', 'step', 'tour',
  'scheduled_hours', 'pay_period_start', 'transaction_code', 'hour_type', 'hours', 'accounting_code', 'correction',
  'version',
] as const

const TOUR_LETTER: Record<DetailRecord['tour'], string> = {FT: 'F', PT: 'P', INT: 'I'}
const HASH_MODULUS = 10n ** 15n

/** Hundredths → decimal hours as text without trailing zeros: 800 → '8', 750 → '7.5', 825 → '8.25'. */
function hoursText(hundredths: number): string {
  return String(hundredths / 100)
}

/** The first letter of the middle name (upper-cased, accents kept: the CSV is UTF-8), or ''. */
function middleInitial(middle: string | null): string {
  const first = /\p{L}/u.exec((middle ?? '').normalize('NFC'))?.[0]
  return first ? first.toUpperCase() : ''
}

export interface CsvControl {batchId: string; payPeriod: string; records: number; employees: number; totalHours: number; hashTotal: number; sha256: string}

/**
 * The file as it is written, piece by piece: the column row, then the rows of one employee at a time
 * (callers pass employees in employee_id order). Only running totals are kept; the file's sha256 (for the
 * control file) is the caller's, who sees every byte.
 */
export class CsvWriter {
  private hundredths = 0
  private ssnSum = 0n
  private count = 0
  private employees = 0
  private lastEmployee: string | undefined

  constructor(private readonly header: BatchHeader) {}

  start(): string {
    return stringify([[...CSV_COLUMNS]], {record_delimiter: 'unix', eof: true})
  }

  /** The rows of one employee's details (any order: sorted here), each ending in '\n'. */
  records(details: readonly DetailRecord[]): string {
    const text = (s: string | null) => neutralizeCell(s ?? '')
    const rows: string[][] = []
    for (const d of sortDetails(details)) {
      rows.push([
        text(d.employeeId),
        text(d.ssn),
        text(d.lastName),
        text(d.firstName),
        text(middleInitial(d.middleName)),
        text(d.payPlan),
        text(d.grade),
        d.step === null ? '' : String(d.step),
        TOUR_LETTER[d.tour],
        hoursText(d.scheduledHours),
        text(this.header.payPeriodStart),
        text(d.transactionCode),
        text(d.hourType),
        hoursText(d.hours),
        text(d.accountingCode),
        d.correction ? 'C' : 'O',
        String(d.version),
      ])
      this.hundredths += d.hours
      if (d.ssn !== null && /^\d+$/.test(d.ssn)) this.ssnSum += BigInt(d.ssn)
      if (d.employeeId !== this.lastEmployee) {
        this.employees++
        this.lastEmployee = d.employeeId
      }
      this.count++
    }
    return rows.length === 0 ? '' : stringify(rows, {record_delimiter: 'unix', eof: true})
  }

  /** The control file's values, given the sha256 of the whole file. */
  control(sha256: string): CsvControl {
    return {
      batchId: this.header.batchId,
      payPeriod: this.header.payPeriodStart,
      records: this.count,
      employees: this.employees,
      totalHours: this.hundredths / 100,
      hashTotal: Number(this.ssnSum % HASH_MODULUS),
      sha256,
    }
  }
}

/** The whole file at once (CsvWriter over every detail). */
export function buildCsvFile(header: BatchHeader, details: readonly DetailRecord[]): {content: string; control: CsvControl} {
  const writer = new CsvWriter(header)
  const content = writer.start() + writer.records(details)
  return {content, control: writer.control(createHash('sha256').update(content, 'utf8').digest('hex'))}
}
