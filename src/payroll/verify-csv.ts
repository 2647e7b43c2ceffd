import {parse} from 'csv-parse/sync'
import {createHash} from 'node:crypto'

import {isRealDate} from '../calendar/dates.js'
import {CSV_COLUMNS} from './csvfile.js'
import type {VerifyProblem, VerifyReport} from './verify.js'

const HASH_MODULUS = 10n ** 15n
const HOURS = /^-?\d{1,4}(\.\d{1,2})?$/

/** Is this the payroll CSV format (its header row), rather than the NFC fixed-width file? */
export function looksLikePayrollCsv(content: Buffer): boolean {
  return content.subarray(0, 64).toString('utf8').startsWith(`${CSV_COLUMNS.slice(0, 3).join(',')},`)
}

/**
 * `payroll verify` of a `--format csv` file (FORMATS.md): its header and rows, and its control file
 * (`<file>.control.json`: records, employees, total hours, hash total of the SSNs, sha256 of the file),
 * recomputed from the rows. Pure: the caller reads both files. Never throws.
 */
export function verifyPayrollCsv(content: Buffer, controlText: string | null): VerifyReport {
  const problems: VerifyProblem[] = []
  let rows: string[][]
  try {
    rows = parse(content, {relax_column_count: true, skip_empty_lines: true}) as string[][]
  } catch (error) {
    return {ok: false, records: 0, totalHours: 0, hashTotal: 0, problems: [{line: (error as {lines?: number}).lines ?? 1, message: `not valid CSV: ${(error as Error).message}`}]}
  }
  const [header = [], ...details] = rows
  if (header.join(',') !== CSV_COLUMNS.join(',')) problems.push({line: 1, message: `the header is not the payroll CSV's (${CSV_COLUMNS.join(',')})`})
  let hundredths = 0
  let ssnSum = 0n
  const employees = new Set<string>()
  details.forEach((cells, i) => {
    const line = i + 2
    if (cells.length !== CSV_COLUMNS.length) {
      problems.push({line, message: `${cells.length} fields; a detail row has ${CSV_COLUMNS.length}`})
      return
    }
    const v = Object.fromEntries(CSV_COLUMNS.map((c, k) => [c, cells[k]!])) as Record<(typeof CSV_COLUMNS)[number], string>
    if (!HOURS.test(v.hours)) problems.push({line, message: `hours "${v.hours.slice(0, 20)}" is not a number of hours`})
    else hundredths += Math.round(Number(v.hours) * 100)
    if (!isRealDate(v.pay_period_start)) problems.push({line, message: 'pay_period_start is not a date'})
    if (v.correction !== 'O' && v.correction !== 'C') problems.push({line, message: 'correction is neither O nor C'})
    if (v.ssn !== '' && !/^\d{9}$/.test(v.ssn)) problems.push({line, message: 'ssn is not 9 digits'})
    else if (v.ssn !== '') ssnSum += BigInt(v.ssn)
    employees.add(v.employee_id)
  })
  const totals = {records: details.length, employees: employees.size, totalHours: hundredths / 100, hashTotal: Number(ssnSum % HASH_MODULUS)}
  if (controlText === null) {
    problems.push({line: 0, message: 'no control file beside it (<file>.control.json): the totals cannot be checked'})
  } else {
    let control: Record<string, unknown> = {}
    try {
      control = JSON.parse(controlText) as Record<string, unknown>
    } catch {
      problems.push({line: 0, message: 'the control file is not JSON'})
    }
    const sha256 = createHash('sha256').update(content).digest('hex')
    for (const [key, actual] of Object.entries({...totals, sha256})) {
      if (controlText !== null && Object.keys(control).length > 0 && control[key] !== actual) {
        problems.push({line: 0, message: `control ${key} is ${JSON.stringify(control[key])}, the file gives ${JSON.stringify(actual)}`})
      }
    }
  }
  return {ok: problems.length === 0, records: totals.records, totalHours: totals.totalHours, hashTotal: totals.hashTotal, problems}
}
