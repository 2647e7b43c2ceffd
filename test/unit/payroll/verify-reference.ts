import {createHash} from 'node:crypto'

import {isRealDate} from '../../../src/calendar/dates.js'
import {RECORD_LENGTH} from '../../../src/payroll/nfc.js'

/**
 * `payroll verify`: checks an NFC fixed-width interchange file (FORMATS.md) from its bytes alone. Pure: no I/O,
 * no store. Never throws: every defect, however strange the input, becomes a problem with its line number.
 */
export interface VerifyProblem {
  line: number
  message: string
}

export interface VerifyReport {
  ok: boolean
  records: number
  /** hours, decimal, recomputed from detail records */
  totalHours: number
  hashTotal: number
  problems: VerifyProblem[]
}

/**
 * RULES.md hour-type table, transaction code → how many hour types share it (HOL and ADMIN share 66). The
 * count tells the order check how many ascending runs of accounting codes a (employee, TC) group may hold.
 */
const TC_HOUR_TYPES: Readonly<Record<string, number>> = {
  '01': 1, '21': 1, '32': 1, '11': 1, '04': 1, '31': 1, '66': 2, '61': 1, '62': 1, '63': 1, '65': 1, '68': 1, '71': 1,
  '72': 1,
}
const KNOWN_TCS = Object.keys(TC_HOUR_TYPES).sort().join(', ')
const MAX_PROBLEMS = 200
const HASH_MODULUS = 10n ** 15n
const TEXT = /^[A-Z0-9 ,\-.']*$/

/** A value quoted for a message: non-printable bytes as \xNN, long values shortened. */
function show(value: string): string {
  const shortened = value.length > 40 ? `${value.slice(0, 40)}…` : value
  const escaped = shortened.replace(/[^\x20-\x7e]|["\\]/g, (c) =>
    c === '"' || c === '\\' ? `\\${c}` : `\\x${c.charCodeAt(0).toString(16).padStart(2, '0').toUpperCase()}`,
  )
  return `"${escaped}"`
}

function positions(from: number, to: number): string {
  return from === to ? `position ${from}` : `positions ${from}–${to}`
}

function describeRecord(text: string): string {
  if (text.length === 0) return 'an empty line'
  switch (text[0]) {
    case 'H':
      return 'a header record (H)'
    case 'D':
      return 'a detail record (D)'
    case 'T':
      return 'a control record (T)'
    default:
      return `a record of unknown type ${show(text[0])}`
  }
}

function hoursOf(hundredths: number): string {
  return (hundredths / 100).toFixed(2)
}

interface Line {
  number: number
  start: number
  end: number
  newline: boolean
  text: string
}

interface DetailKey {
  line: number
  employee: string
  tc: string
  account: string
  version: number
}

class Checker {
  readonly problems: VerifyProblem[] = []

  add(line: number, message: string): void {
    this.problems.push({line, message})
  }

  /** A fixed-width field, 1-based inclusive positions. */
  field(line: Line, from: number, to: number): string {
    return line.text.slice(from - 1, to)
  }

  digits(line: Line, name: string, from: number, to: number): string | null {
    const v = this.field(line, from, to)
    if (/^\d+$/.test(v)) return v
    this.add(line.number, `${name} (${positions(from, to)}) is ${show(v)}; expected ${to - from + 1} digits.`)
    return null
  }

  /** A text field; `personal` fields (the name) are never quoted in a message. */
  text(line: Line, name: string, from: number, to: number, required: boolean, personal = false): string | null {
    const v = this.field(line, from, to)
    if (!TEXT.test(v)) {
      const is = personal ? 'contains other characters' : `is ${show(v)}`
      this.add(line.number, `${name} (${positions(from, to)}) ${is}; text fields hold only upper-case A–Z, 0–9, space and , - . '.`)
      return null
    }
    if (v.trim() === '') {
      if (required) this.add(line.number, `${name} (${positions(from, to)}) is blank.`)
      return required ? null : ''
    }
    if (v.startsWith(' ')) {
      this.add(line.number, `${name} (${positions(from, to)}) starts with a space; text fields are left-justified.`)
      return null
    }
    return v.trimEnd()
  }

  spaces(line: Line, from: number, to: number): void {
    const v = this.field(line, from, to)
    if (v !== ' '.repeat(to - from + 1)) this.add(line.number, `Filler (${positions(from, to)}) must be spaces but holds ${show(v.trim())}.`)
  }

  oneOf(line: Line, name: string, at: number, allowed: readonly string[], expected: string): void {
    const v = this.field(line, at, at)
    if (!allowed.includes(v)) this.add(line.number, `${name} (position ${at}) is ${show(v)}; expected ${expected}.`)
  }

  realDate(line: Line, name: string, from: number, to: number): string | null {
    const v = this.field(line, from, to)
    const iso = `${v.slice(0, 4)}-${v.slice(4, 6)}-${v.slice(6, 8)}`
    if (/^\d{8}$/.test(v) && isRealDate(iso)) return iso
    this.add(line.number, `${name} (${positions(from, to)}) is ${show(v)}; expected a real date written YYYYMMDD.`)
    return null
  }
}

function splitLines(buf: Buffer): Line[] {
  const lines: Line[] = []
  let start = 0
  while (start < buf.length) {
    const nl = buf.indexOf(0x0a, start)
    const end = nl === -1 ? buf.length : nl
    lines.push({number: lines.length + 1, start, end, newline: nl !== -1, text: buf.toString('latin1', start, end)})
    if (nl === -1) break
    start = nl + 1
  }
  return lines
}

function checkCharacters(c: Checker, line: Line): void {
  const text = line.text.endsWith('\r') ? line.text.slice(0, -1) : line.text
  let first = -1
  let count = 0
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i)
    if (code < 0x20 || code > 0x7e) {
      if (first === -1) first = i
      count++
    }
  }
  if (first === -1) return
  const code = text.charCodeAt(first)
  const hex = `0x${code.toString(16).padStart(2, '0').toUpperCase()}`
  const kind = code > 0x7e ? `the non-ASCII byte ${hex}` : `the control character ${hex}`
  const more = count > 1 ? ` (${count} bytes on this line are not printable ASCII)` : ''
  c.add(line.number, `Position ${first + 1} holds ${kind}${more}; records hold only printable ASCII (letters with diacritics are written without them).`)
}

