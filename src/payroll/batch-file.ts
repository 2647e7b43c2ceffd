import {CustodianError, ExitCode} from '../errors.js'
import {type CipherKey, decryptSsn, sealBytes} from '../store/ssn-crypto.js'
import {CsvWriter} from './csvfile.js'
import type {CardToExport, LineSum} from './export-job.js'
import {type BatchHeader, type DetailRecord, NfcWriter} from './nfc.js'
import {BatchSink, type KeptChunk} from './sink.js'

/**
 * A payroll batch's file as it is made, a card at a time (cards in employee_id order, the FORMATS.md order):
 * each employee's records written once the next employee's card comes, into the file's temp copy and the
 * chunks the store keeps (sink.ts). What the service makes on the main thread (PostgreSQL) and the SQLite
 * export's worker thread makes (export-worker.ts) alike; it loads nothing of the store.
 */

export type PayrollFormat = 'nfc' | 'csv'

/** What the batch's row records of its file once it is made. */
export interface MadeFile {
  sha256: string
  records: number
  employees: number
  totalHundredths: number
  hashTotal: number
  /** The CSV format's control file (JSON); null for nfc. */
  control: string | null
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
  private readonly sink: BatchSink
  private employee: DetailRecord[] = []

  /** `tmp`: the file's temp copy (created here, 0600); `out`: the file as the user named it (for errors). */
  constructor(header: BatchHeader, format: PayrollFormat, tmp: string, out: string, private readonly keys: CipherKey) {
    this.writer = format === 'csv' ? new CsvWriter(header) : new NfcWriter(header)
    this.sink = new BatchSink(tmp, (error) => outputError(out, error), (bytes) => sealBytes(keys, bytes))
    try {
      this.sink.write(this.writer.start())
    } catch (error) {
      this.sink.close()
      throw error
    }
  }

  /**
   * A card's detail records, from its lines summed per hour type and accounting code. True when the records of
   * the employee before were written (chunks may be ready: take()).
   */
  add(card: CardToExport, lines: readonly LineSum[], correction: boolean): boolean {
    let wrote = false
    if (this.employee.length > 0 && this.employee[0].employeeId !== card.employee_id) {
      this.sink.write(this.writer.records(this.employee))
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

  /** The kept chunks made since the last call, for the caller to store now (sink.ts take()). */
  take(): Promise<KeptChunk[]> {
    return this.sink.take()
  }

  /** Writes the last employee's records and the control record, makes the file durable: its totals and last chunks. */
  async end(): Promise<MadeFile & {chunks: KeptChunk[]}> {
    let trailer: ReturnType<NfcWriter['end']> | undefined
    let kept: {sha256: string; chunks: KeptChunk[]}
    try {
      this.sink.write(this.writer.records(this.employee))
      this.employee = []
      if (this.writer instanceof NfcWriter) {
        trailer = this.writer.end()
        this.sink.write(trailer.text)
      }
      kept = await this.sink.finish()
    } finally {
      this.sink.close()
    }
    const {sha256, chunks} = kept
    if (this.writer instanceof CsvWriter) {
      const built = this.writer.control(sha256)
      return {sha256, chunks, control: `${JSON.stringify(built, null, 2)}\n`, records: built.records, employees: built.employees,
        totalHundredths: Math.round(built.totalHours * 100), hashTotal: built.hashTotal}
    }
    const {controls} = trailer!
    return {sha256, chunks, control: null, records: controls.records, employees: controls.employees, totalHundredths: controls.totalHours, hashTotal: controls.hashTotal}
  }

  /** Closes the file (the caller discards it) after a failure. */
  close(): void {
    this.sink.close()
  }
}
