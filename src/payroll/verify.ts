import {createHash} from 'node:crypto'

import {isRealDate} from '../calendar/dates.js'
import {RECORD_LENGTH} from './nfc.js'

/**
 * `payroll verify`: checks an NFC fixed-width interchange file (FORMATS.md) from its bytes alone, no store.
 * Never throws: every defect, however strange the input, becomes a problem with its line number.
 *
 * One pass in constant memory (NfcVerifier): the bytes come in chunks of any size (verify-file.ts reads the file
 * in fixed-size reads), each line is checked as its newline arrives, and nothing grows with the file: no
 * whole-file string, no array of lines or records, the order check compares a record with the one before it,
 * distinct employees are counted as the (sorted) ids change, and only the first MAX_PROBLEMS problems are kept.
 * A detail record that is well formed (nearly all of them) is checked on its bytes without a string per field;
 * any record the byte check does not pass is checked again by the field-by-field checks below, which word
 * every problem, so the problems and their order are those of the field checks.
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

/** A line given to the field checks: its number and text (latin1: one character per byte). */
interface Line {
  number: number
  text: string
}

interface DetailKey {
  line: number
  employee: string
  tc: string
  account: string
  version: number
}

/**
 * The order problems of one line are listed in: characters, length, placement, fields, order, the final newline,
 * then the comparisons with the control record (the order in which a line's checks run).
 */
const enum Phase {
  characters = 0,
  length = 1,
  placement = 2,
  fields = 3,
  order = 4,
  newline = 5,
  controls = 6,
}

interface Kept {
  line: number
  phase: number
  seq: number
  /** A function when the message needs the number of lines, known at the end. */
  message: string | ((lineCount: number) => string)
}

/**
 * The problems found, in (line, phase, order found) order; only the first MAX_PROBLEMS are kept (the rest are
 * counted), so a file of garbage does not grow the list. Nearly always a problem comes after those kept.
 */
class Problems {
  readonly kept: Kept[] = []
  total = 0
  private seq = 0

  add(line: number, phase: number, message: Kept['message']): void {
    this.total++
    const p: Kept = {line, phase, seq: this.seq++, message}
    const kept = this.kept
    if (kept.length === MAX_PROBLEMS && !before(p, kept[kept.length - 1])) return
    let i = kept.length
    while (i > 0 && before(p, kept[i - 1])) i--
    kept.splice(i, 0, p)
    if (kept.length > MAX_PROBLEMS) kept.pop()
  }

  /** The list reported: the first MAX_PROBLEMS - 1 and a line saying how many more, when there are more. */
  list(lineCount: number): VerifyProblem[] {
    const text = (p: Kept) => ({line: p.line, message: typeof p.message === 'string' ? p.message : p.message(lineCount)})
    if (this.total <= MAX_PROBLEMS) return this.kept.map(text)
    const keep = MAX_PROBLEMS - 1
    const more = this.total - keep
    const at = this.kept[keep].line
    return [...this.kept.slice(0, keep).map(text), {line: at, message: `…and ${more} more problems from line ${at} on, not listed (only the first ${keep} are).`}]
  }
}

const before = (a: Kept, b: Kept): boolean => a.line < b.line || (a.line === b.line && (a.phase < b.phase || (a.phase === b.phase && a.seq < b.seq)))

/** The field checks of one record (header, detail, control): each problem worded, at Phase.fields. */
class Checker {
  constructor(private readonly problems: Problems) {}

