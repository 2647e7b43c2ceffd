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

export function buildCsvFile(
  header: BatchHeader,
  details: readonly DetailRecord[],
): {
  content: string
  control: {batchId: string; payPeriod: string; records: number; employees: number; totalHours: number; hashTotal: number; sha256: string}
} {
  const sorted = sortDetails(details)
  const text = (s: string | null) => neutralizeCell(s ?? '')
  const rows: string[][] = [[...CSV_COLUMNS]]
  let hundredths = 0
  let ssnSum = 0n
  const employees = new Set<string>()
  for (const d of sorted) {
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
      text(header.payPeriodStart),
      text(d.transactionCode),
      text(d.hourType),
      hoursText(d.hours),
      text(d.accountingCode),
      d.correction ? 'C' : 'O',
      String(d.version),
    ])
    hundredths += d.hours
    if (d.ssn !== null && /^\d+$/.test(d.ssn)) ssnSum += BigInt(d.ssn)
    employees.add(d.employeeId)
  }
  const content = stringify(rows, {record_delimiter: 'unix', eof: true})
  return {
    content,
    control: {
      batchId: header.batchId,
      payPeriod: header.payPeriodStart,
      records: sorted.length,
      employees: employees.size,
      totalHours: hundredths / 100,
      hashTotal: Number(ssnSum % HASH_MODULUS),
      sha256: createHash('sha256').update(content, 'utf8').digest('hex'),
    },
  }
}
