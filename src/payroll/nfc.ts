import {createHash} from 'node:crypto'

import {isRealDate} from '../calendar/dates.js'

/**
 * The fixed-width payroll interchange file (FORMATS.md `--format nfc`): pure formatting, no I/O.
 *
 * Every record is exactly RECORD_LENGTH ASCII characters followed by '\n'. Positions in the comments below
 * are 1-based and inclusive, as in FORMATS.md.
 */
export const RECORD_LENGTH = 120

export interface BatchHeader {
  agencyCode: string
  /** 'B000000001' */
  batchId: string
  /** YYYY-MM-DD */
  payPeriodStart: string
  /** 'YYYY-NN' */
  payPeriodNumber: string
  /** ISO-8601 UTC timestamp */
  createdAt: string
}

export interface DetailRecord {
  /** 9 digits or null */
  ssn: string | null
  employeeId: string
  lastName: string
  firstName: string
  middleName: string | null
  payPlan: string
  grade: string | null
  step: number | null
  tour: 'FT' | 'PT' | 'INT'
  /** hundredths */
  scheduledHours: number
  /** 2 digits */
  transactionCode: string
  hourType: string
  /** hundredths */
  hours: number
  accountingCode: string
  correction: boolean
  version: number
}

export interface Controls {
  records: number
  employees: number
  /** hundredths */
  totalHours: number
  /** rightmost 15 digits of the SSN sum */
  hashTotal: number
  /** sha256 hex of all detail lines incl. their \n */
  digest: string
}

const FORMAT_VERSION = '001'
const HASH_MODULUS = 10n ** 15n
const TOURS: Record<DetailRecord['tour'], string> = {FT: 'F', PT: 'P', INT: 'I'}

/**
 * The FORMATS.md text rule without padding: NFD with combining marks dropped, upper-cased, every character
 * outside A–Z 0–9 space , - . ' replaced by a space, and surrounding spaces trimmed (fields are
 * left-justified).
 */
// Names outside ASCII: clean each distinct value once (they repeat on every detail record of an employee).
const cleaned = new Map<string, string>()

// Printable ASCII: NFD leaves it as it is and it has no combining marks, so the rule is upper-case, replace, trim.
const PRINTABLE_ASCII = /^[\x20-\x7e]*$/

