import {CustodianError, ExitCode} from '../errors.js'
import {type CipherKey, decryptSsn} from '../store/ssn-crypto.js'
import {type CsvControl, CsvWriter} from './csvfile.js'
import type {CardToExport, LineSum} from './export-job.js'
import {type BatchHeader, type DetailRecord, NfcWriter} from './nfc.js'

/**
 * A payroll batch's file as it is made, a card at a time (cards in employee_id order, the FORMATS.md order):
 * each employee's records written once the next employee's card comes, as text to a FileOut. Made on the main
 * thread (PostgreSQL) and in the SQLite export's worker thread (export-worker-sqlite.ts) alike; it loads nothing of
 * the store.
 */

export type PayrollFormat = 'nfc' | 'csv'

/** What the batch's row records of its file once it is made, but its sha256 (where its bytes are hashed). */
export interface FileTotals {
  records: number
  employees: number
  totalHundredths: number
  hashTotal: number
  /** The CSV format's control values but the file's sha256 (csvfile.ts CsvControl); null for nfc. */
  csvControl: Omit<CsvControl, 'sha256'> | null
}

/** The CSV control file's text (JSON), given the file's sha256. */
export const controlText = (values: Omit<CsvControl, 'sha256'>, sha256: string): string => `${JSON.stringify({...values, sha256} satisfies CsvControl, null, 2)}\n`

/**
 * Where the file's text goes as it is made: a BatchSink (the file, its sha256 and its kept chunks, on this
 * thread), or the export's worker sending the bytes to the main thread's sink (export-worker-sqlite.ts).
 */
export interface FileOut {
  write(text: string): void
}

/** A card whose content changed since it was certified (its seal no longer matches): nothing is exported. */
export interface BrokenCard {
  employeeId: string
  version: number
}

/** OUT_UNWRITABLE (exit 2) for a failure to write the file; a CustodianError as it is. */
export function outputError(file: string, error: unknown): CustodianError {
  if (error instanceof CustodianError) return error
  const reason = (error as NodeJS.ErrnoException)?.code ?? (error as Error)?.message
  return new CustodianError('OUT_UNWRITABLE', `Cannot write ${file} (${reason}); nothing was exported. Choose a writable --out.`, ExitCode.usage, {file})
}

export class BatchFile {
  private readonly writer: NfcWriter | CsvWriter
  private employee: DetailRecord[] = []

  constructor(header: BatchHeader, format: PayrollFormat, private readonly out: FileOut, private readonly keys: CipherKey) {
    this.writer = format === 'csv' ? new CsvWriter(header) : new NfcWriter(header)
    out.write(this.writer.start())
  }

  /**
   * A card's detail records, from its lines summed per hour type and accounting code. True when the records of
   * the employee before were written (what the out made of them may be ready).
   */
  add(card: CardToExport, lines: readonly LineSum[], correction: boolean): boolean {
    let wrote = false
    if (this.employee.length > 0 && this.employee[0].employeeId !== card.employee_id) {
      this.out.write(this.writer.records(this.employee))
      this.employee = []
      wrote = true
    }
    // Unsealed once per card (not per detail record: the decryption was a fifth of the export's time).
    const ssn = card.ssn === null || lines.length === 0 ? null : decryptSsn(this.keys, card.ssn)
    for (const l of lines) {
      this.employee.push({
        ssn, employeeId: card.employee_id, lastName: card.last_name, firstName: card.first_name, middleName: card.middle_name,
        payPlan: card.pay_plan, grade: card.grade, step: card.step, tour: card.tour_of_duty, scheduledHours: card.scheduled_hours,
        transactionCode: l.transaction_code, hourType: l.hour_type, hours: l.hours, accountingCode: l.accounting_code, correction, version: card.version,
      })
    }
    return wrote
  }

  /** Writes the last employee's records and the control record (nfc): the file's totals. */
  end(): FileTotals {
    this.out.write(this.writer.records(this.employee))
    this.employee = []
    if (this.writer instanceof CsvWriter) {
      const {sha256: _, ...values} = this.writer.control('')
      return {csvControl: values, records: values.records, employees: values.employees, totalHundredths: Math.round(values.totalHours * 100), hashTotal: values.hashTotal}
    }
    const {text, controls} = this.writer.end()
    this.out.write(text)
    return {csvControl: null, records: controls.records, employees: controls.employees, totalHundredths: controls.totalHours, hashTotal: controls.hashTotal}
  }
}