function checkLength(c: Checker, line: Line): void {
  const len = line.text.length
  if (len === RECORD_LENGTH) return
  if (len === 0) {
    c.add(line.number, `The line is empty; every record is exactly ${RECORD_LENGTH} characters.`)
  } else if (line.text.endsWith('\r') && len === RECORD_LENGTH + 1) {
    c.add(line.number, `The record is ${len} characters long because it ends with a carriage return (CRLF line ending); records are exactly ${RECORD_LENGTH} characters followed by \\n only.`)
  } else {
    const diff = len - RECORD_LENGTH
    const by = diff < 0 ? `${-diff} too short` : `${diff} too long`
    c.add(line.number, `The record is ${len} characters long (${by}); every record must be exactly ${RECORD_LENGTH} characters.`)
  }
}

function checkPlacement(c: Checker, line: Line, count: number): void {
  const type = line.text[0] ?? ''
  const isFirst = line.number === 1
  const isLast = line.number === count
  if (isFirst && type !== 'H') {
    c.add(line.number, `The file must start with a header record (H), but line 1 is ${describeRecord(line.text)}.`)
  }
  if (isLast && type !== 'T') {
    const first = count === 1 && type === 'H' ? 'The file has only a header record' : `The last line is ${describeRecord(line.text)}`
    c.add(line.number, `${first}; the file must end with a control record (T).`)
  }
  if (!isFirst && !isLast) {
    if (type === 'H') c.add(line.number, 'A header record (H) after line 1; a file has exactly one header, on line 1.')
    else if (type === 'T') c.add(line.number, `A control record (T) before the end of the file (line ${count} is the last); a file has exactly one control record, on its last line.`)
    else if (type !== 'D') c.add(line.number, `The line is ${describeRecord(line.text)}; every line between the header and the control record must be a detail record (D).`)
  }
}

function checkHeader(c: Checker, line: Line): void {
  c.text(line, 'Agency code', 2, 3, true)
  c.text(line, 'Batch id', 4, 13, true)
  const start = c.realDate(line, 'Pay period start', 14, 21)
  const number = c.field(line, 22, 27)
  if (!/^\d{4}(0[1-9]|1\d|2[0-7])$/.test(number)) {
    c.add(line.number, `Pay period number (positions 22–27) is ${show(number)}; expected YYYYNN with NN from 01 to 27.`)
  } else if (start !== null && number.slice(0, 4) !== start.slice(0, 4)) {
    c.add(line.number, `Pay period number ${number} is numbered in ${number.slice(0, 4)}, but the pay period starts on ${start}; the number's year is the year the period starts.`)
  }
  const created = c.field(line, 28, 41)
  const m = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})$/.exec(created)
  if (!m || !isRealDate(`${m[1]}-${m[2]}-${m[3]}`) || Number(m[4]) > 23 || Number(m[5]) > 59 || Number(m[6]) > 59) {
    c.add(line.number, `Batch created time (positions 28–41) is ${show(created)}; expected a real UTC time written YYYYMMDDhhmmss.`)
  }
  const version = c.field(line, 42, 44)
  if (version !== '001') c.add(line.number, `Format version (positions 42–44) is ${show(version)}; this tool reads version 001.`)
  c.spaces(line, 45, 120)
}