  add(line: number, message: string): void {
    this.problems.add(line, Phase.fields, message)
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

const LF = 0x0a
const CR = 0x0d
const SPACE = 0x20
const TYPE_D = 0x44
const TYPE_H = 0x48
const TYPE_T = 0x54
/** No line waits for its placement check. */
const NONE = -2
/** The type of an empty line. */
const EMPTY = -1
/** A partial line up to this many bytes is kept whole until its newline comes; a longer one is only summarised. */
const CARRY_LIMIT = 64 * 1024
/** The first bytes of a line too long to keep (the detail totals read positions up to 67 of it). */
const PREFIX = 128
/** Folded into a bigint before the sum of SSN fields could pass 2^53. */
const SSN_FOLD = 2 ** 52

/** Bytes of a text field: A–Z, 0–9, space, comma, hyphen, period, apostrophe (TEXT). */
const TEXT_BYTE = new Uint8Array(256)
for (const ch of "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 ,-.'") TEXT_BYTE[ch.charCodeAt(0)] = 1
/** Transaction codes in the hour-type table, by their number. */
const TC_KNOWN = new Uint8Array(100)
for (const tc of Object.keys(TC_HOUR_TYPES)) TC_KNOWN[Number(tc)] = 1

const isDigit = (b: number): boolean => b >= 0x30 && b <= 0x39

function digitsAt(b: Buffer, from: number, to: number): boolean {
  for (let i = from; i < to; i++) if (!isDigit(b[i])) return false
  return true
}

function spacesAt(b: Buffer, from: number, to: number): boolean {
  for (let i = from; i < to; i++) if (b[i] !== SPACE) return false
  return true
}

/** Would Checker.text pass this field without a problem? (Required: not blank; either way not starting with a space.) */
function textAt(b: Buffer, from: number, to: number, required: boolean): boolean {
  if (b[from] === SPACE) return !required && spacesAt(b, from, to)
  for (let i = from; i < to; i++) if (TEXT_BYTE[b[i]] === 0) return false
  return true
}

/** The value of digits known to be digits. */
function numberAt(b: Buffer, from: number, to: number): number {
  let v = 0
  for (let i = from; i < to; i++) v = v * 10 + b[i] - 0x30
  return v
}

/** -1, 0 or 1 as bytes a[ao..ao+n) sort before, with or after b[bo..bo+n). */
function compareAt(a: Buffer, ao: number, b: Buffer, bo: number, n: number): number {
  for (let i = 0; i < n; i++) {
    const d = a[ao + i] - b[bo + i]
    if (d !== 0) return d < 0 ? -1 : 1
  }
  return 0
}

/** A field's text as the field checks return it (trailing spaces removed). */
const fieldText = (b: Buffer, from: number, to: number): string => b.toString('latin1', from, to).trimEnd()

/**
 * Is the 120-byte record at b[s] a detail record that checkDetail passes without a problem? Every byte is
 * tested against its field's set (each a subset of printable ASCII), so true also means the character and
 * length checks pass. False sends the record to the field checks, which find and word what is wrong.
 */
function wellFormedDetail(b: Buffer, s: number): boolean {
  if (b[s] !== TYPE_D) return false
  if (b[s + 1] === SPACE ? !spacesAt(b, s + 1, s + 10) : !digitsAt(b, s + 1, s + 10)) return false
  if (!textAt(b, s + 10, s + 22, true) || !textAt(b, s + 22, s + 48, true) || !textAt(b, s + 48, s + 50, true) || !textAt(b, s + 50, s + 52, false)) return false
  const step = b[s + 52]
  if (step === SPACE ? b[s + 53] !== SPACE : !(isDigit(step) && isDigit(b[s + 53]))) return false
  const tour = b[s + 54]
  if (tour !== 0x46 && tour !== 0x50 && tour !== 0x49) return false // F, P, I
  if (!digitsAt(b, s + 55, s + 59) || !digitsAt(b, s + 59, s + 61) || TC_KNOWN[numberAt(b, s + 59, s + 61)] === 0) return false
  if (!digitsAt(b, s + 61, s + 67) || !textAt(b, s + 67, s + 87, true)) return false
  const correction = b[s + 87]
  if (correction !== 0x4f && correction !== 0x43) return false // O, C
  if (!digitsAt(b, s + 88, s + 90) || (b[s + 88] === 0x30 && b[s + 89] === 0x30)) return false
  return spacesAt(b, s + 90, s + 120)
}

/** What the checks need of a line too long to keep (more than CARRY_LIMIT bytes), gathered as its bytes pass. */
class LongLine {
  length = 0
  readonly prefix = Buffer.alloc(PREFIX)
  /** The first byte that is not printable ASCII (its offset and value) and how many there are. */
  badAt = -1
  badCode = 0
  badCount = 0
  last = -1

  feed(b: Buffer, from: number, to: number): void {
    if (this.length < PREFIX) b.copy(this.prefix, this.length, from, Math.min(to, from + PREFIX - this.length))
    for (let i = from; i < to; i++) {
      const code = b[i]
      if (code < 0x20 || code > 0x7e) {
        if (this.badAt === -1) {
          this.badAt = this.length + i - from
          this.badCode = code
        }
        this.badCount++
      }
    }
    if (to > from) this.last = b[to - 1]
    this.length += to - from
  }
}

/**
 * The NFC checks as a stream: push() the file's bytes in chunks of any size, then end(). Memory stays the same
 * whatever the file's size (see the top of this file).
 */
export class NfcVerifier {
  private readonly problems = new Problems()
  private readonly checker = new Checker(this.problems)
  private lines = 0
  private lastNewline = true
  /** The line before, whose placement check waits to know whether it is the last. */
  private pendingType = NONE
  /** A partial line (no newline yet), kept whole, or summarised when long. */
  private readonly carry = Buffer.allocUnsafe(CARRY_LIMIT)
  private carryLength = 0
  private long: LongLine | null = null
  // Totals of the detail records.
  private records = 0
  private hundredths = 0
  private ssnSmall = 0
  private ssnBig = 0n
  private readonly digest = createHash('sha256')
  /** Detail records (with their newlines) not yet hashed: b[runStart..runEnd) of one chunk. */
  private runBuf: Buffer | null = null
  private runStart = 0
  private runEnd = 0
  // Distinct employee ids, counted as they change while they rise (a sorted file); else counted again at the end.
  private employees = 0
  private employeesSorted = true
  private readonly lastEmployee = Buffer.alloc(12)
  private lastEmployeeLength = -1
  private lastEmployeeId = ''
  // The order check: the last detail record with well-formed key fields.
  private readonly previous = Buffer.alloc(RECORD_LENGTH)
  private previousLine = 0
  private restarts = 0
  private trailer: {line: number; fields: TrailerFields | null} | null = null

  push(chunk: Buffer): void {
    const n = chunk.length
    let pos = 0
    if (n === 0) return
    if (this.long !== null || this.carryLength > 0) {
      const nl = chunk.indexOf(LF)
      const stop = nl === -1 ? n : nl
      if (this.long === null && this.carryLength + stop > CARRY_LIMIT) {
        this.long = new LongLine()
        this.feedLong(this.carry, 0, this.carryLength)
        this.carryLength = 0
      }
      if (this.long !== null) {
        this.feedLong(chunk, 0, stop)
        if (nl === -1) return
        this.endLong(true)
      } else {
        chunk.copy(this.carry, this.carryLength, 0, stop)
        this.carryLength += stop
        if (nl === -1) return
        this.line(this.carry, 0, this.carryLength, true, false)
        this.carryLength = 0
      }
      pos = nl + 1
    }
    while (pos < n) {
      const nl = chunk.indexOf(LF, pos)
      if (nl === -1) break
      this.line(chunk, pos, nl, true, true)
      pos = nl + 1
    }
    // The caller may reuse the chunk: hash what is pending and keep the partial line.
    this.flushDigest()
    if (pos < n) {
      if (n - pos > CARRY_LIMIT) {
        this.long = new LongLine()
        this.feedLong(chunk, pos, n)
      } else {
        chunk.copy(this.carry, 0, pos, n)
        this.carryLength = n - pos
      }
    }
  }

  /**
   * The report. `recountEmployees` reads the file again and counts its distinct employee ids; it is called only
   * when the ids were not in order (the file is then out of order too) and the control record gives a count.
   */
  end(recountEmployees: () => number): VerifyReport {
    if (this.long !== null) this.endLong(false)
    else if (this.carryLength > 0) this.line(this.carry, 0, this.carryLength, false, false)
    this.carryLength = 0
    this.flushDigest()
    const count = this.lines
    const p = this.problems
    if (count === 0) {
      p.add(1, Phase.fields, 'The file is empty; an interchange file holds a header record, detail records and a control record.')
      return this.report(0, 0, 0)
    }
    this.placement(count, this.pendingType, true)
    if (!this.lastNewline) {
      p.add(count, Phase.newline, 'The file does not end with a newline; the last record, like every other, must be followed by \\n.')
    }
    const hundredths = this.hundredths
    const hashTotal = Number((this.ssnBig + BigInt(this.ssnSmall)) % HASH_MODULUS)
    const computedDigest = this.digest.digest('hex')
    const trailer = this.trailer
    if (trailer === null) {
      p.add(count, Phase.controls, 'There is no control record (T), so the record count, employee count, total hours, hash total and digest cannot be checked.')
    } else if (trailer.fields === null) {
      p.add(trailer.line, Phase.controls, 'The control record is malformed, so its counts, total hours, hash total and digest were not compared with the detail records.')
    } else {
      const t = trailer.fields
      const n = trailer.line
      const records = this.records
      if (t.records !== null && t.records !== records) {
        p.add(n, Phase.controls, `The control record says ${t.records} detail records, but the file has ${records}.`)
      }
      if (t.employees !== null) {
        const employees = this.employeesSorted ? this.employees : recountEmployees()
        if (t.employees !== employees) {
          p.add(n, Phase.controls, `The control record says ${t.employees} employees, but the detail records name ${employees} distinct employee ids.`)
        }
      }
      if (t.totalHours !== null && t.totalHours !== hundredths) {
        p.add(n, Phase.controls, `The control record's total hours, ${hoursOf(t.totalHours)}, do not match the detail records, which add up to ${hoursOf(hundredths)}.`)
      }
      if (t.hashTotal !== null && t.hashTotal !== hashTotal) {
        p.add(n, Phase.controls, `The control record's hash total, ${t.hashTotal}, does not match the sum of the detail records' SSN fields, ${hashTotal}.`)
      }
      if (t.digest !== null && t.digest !== computedDigest) {
        p.add(n, Phase.controls, `The control record's SHA-256 digest does not match the detail records (computed ${computedDigest}): a detail record was changed, added, removed or reordered.`)
      }
    }
    return this.report(this.records, hundredths, hashTotal)
  }

  private report(records: number, hundredths: number, hashTotal: number): VerifyReport {
    const problems = this.problems.list(this.lines)
    return {ok: problems.length === 0, records, totalHours: hundredths / 100, hashTotal, problems}
  }

  /** A whole line, b[s..e) without its newline; `inPlace`: b[e] is its newline (so runs of records hash as one). */
  private line(b: Buffer, s: number, e: number, newline: boolean, inPlace: boolean): void {
    const number = this.begin(newline, e > s ? b[s] : EMPTY)
    const len = e - s
    if (len === RECORD_LENGTH && wellFormedDetail(b, s)) {
      this.hashDetail(b, s, e, newline, inPlace)
      this.detailTotals(b, s, e)
      this.order(b, s, number)
      return
    }
    this.characters(number, b, s, e)
    this.length(number, len, len > 0 && b[e - 1] === CR)
    const type = len > 0 ? b[s] : EMPTY
    const text = len === RECORD_LENGTH ? b.toString('latin1', s, e) : ''
    if (type === TYPE_H && len === RECORD_LENGTH) checkHeader(this.checker, {number, text})
    if (type === TYPE_T) this.trailer = {line: number, fields: len === RECORD_LENGTH ? checkTrailer(this.checker, {number, text}) : null}
    if (type === TYPE_D) {
      this.hashDetail(b, s, e, newline, inPlace)
      this.detailTotals(b, s, e)
      if (len === RECORD_LENGTH && checkDetail(this.checker, {number, text}) !== null) this.order(b, s, number)
    }
  }

  /** Numbers a new line and runs the placement check of the line before it (which is not the last). */
  private begin(newline: boolean, type: number): number {
    const number = ++this.lines
    if (this.pendingType !== NONE) this.placement(number - 1, this.pendingType, false)
    this.pendingType = type
    this.lastNewline = newline
    return number
  }

  private feedLong(b: Buffer, from: number, to: number): void {
    const long = this.long!
    long.feed(b, from, to)
    if (long.prefix[0] === TYPE_D && to > from) {
      this.flushDigest()
      this.digest.update(b.subarray(from, to))
    }
  }

  /** The end of a line too long to keep: never 120 characters, so no field checks. */
  private endLong(newline: boolean): void {
    const long = this.long!
    this.long = null
    const type = long.prefix[0]
    const number = this.begin(newline, type)
    const endsWithCr = long.last === CR
    const bad = long.badCount - (endsWithCr ? 1 : 0)
    if (bad > 0) this.characterProblem(number, long.badAt, long.badCode, bad)
    this.length(number, long.length, endsWithCr)
    if (type === TYPE_T) this.trailer = {line: number, fields: null}
    if (type === TYPE_D) {
      this.digest.update('\n')
      this.detailTotals(long.prefix, 0, PREFIX)
    }
  }

  private flushDigest(): void {
    if (this.runBuf === null) return
    this.digest.update(this.runBuf.subarray(this.runStart, this.runEnd))
    this.runBuf = null
  }

  /** Each detail record and a newline go into the digest; records followed by their newline in place, as runs. */
  private hashDetail(b: Buffer, s: number, e: number, newline: boolean, inPlace: boolean): void {
    if (newline && inPlace) {
      if (this.runBuf === b && this.runEnd === s) {
        this.runEnd = e + 1
      } else {
        this.flushDigest()
        this.runBuf = b
        this.runStart = s
        this.runEnd = e + 1
      }
      return
    }
    this.flushDigest()
    this.digest.update(b.subarray(s, e))
    this.digest.update('\n')
  }

  /** The record count, total hours, SSN sum and employee ids of a detail record (of any length). */
  private detailTotals(b: Buffer, s: number, e: number): void {
    this.records++
    const len = e - s
    if (len >= 10 && digitsAt(b, s + 1, s + 10)) {
      this.ssnSmall += numberAt(b, s + 1, s + 10)
      if (this.ssnSmall > SSN_FOLD) {
        this.ssnBig += BigInt(this.ssnSmall)
        this.ssnSmall = 0
      }
    }
    if (len >= 67 && digitsAt(b, s + 61, s + 67)) this.hundredths += numberAt(b, s + 61, s + 67)
    // The employee id: positions 11–22 (what there is of them), trailing spaces removed.
    const from = s + 10
    const n = Math.max(0, Math.min(e, s + 22) - from)
    if (n === this.lastEmployeeLength && compareAt(b, from, this.lastEmployee, 0, n) === 0) return
    if (n > 0) b.copy(this.lastEmployee, 0, from, from + n)
    this.lastEmployeeLength = n
    const id = n > 0 ? fieldText(b, from, from + n) : ''
    if (this.employees === 0) {
      this.employees = 1
    } else if (id !== this.lastEmployeeId) {
      if (id > this.lastEmployeeId) this.employees++
      else this.employeesSorted = false
    }
    this.lastEmployeeId = id
  }

  private characters(number: number, b: Buffer, s: number, e: number): void {
    const end = e > s && b[e - 1] === CR ? e - 1 : e
    let first = -1
    let count = 0
    for (let i = s; i < end; i++) {
      const code = b[i]
      if (code < 0x20 || code > 0x7e) {
        if (first === -1) first = i - s
        count++
      }
    }
    if (first !== -1) this.characterProblem(number, first, b[s + first], count)
  }

  private characterProblem(number: number, first: number, code: number, count: number): void {
    const hex = `0x${code.toString(16).padStart(2, '0').toUpperCase()}`
    const kind = code > 0x7e ? `the non-ASCII byte ${hex}` : `the control character ${hex}`
    const more = count > 1 ? ` (${count} bytes on this line are not printable ASCII)` : ''
    this.problems.add(number, Phase.characters, `Position ${first + 1} holds ${kind}${more}; records hold only printable ASCII (letters with diacritics are written without them).`)
  }

  private length(number: number, len: number, endsWithCr: boolean): void {
    if (len === RECORD_LENGTH) return
    const add = (message: string) => this.problems.add(number, Phase.length, message)
    if (len === 0) {
      add(`The line is empty; every record is exactly ${RECORD_LENGTH} characters.`)
    } else if (endsWithCr && len === RECORD_LENGTH + 1) {
      add(`The record is ${len} characters long because it ends with a carriage return (CRLF line ending); records are exactly ${RECORD_LENGTH} characters followed by \\n only.`)
    } else {
      const diff = len - RECORD_LENGTH
      const by = diff < 0 ? `${-diff} too short` : `${diff} too long`
      add(`The record is ${len} characters long (${by}); every record must be exactly ${RECORD_LENGTH} characters.`)
    }
  }

  /** Header first, control record last, detail records between (`type`: the line's first byte, or EMPTY). */
  private placement(number: number, type: number, isLast: boolean): void {
    const isFirst = number === 1
    if (type === TYPE_D && !isFirst && !isLast) return
    const add = (message: Kept['message']) => this.problems.add(number, Phase.placement, message)
    const text = type === EMPTY ? '' : String.fromCharCode(type)
    if (isFirst && type !== TYPE_H) add(`The file must start with a header record (H), but line 1 is ${describeRecord(text)}.`)
    if (isLast && type !== TYPE_T) {
      const first = isFirst && type === TYPE_H ? 'The file has only a header record' : `The last line is ${describeRecord(text)}`
      add(`${first}; the file must end with a control record (T).`)
    }
    if (!isFirst && !isLast) {
      if (type === TYPE_H) add('A header record (H) after line 1; a file has exactly one header, on line 1.')
      else if (type === TYPE_T) add((count) => `A control record (T) before the end of the file (line ${count} is the last); a file has exactly one control record, on its last line.`)
      else add(`The line is ${describeRecord(text)}; every line between the header and the control record must be a detail record (D).`)
    }
  }

  /**
   * Detail order, against the record before (a detail record with well-formed key fields, at b[s]). Hour type
   * is not in the record, so within one employee and transaction code the accounting codes must rise, except
   * that a code shared by k hour types (66: HOL and ADMIN) may restart k − 1 times (one ascending run per hour
   * type). The key fields are compared as bytes: their trailing spaces sort before any character they allow.
   */
  private order(b: Buffer, s: number, number: number): void {
    const p = this.previous
    const hadPrevious = this.previousLine !== 0
    const previousLine = this.previousLine
    let problem: 'order' | 'repeat' | null = null
    if (hadPrevious) {
      const employee = compareAt(b, s + 10, p, 10, 12)
      const tc = employee === 0 ? compareAt(b, s + 59, p, 59, 2) : 0
      if (employee !== 0 || tc !== 0) {
        this.restarts = 0
        if (employee < 0 || tc < 0) problem = 'order'
      } else {
        const account = compareAt(b, s + 67, p, 67, 20)
        const version = compareAt(b, s + 88, p, 88, 2)
        const rises = account > 0 || (account === 0 && version > 0)
        if (!rises) {
          this.restarts++
          const allowed = (TC_HOUR_TYPES[b.toString('latin1', s + 59, s + 61)] ?? 1) - 1
          if (this.restarts > allowed) problem = account === 0 && version === 0 && allowed === 0 ? 'repeat' : 'order'
        }
      }
    }
    if (problem !== null) {
      const key = (r: Buffer, o: number) => `employee ${fieldText(r, o + 10, o + 22)}, transaction code ${r.toString('latin1', o + 59, o + 61)}, accounting code ${fieldText(r, o + 67, o + 87)}`
      const before = `line ${previousLine} (${key(p, 0)})`
      const message = problem === 'repeat'
        ? `This record (${key(b, s)}, version ${numberAt(b, s + 88, s + 90)}) repeats ${before}; each hour type and accounting code has one record per card version.`
        : `This record (${key(b, s)}) is out of order after ${before}; ${ORDER_RULE}.`
      this.problems.add(number, Phase.order, message)
    }
    b.copy(p, 0, s, s + RECORD_LENGTH)
    this.previousLine = number
  }
}

/** The distinct employee ids of the detail records (positions 11–22, trailing spaces removed), counted with a set. */
export function distinctEmployeeIds(chunks: Iterable<Buffer>): number {
  const ids = new Set<string>()
  const head = Buffer.alloc(22)
  let col = 0
  const endLine = () => {
    if (col > 0 && head[0] === TYPE_D) ids.add(col > 10 ? fieldText(head, 10, col) : '')
    col = 0
  }
  for (const chunk of chunks) {
    let pos = 0
    while (pos < chunk.length) {
      const nl = chunk.indexOf(LF, pos)
      const stop = nl === -1 ? chunk.length : nl
      const take = Math.min(stop - pos, 22 - col)
      if (take > 0) {
        chunk.copy(head, col, pos, pos + take)
        col += take
      }
      if (nl === -1) break
      endLine()
      pos = nl + 1
    }
  }
  endLine()
  return ids.size
}

/**
 * Checks the NFC file whose bytes `chunks()` yields (each call from the start: a second pass is made only to
 * count employee ids that were out of order). Never throws.
 */
export function verifyNfcChunks(chunks: () => Iterable<Buffer>): VerifyReport {
  try {
    const v = new NfcVerifier()
    for (const chunk of chunks()) v.push(chunk)
    return v.end(() => distinctEmployeeIds(chunks()))
  } catch (error) {
    // Not reachable by design (save a read error); a defect in the checker must still not become a crash of `payroll verify`.
    return {
      ok: false,
      records: 0,
      totalHours: 0,
      hashTotal: 0,
      problems: [{line: 1, message: `The file could not be checked: ${error instanceof Error ? error.message : String(error)}.`}],
    }
  }
}

/** Checks an NFC file held in memory (the same checks as verifyNfcChunks). */
export function verifyNfc(content: Buffer): VerifyReport {
  // Defensive: a caller in plain JS (or a test) may hand over something that is not a Buffer.
  const input: unknown = content
  const buf = Buffer.isBuffer(input)
    ? content
    : input instanceof Uint8Array
      ? Buffer.from(input)
      : typeof input === 'string'
        ? Buffer.from(input, 'utf8')
        : Buffer.alloc(0)
  return verifyNfcChunks(() => [buf])
}