// A value the rule leaves as it is (upper-case letters, digits, space , - . ' and no surrounding spaces): most
// accounting codes and ids, on every detail record.
const ALREADY_CLEAN = /^[A-Z0-9,\-.'](?:[A-Z0-9 ,\-.']*[A-Z0-9,\-.'])?$/

function cleanText(value: string): string {
  if (ALREADY_CLEAN.test(value)) return value
  // Most values: no cache (what a cache holds outlives V8's young generation and piles up in the old one: memory).
  if (PRINTABLE_ASCII.test(value)) return value.toUpperCase().replace(/[^A-Z0-9 ,\-.']/g, ' ').trim()
  let hit = cleaned.get(value)
  if (hit === undefined) {
    hit = cleanTextUncached(value)
    if (cleaned.size >= 1024) cleaned.clear()
    cleaned.set(value, hit)
  }
  return hit
}

function cleanTextUncached(value: string): string {
  const stripped = value.normalize('NFD').replace(/\p{M}/gu, '')
  // Upper-casing can itself produce composed letters in a few scripts; strip again.
  const upper = stripped.toUpperCase().normalize('NFD').replace(/\p{M}/gu, '')
  return upper.replace(/[^A-Z0-9 ,\-.']/gu, ' ').trim()
}

function assertLength(length: number): void {
  if (!Number.isSafeInteger(length) || length < 0) throw new RangeError(`Field length ${length} is not a non-negative integer.`)
}

/** A text field: upper-case ASCII per the FORMATS.md rule, left-justified, space-padded, truncated. */
export function nfcText(value: string, length: number): string {
  assertLength(length)
  return cleanText(value).slice(0, length).padEnd(length, ' ')
}

/** A numeric field: right-justified, zero-padded. Throws RangeError if value is negative, not an integer, or too wide. */
export function nfcNumber(value: number, length: number): string {
  assertLength(length)
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new RangeError(`${value} is not a non-negative whole number and cannot be written to a numeric field.`)
  }
  const digits = String(value)
  if (digits.length > length) throw new RangeError(`${value} does not fit in a ${length}-digit numeric field.`)
  return digits.padStart(length, '0')
}

/** A text field holding an identifier: never truncated (two ids must not collapse into one). */
function nfcIdentifier(name: string, value: string, length: number): string {
  const clean = cleanText(value)
  if (clean === '') throw new RangeError(`${name} is empty.`)
  if (clean.length > length) throw new RangeError(`${name} "${value}" is longer than its ${length}-character field.`)
  return clean.padEnd(length, ' ')
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}

/**
 * Detail order: employee_id, then transaction code, then hour type (alphabetically), then accounting code
 * (plain code-unit comparison, independent of locale). Card version and correction flag only break ties.
 */
export function sortDetails(details: readonly DetailRecord[]): DetailRecord[] {
  return [...details].sort(
    (a, b) =>
      cmp(a.employeeId, b.employeeId) ||
      cmp(a.transactionCode, b.transactionCode) ||
      cmp(a.hourType, b.hourType) ||
      cmp(a.accountingCode, b.accountingCode) ||
      a.version - b.version ||
      Number(a.correction) - Number(b.correction),
  )
}

function yyyymmdd(date: string, what: string): string {
  if (!isRealDate(date)) throw new RangeError(`${what} "${date}" is not a real date written YYYY-MM-DD.`)
  return date.replaceAll('-', '')
}

function utcStamp(iso: string): string {
  // Only a full ISO-8601 timestamp with a zone: a bare date or local time would make the file depend on the host.
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(iso)) {
    throw new RangeError(`createdAt "${iso}" is not an ISO-8601 UTC timestamp.`)
  }
  const t = new Date(iso)
  if (Number.isNaN(t.getTime())) throw new RangeError(`createdAt "${iso}" is not a valid timestamp.`)
  const s = t.toISOString() // YYYY-MM-DDThh:mm:ss.sssZ
  return s.slice(0, 4) + s.slice(5, 7) + s.slice(8, 10) + s.slice(11, 13) + s.slice(14, 16) + s.slice(17, 19)
}

function checkWidth(record: string): string {
  if (record.length !== RECORD_LENGTH) throw new Error(`Internal error: record is ${record.length} characters, not ${RECORD_LENGTH}.`)
  return record
}

/** Header record: H, agency, batch id, pay period start, pay period number, created (UTC), format version. */
export function formatHeader(h: BatchHeader): string {
  const number = /^(\d{4})-(\d{2})$/.exec(h.payPeriodNumber)
  if (!number) throw new RangeError(`payPeriodNumber "${h.payPeriodNumber}" is not written YYYY-NN.`)
  return checkWidth(
    'H' + // 1
      nfcIdentifier('agencyCode', h.agencyCode, 2) + // 2–3
      nfcIdentifier('batchId', h.batchId, 10) + // 4–13
      yyyymmdd(h.payPeriodStart, 'payPeriodStart') + // 14–21
      number[1] + number[2] + // 22–27
      utcStamp(h.createdAt) + // 28–41
      FORMAT_VERSION + // 42–44
      ' '.repeat(76), // 45–120
  )
}

/** 'LAST,FIRST M' with the middle initial only; 'LAST,FIRST' when there is no middle name. */
function nameField(d: DetailRecord): string {
  const initial = /[A-Z0-9]/.exec(cleanText(d.middleName ?? ''))?.[0]
  const name = `${cleanText(d.lastName)},${cleanText(d.firstName)}${initial ? ` ${initial}` : ''}`
  return nfcText(name, 26)
}

/** The checks a detail record's values must pass before it is formatted. */
function checkDetail(d: DetailRecord): void {
  if (d.ssn !== null && !/^\d{9}$/.test(d.ssn)) throw new RangeError(`The SSN of employee ${d.employeeId} is not 9 digits.`)
  if (!/^\d{2}$/.test(d.transactionCode)) {
    throw new RangeError(`Transaction code "${d.transactionCode}" (hour type ${d.hourType}) is not 2 digits.`)
  }
  if (TOURS[d.tour] === undefined) throw new RangeError(`Tour "${d.tour}" is not FT, PT or INT.`)
  if (!Number.isSafeInteger(d.scheduledHours) || d.scheduledHours < 0) {
    throw new RangeError(`Scheduled hours ${d.scheduledHours} is not a whole number of hundredths.`)
  }
  if (!Number.isSafeInteger(d.version) || d.version < 1) throw new RangeError(`Card version ${d.version} is not 1 or more.`)
}

/** Positions 1–59 of a detail record: the employee's part, the same on each of an employee's records. */
function detailHead(d: DetailRecord): string {
  return 'D' + // 1
    (d.ssn ?? ' '.repeat(9)) + // 2–10
    nfcIdentifier('employeeId', d.employeeId, 12) + // 11–22
    nameField(d) + // 23–48
    nfcText(d.payPlan, 2) + // 49–50
    (d.grade === null ? '  ' : nfcText(/^\d$/.test(d.grade) ? `0${d.grade}` : d.grade, 2)) + // 51–52
    (d.step === null ? '  ' : nfcNumber(d.step, 2)) + // 53–54
    TOURS[d.tour] + // 55
    // Whole hours: a fractional part-time tour (32.50) is rounded to the nearest hour, halves up.
    nfcNumber(Math.round(d.scheduledHours / 100), 4) // 56–59
}

/** Positions 60–120 of a detail record: the line's part. */
function detailTail(d: DetailRecord): string {
  return d.transactionCode + // 60–61
    nfcNumber(d.hours, 6) + // 62–67
    nfcIdentifier('accountingCode', d.accountingCode, 20) + // 68–87
    (d.correction ? 'C' : 'O') + // 88
    nfcNumber(d.version, 2) + // 89–90
    ' '.repeat(30) // 91–120
}

/** Whether two details have the same employee's part (detailHead). */
const sameHead = (a: DetailRecord, b: DetailRecord): boolean => a.ssn === b.ssn && a.employeeId === b.employeeId && a.lastName === b.lastName
  && a.firstName === b.firstName && a.middleName === b.middleName && a.payPlan === b.payPlan && a.grade === b.grade && a.step === b.step
  && a.tour === b.tour && a.scheduledHours === b.scheduledHours

/** Detail record (see FORMATS.md for the positions). */
export function formatDetail(d: DetailRecord): string {
  checkDetail(d)
  return checkWidth(detailHead(d) + detailTail(d))
}

/** Control record: T, detail records, employees, total hours, hash total, digest. */
export function formatTrailer(c: Controls): string {
  if (!/^[0-9a-f]{64}$/.test(c.digest)) throw new RangeError('The digest is not 64 lowercase hex digits.')
  return checkWidth(
    'T' + // 1
      nfcNumber(c.records, 7) + // 2–8
      nfcNumber(c.employees, 6) + // 9–14
      nfcNumber(c.totalHours, 11) + // 15–25
      nfcNumber(c.hashTotal, 15) + // 26–40
      c.digest + // 41–104
      ' '.repeat(16), // 105–120
  )
}

/**
 * Control totals accumulated record by record, in file order (one home for the arithmetic). Details come
 * sorted by employee_id, so an employee is counted when the id changes: nothing grows with the batch.
 */
class ControlTotals {
  private readonly hash = createHash('sha256')
  private ssnSum = 0n
  private totalHours = 0
  private records = 0
  private employees = 0
  private lastEmployee: string | undefined

  /** Formatted detail lines, each followed by its '\n', for the digest. */
  addText(text: string): void {
    this.hash.update(text, 'latin1')
  }

  /** One detail record's values, for the counts and sums. */
  addRecord(d: DetailRecord): void {
    if (d.ssn !== null) this.ssnSum += BigInt(d.ssn)
    this.totalHours += d.hours
    if (d.employeeId !== this.lastEmployee) {
      this.employees++
      this.lastEmployee = d.employeeId
    }
    this.records++
  }

  result(): Controls {
    return {
      records: this.records,
      employees: this.employees,
      totalHours: this.totalHours,
      hashTotal: Number(this.ssnSum % HASH_MODULUS),
      digest: this.hash.digest('hex'),
    }
  }
}

/**
 * The control totals of a batch. `detailLines` are the formatted detail records without their newline;
 * the digest covers each of them followed by '\n', in file order (details sorted by employee_id).
 */
export function computeControls(detailLines: readonly string[], details: readonly DetailRecord[]): Controls {
  const totals = new ControlTotals()
  for (const line of detailLines) totals.addText(`${line}\n`)
  for (const d of details) totals.addRecord(d)
  return totals.result()
}

/**
 * The file as it is written, piece by piece: the header, then the detail records of one employee at a time
 * (callers pass employees in employee_id order), then the control record. Only the running totals are
 * kept, so a batch of any size is written in the memory of one employee's records.
 */
export class NfcWriter {
  private readonly totals = new ControlTotals()

  constructor(private readonly header: BatchHeader) {}

  start(): string {
    return `${formatHeader(this.header)}\n`
  }

  /** The records of one employee's details (any order: sorted here), each followed by '\n'. */
  records(details: readonly DetailRecord[]): string {
    let text = ''
    // The employee's part is formatted once for the records that share it (as formatDetail would format it).
    let head = ''
    let headOf: DetailRecord | undefined
    for (const d of sortDetails(details)) {
      checkDetail(d)
      if (headOf === undefined || !sameHead(headOf, d)) {
        head = detailHead(d)
        headOf = d
      }
      text += `${checkWidth(head + detailTail(d))}\n`
      this.totals.addRecord(d)
    }
    this.totals.addText(text)
    return text
  }

  /** The control record, and the totals it carries. */
  end(): {text: string; controls: Controls} {
    const controls = this.totals.result()
    return {text: `${formatTrailer(controls)}\n`, controls}
  }
}

/** The whole file at once (NfcWriter over every detail): header, details in FORMATS.md order, control record. */
export function buildNfcFile(header: BatchHeader, details: readonly DetailRecord[]): {content: string; controls: Controls} {
  const writer = new NfcWriter(header)
  const parts = [writer.start()]
  const sorted = sortDetails(details)
  for (let i = 0; i < sorted.length; i += 4096) parts.push(writer.records(sorted.slice(i, i + 4096)))
  const {text, controls} = writer.end()
  parts.push(text)
  return {content: parts.join(''), controls}
}