/** Field checks of a detail record; returns its sort key when the key fields are well formed. */
function checkDetail(c: Checker, line: Line): DetailKey | null {
  const ssn = c.field(line, 2, 10)
  // Never echo the SSN field: it is (or is meant to be) an SSN.
  if (!/^(\d{9}| {9})$/.test(ssn)) c.add(line.number, 'SSN (positions 2–10) is neither 9 digits nor 9 spaces.')
  const employee = c.text(line, 'Employee id', 11, 22, true)
  c.text(line, 'Name', 23, 48, true, true)
  c.text(line, 'Pay plan', 49, 50, true)
  c.text(line, 'Grade', 51, 52, false)
  const step = c.field(line, 53, 54)
  if (!/^(\d{2}| {2})$/.test(step)) c.add(line.number, `Step (positions 53–54) is ${show(step)}; expected 2 digits, or 2 spaces when there is none.`)
  c.oneOf(line, 'Tour', 55, ['F', 'P', 'I'], 'F (full-time), P (part-time) or I (intermittent)')
  c.digits(line, 'Scheduled hours', 56, 59)
  let tc: string | null = c.field(line, 60, 61)
  if (!/^\d{2}$/.test(tc)) {
    c.add(line.number, `Transaction code (positions 60–61) is ${show(tc)}; expected 2 digits.`)
    tc = null
  } else if (TC_HOUR_TYPES[tc] === undefined) {
    c.add(line.number, `Transaction code ${tc} (positions 60–61) is not in the hour-type table (${KNOWN_TCS}).`)
  }
  c.digits(line, 'Hours', 62, 67)
  const account = c.text(line, 'Accounting code', 68, 87, true)
  c.oneOf(line, 'Correction flag', 88, ['O', 'C'], 'O (original) or C (correction)')
  const version = c.digits(line, 'Card version', 89, 90)
  if (version === '00') c.add(line.number, 'Card version (positions 89–90) is 00; versions start at 01.')
  c.spaces(line, 91, 120)
  if (employee === null || tc === null || account === null || version === null) return null
  return {line: line.number, employee, tc, account, version: Number(version)}
}

interface TrailerFields {
  records: number | null
  employees: number | null
  totalHours: number | null
  hashTotal: number | null
  digest: string | null
}

function checkTrailer(c: Checker, line: Line): TrailerFields {
  const num = (name: string, from: number, to: number) => {
    const v = c.digits(line, name, from, to)
    return v === null ? null : Number(v)
  }
  const out: TrailerFields = {
    records: num('Number of detail records', 2, 8),
    employees: num('Number of employees', 9, 14),
    totalHours: num('Total hours', 15, 25),
    hashTotal: num('Hash total', 26, 40),
    digest: c.field(line, 41, 104),
  }
  if (!/^[0-9a-f]{64}$/.test(out.digest!)) {
    c.add(line.number, `SHA-256 digest (positions 41–104) is ${show(out.digest!)}; expected 64 lowercase hex digits.`)
    out.digest = null
  }
  c.spaces(line, 105, 120)
  return out
}

const ORDER_RULE = 'detail records are sorted by employee_id, then transaction code, then hour type, then accounting code'

/**
 * Checks detail order. Hour type is not in the record, so within one employee and transaction code the
 * accounting codes must rise, except that a code shared by k hour types (66: HOL and ADMIN) may restart
 * k − 1 times (one ascending run per hour type).
 */
function checkOrder(c: Checker, keys: readonly DetailKey[]): void {
  let restarts = 0
  for (let i = 1; i < keys.length; i++) {
    const p = keys[i - 1]
    const k = keys[i]
    const where = `employee ${k.employee}, transaction code ${k.tc}, accounting code ${k.account}`
    const before = `line ${p.line} (employee ${p.employee}, transaction code ${p.tc}, accounting code ${p.account})`
    if (k.employee !== p.employee) {
      restarts = 0
      if (k.employee < p.employee) c.add(k.line, `This record (${where}) is out of order after ${before}; ${ORDER_RULE}.`)
      continue
    }
    if (k.tc !== p.tc) {
      restarts = 0
      if (k.tc < p.tc) c.add(k.line, `This record (${where}) is out of order after ${before}; ${ORDER_RULE}.`)
      continue
    }
    const rises = k.account > p.account || (k.account === p.account && k.version > p.version)
    if (rises) continue
    restarts++
    const allowed = (TC_HOUR_TYPES[k.tc] ?? 1) - 1
    if (restarts <= allowed) continue
    if (k.account === p.account && k.version === p.version && allowed === 0) {
      c.add(k.line, `This record (${where}, version ${k.version}) repeats ${before}; each hour type and accounting code has one record per card version.`)
    } else {
      c.add(k.line, `This record (${where}) is out of order after ${before}; ${ORDER_RULE}.`)
    }
  }
}

function verifyUnchecked(buf: Buffer): VerifyReport {
  const c = new Checker()
  const lines = splitLines(buf)
  if (lines.length === 0) {
    c.add(1, 'The file is empty; an interchange file holds a header record, detail records and a control record.')
    return finish(c, 0, 0, 0)
  }

  const digest = createHash('sha256')
  let records = 0
  let hundredths = 0
  let ssnSum = 0n
  const employees = new Set<string>()
  const keys: DetailKey[] = []
  let trailer: {line: Line; fields: TrailerFields | null} | null = null

  for (const line of lines) {
    checkCharacters(c, line)
    checkLength(c, line)
    checkPlacement(c, line, lines.length)
    const type = line.text[0]
    const wellSized = line.text.length === RECORD_LENGTH
    if (type === 'H' && wellSized) checkHeader(c, line)
    if (type === 'T') trailer = {line, fields: wellSized ? checkTrailer(c, line) : null}
    if (type === 'D') {
      records++
      digest.update(buf.subarray(line.start, line.end))
      digest.update('\n')
      const ssn = line.text.slice(1, 10)
      if (/^\d{9}$/.test(ssn)) ssnSum += BigInt(ssn)
      const hours = line.text.slice(61, 67)
      if (/^\d{6}$/.test(hours)) hundredths += Number(hours)
      employees.add(line.text.slice(10, 22).trimEnd())
      if (wellSized) {
        const key = checkDetail(c, line)
        if (key) keys.push(key)
      }
    }
  }
  checkOrder(c, keys)

  const last = lines[lines.length - 1]
  if (!last.newline) {
    c.add(last.number, 'The file does not end with a newline; the last record, like every other, must be followed by \\n.')
  }

  const hashTotal = Number(ssnSum % HASH_MODULUS)
  const computedDigest = digest.digest('hex')
  if (trailer === null) {
    c.add(last.number, 'There is no control record (T), so the record count, employee count, total hours, hash total and digest cannot be checked.')
  } else if (trailer.fields === null) {
    c.add(trailer.line.number, 'The control record is malformed, so its counts, total hours, hash total and digest were not compared with the detail records.')
  } else {
    const t = trailer.fields
    const n = trailer.line.number
    if (t.records !== null && t.records !== records) {
      c.add(n, `The control record says ${t.records} detail records, but the file has ${records}.`)
    }
    if (t.employees !== null && t.employees !== employees.size) {
      c.add(n, `The control record says ${t.employees} employees, but the detail records name ${employees.size} distinct employee ids.`)
    }
    if (t.totalHours !== null && t.totalHours !== hundredths) {
      c.add(n, `The control record's total hours, ${hoursOf(t.totalHours)}, do not match the detail records, which add up to ${hoursOf(hundredths)}.`)
    }
    if (t.hashTotal !== null && t.hashTotal !== hashTotal) {
      c.add(n, `The control record's hash total, ${t.hashTotal}, does not match the sum of the detail records' SSN fields, ${hashTotal}.`)
    }
    if (t.digest !== null && t.digest !== computedDigest) {
      c.add(n, `The control record's SHA-256 digest does not match the detail records (computed ${computedDigest}): a detail record was changed, added, removed or reordered.`)
    }
  }
  return finish(c, records, hundredths, hashTotal)
}

function finish(c: Checker, records: number, hundredths: number, hashTotal: number): VerifyReport {
  let problems = c.problems.map((p, i) => ({p, i})).sort((a, b) => a.p.line - b.p.line || a.i - b.i).map((x) => x.p)
  if (problems.length > MAX_PROBLEMS) {
    const kept = MAX_PROBLEMS - 1
    const more = problems.length - kept
    problems = [...problems.slice(0, kept), {line: problems[kept].line, message: `…and ${more} more problems from line ${problems[kept].line} on, not listed (only the first ${kept} are).`}]
  }
  return {ok: problems.length === 0, records, totalHours: hundredths / 100, hashTotal, problems}
}

export function verifyNfc(content: Buffer): VerifyReport {
  try {
    // Defensive: a caller in plain JS (or a test) may hand over something that is not a Buffer.
    const input: unknown = content
    const buf = Buffer.isBuffer(input)
      ? content
      : input instanceof Uint8Array
        ? Buffer.from(input)
        : typeof input === 'string'
          ? Buffer.from(input, 'utf8')
          : Buffer.alloc(0)
    return verifyUnchecked(buf)
  } catch (error) {
    // Not reachable by design; a defect in the checker must still not become a crash of `payroll verify`.
    return {
      ok: false,
      records: 0,
      totalHours: 0,
      hashTotal: 0,
      problems: [{line: 1, message: `The file could not be checked: ${error instanceof Error ? error.message : String(error)}.`}],
    }
  }
}
