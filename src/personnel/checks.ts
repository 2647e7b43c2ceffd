import {isRealDate} from '../calendar/dates.js'
import {type CodeInfo, type ColumnRule, type Severity, runColumnRules} from '../rules.js'
import {quoteValue as truncate} from '../text/redact.js'

/**
 * Personnel edit checks (RULES.md): one table of codes, and pure functions from a row to findings.
 * Checks that need the store (SSN-DUP, DUP-ROW, SUPERVISOR, SCOPE) take their answers from the service.
 */
export const PERSONNEL_CODES = {
  'PE-REQUIRED': {severity: 'error', title: 'a required value is empty'},
  'PE-ID': {severity: 'error', title: 'employee_id is not 3-12 of A-Z, 0-9, -'},
  'PE-SSN': {severity: 'error', title: 'ssn is not a valid SSN'},
  'PE-SSN-DUP': {severity: 'error', title: 'ssn already belongs to another employee', decidedBy: 'the import and edits, against the store and the file', columns: ['ssn']},
  'PE-NAME': {severity: 'error', title: 'a name is not 1-35 letters, spaces, apostrophes, hyphens or periods'},
  'PE-EMAIL': {severity: 'error', title: 'email is not a plausible address'},
  'PE-PAYPLAN': {severity: 'error', title: 'pay_plan is not a known pay plan'},
  'PE-GRADE': {severity: 'error', title: 'grade is not allowed for the pay plan'},
  'PE-STEP': {severity: 'error', title: 'step is not allowed for the pay plan'},
  'PE-TOUR': {severity: 'error', title: 'tour_of_duty is not FT, PT or INT'},
  'PE-HOURS': {severity: 'error', title: 'scheduled_hours is not allowed for the tour'},
  'PE-AGENCY': {severity: 'error', title: 'agency_code is not 2 of A-Z, 0-9'},
  'PE-ORG': {severity: 'error', title: 'org_code is not 2-12 of A-Z, 0-9'},
  'PE-DATE': {severity: 'error', title: 'a date is not real, is in the future, or separation precedes hire'},
  'PE-BALANCE': {severity: 'error', title: 'a leave balance is not valid hours'},
  'PE-DUP-ROW': {severity: 'error', title: 'the same employee_id appears earlier in the file', decidedBy: 'the import, against the file', columns: ['employee_id']},
  'PE-SCOPE': {severity: 'error', title: 'the employee is outside the operator\'s org scope', decidedBy: 'the import, against the store and the operator', columns: ['employee_id', 'org_code']},
  'PE-SUPERVISOR': {severity: 'warning', title: 'supervisor_id is not a known employee', decidedBy: 'the import, against the store once the file is read', columns: ['supervisor_id']},
} as const satisfies Record<string, CodeInfo>

export type PersonnelCode = keyof typeof PERSONNEL_CODES
export type {Severity}

export interface Finding {
  code: PersonnelCode
  column: string
  message: string
  severity: Severity
}

export const PERSONNEL_COLUMNS = [
  {name: 'employee_id', required: true},
  {name: 'ssn', required: false},
  {name: 'last_name', required: true},
  {name: 'first_name', required: true},
  {name: 'middle_name', required: false},
  {name: 'email', required: false},
  {name: 'pay_plan', required: true},
  {name: 'grade', required: false},
  {name: 'step', required: false},
  {name: 'tour_of_duty', required: true},
  {name: 'scheduled_hours', required: true},
  {name: 'agency_code', required: true},
  {name: 'org_code', required: true},
  {name: 'supervisor_id', required: false},
  {name: 'service_comp_date', required: false},
  {name: 'hire_date', required: false},
  {name: 'separation_date', required: false},
  {name: 'annual_leave_balance', required: false},
  {name: 'sick_leave_balance', required: false},
  {name: 'comp_time_balance', required: false},
] as const

export type PersonnelColumn = (typeof PERSONNEL_COLUMNS)[number]['name']
/** A row as read: every column trimmed, '' when empty, undefined when the file has no such column. */
export type PersonnelRow = Partial<Record<PersonnelColumn, string>>

export const PAY_PLANS = ['GS', 'GM', 'GG', 'WG', 'WL', 'WS', 'ES', 'SL', 'ST', 'AD', 'SV', 'FV', 'EX'] as const
const NUMERIC_GRADE_PLANS = new Set(['GS', 'GM', 'GG', 'WG', 'WL', 'WS'])
const BAND_PLANS = new Set(['SV', 'FV'])
const STEP_LIMIT: Record<string, number> = {GS: 10, GG: 10, WG: 5, WL: 5, WS: 5}
export const TOURS = ['FT', 'PT', 'INT'] as const

const ID = /^[A-Z0-9-]{3,12}$/
const SSN_FORMAT = /^(\d{3})-?(\d{2})-?(\d{4})$/
const NAME = /^[\p{L}\p{M} '’.-]+$/u
const HAS_LETTER = /\p{L}/u
const AGENCY = /^[A-Z0-9]{2}$/
const ORG = /^[A-Z0-9]{2,12}$/
const HOURS = /^-?\d{1,6}(\.\d{1,2})?$/

/** "123-45-6789" or "123456789" → 9 digits, or null when not a valid SSN (format, area, group, serial). */
export function normalizeSsn(value: string): string | null {
  const m = SSN_FORMAT.exec(value)
  if (!m) return null
  if (value.includes('-') && !/^\d{3}-\d{2}-\d{4}$/.test(value)) return null
  const [, area, group, serial] = m
  const a = Number(area)
  if (a === 0 || a === 666 || a >= 900 || group === '00' || serial === '0000') return null
  return `${area}${group}${serial}`
}

/** The employee columns kept in integer hundredths of an hour (shown to people in hours). */
export const HOURS_COLUMNS = ['scheduled_hours', 'annual_leave_balance', 'sick_leave_balance', 'comp_time_balance'] as const

export function isHoursColumn(column: string): column is (typeof HOURS_COLUMNS)[number] {
  return (HOURS_COLUMNS as readonly string[]).includes(column)
}

/** Decimal hours text → integer hundredths, or null when not a number with at most 2 decimals. */
export function parseHundredths(value: string): number | null {
  if (!HOURS.test(value)) return null
  // At most 8 significant digits: the product is within far less than a hundredth of the exact integer, which
  // rounding gives (an import parses 8 of these a row, so no splitting and padding of digits).
  return Math.round(Number(value) * 100)
}

/** PE-SSN-DUP's message in an import (both engines), whichever row of the file or the store holds the SSN. */
export const SSN_TAKEN_IN_IMPORT = 'ssn already belongs to another employee (in the store or earlier in this file).'

export function maskSsn(ssn: string | null): string | null {
  return ssn ? `***-**-${ssn.slice(-4)}` : null
}

/** Characters (code points) of the name's NFC form, counted without making an array of them. */
function nameLength(s: string): number {
  const nfc = s.normalize('NFC')
  let n = nfc.length
  for (let i = 1; i < nfc.length; i++) {
    const c = nfc.charCodeAt(i)
    // A surrogate pair is one character.
    if (c >= 0xdc00 && c <= 0xdfff) {
      const before = nfc.charCodeAt(i - 1)
      if (before >= 0xd800 && before <= 0xdbff) n--
    }
  }
  return n
}

const NAME_COLUMNS = ['last_name', 'first_name', 'middle_name'] as const
const BALANCE_COLUMNS = ['annual_leave_balance', 'sick_leave_balance', 'comp_time_balance'] as const

const upper = (row: PersonnelRow, c: PersonnelColumn) => (row[c] ?? '').toUpperCase()
const knownPlan = (row: PersonnelRow) => (PAY_PLANS as readonly string[]).includes(upper(row, 'pay_plan'))

/**
 * The personnel edit checks that need nothing but the row and today's date, one entry per rule, in the
 * order findings are reported. The codes a service decides are in PERSONNEL_CODES with `decidedBy`.
 */
export const PERSONNEL_RULES: readonly ColumnRule<PersonnelCode, PersonnelRow, {today: string}>[] = [
  {
    code: 'PE-REQUIRED',
    columns: ['employee_id', 'last_name', 'first_name', 'pay_plan', 'tour_of_duty', 'scheduled_hours', 'agency_code', 'org_code'],
    check: (v, c) => (v === '' ? `${c} is required but empty.` : null),
  },
  {
    code: 'PE-ID',
    columns: ['employee_id'],
    check(v) {
      const id = v.toUpperCase()
      if (id === '') return null
      if (!ID.test(id)) return `employee_id "${truncate(v)}" must be 3-12 characters of A-Z, 0-9 and "-".`
      return SSN_FORMAT.test(id) ? 'employee_id looks like an SSN; use the agency employee number, never the SSN.' : null
    },
  },
  {
    code: 'PE-SSN',
    columns: ['ssn'],
    // Never echo the value: it is (or is meant to be) an SSN.
    check: (v) => (v !== '' && normalizeSsn(v) === null
      ? 'ssn is not a valid SSN: expected 9 digits (123-45-6789 or 123456789), area not 000, 666 or 900-999, group not 00, serial not 0000.'
      : null),
  },
  {
    code: 'PE-NAME',
    columns: NAME_COLUMNS,
    check(v, c) {
      if (v === '') return null
      if (nameLength(v) > 35) return `${c} is ${nameLength(v)} characters; at most 35 are allowed.`
      return !NAME.test(v) || !HAS_LETTER.test(v) ? `${c} "${truncate(v)}" may hold only letters, spaces, apostrophes, hyphens and periods.` : null
    },
  },
  {
    code: 'PE-EMAIL',
    columns: ['email'],
    check: (v) => (v !== '' && !isPlausibleEmail(v) ? `email "${truncate(v)}" is not a plausible address (one @, a dot in the domain, no spaces).` : null),
  },
  {
    code: 'PE-PAYPLAN',
    columns: ['pay_plan'],
    check: (v, _c, row) => (v !== '' && !knownPlan(row) ? `pay_plan "${truncate(v)}" is not one of ${PAY_PLANS.join(', ')}.` : null),
  },
  {
    code: 'PE-REQUIRED',
    columns: ['grade'],
    check(v, _c, row) {
      const plan = upper(row, 'pay_plan')
      if (v !== '' || !knownPlan(row)) return null
      if (NUMERIC_GRADE_PLANS.has(plan)) return `grade is required for pay plan ${plan}.`
      return BAND_PLANS.has(plan) ? `grade (band letter) is required for pay plan ${plan}.` : null
    },
  },
  {
    code: 'PE-GRADE',
    columns: ['grade'],
    check(v, _c, row) {
      const plan = upper(row, 'pay_plan')
      const grade = v.toUpperCase()
      if (grade === '' || !knownPlan(row)) return null
      if (NUMERIC_GRADE_PLANS.has(plan)) return !/^\d{1,2}$/.test(grade) || Number(grade) < 1 || Number(grade) > 15 ? `grade "${truncate(grade)}" is not 01-15 as pay plan ${plan} requires.` : null
      if (BAND_PLANS.has(plan)) return /^[A-M]$/.test(grade) ? null : `grade "${truncate(grade)}" is not a band letter A-M as pay plan ${plan} requires.`
      return `pay plan ${plan} has no grades; grade must be empty (found "${truncate(grade)}").`
    },
  },
  {
    code: 'PE-REQUIRED',
    columns: ['step'],
    check: (v, _c, row) => (v === '' && knownPlan(row) && STEP_LIMIT[upper(row, 'pay_plan')] ? `step is required for pay plan ${upper(row, 'pay_plan')}.` : null),
  },
  {
    code: 'PE-STEP',
    columns: ['step'],
    check(v, _c, row) {
      const plan = upper(row, 'pay_plan')
      if (v === '' || !knownPlan(row)) return null
      const limit = STEP_LIMIT[plan]
      if (!limit) return `pay plan ${plan} has no steps; step must be empty (found "${truncate(v)}").`
      return !/^\d{1,2}$/.test(v) || Number(v) < 1 || Number(v) > limit ? `step "${truncate(v)}" is not 1-${limit} as pay plan ${plan} requires.` : null
    },
  },
  {
    code: 'PE-TOUR',
    columns: ['tour_of_duty'],
    check: (v) => (v !== '' && !(TOURS as readonly string[]).includes(v.toUpperCase()) ? `tour_of_duty "${truncate(v)}" is not FT, PT or INT.` : null),
  },
  {
    code: 'PE-HOURS',
    columns: ['scheduled_hours'],
    check(v, _c, row) {
      if (v === '') return null
      const h = parseHundredths(v)
      const tour = upper(row, 'tour_of_duty')
      if (h === null || h < 0) return `scheduled_hours "${truncate(v)}" is not a number of hours.`
      if (tour === 'FT' && h !== 8000) return `scheduled_hours is ${v}; a full-time tour is exactly 80 hours per pay period.`
      if (tour === 'PT' && (h < 3200 || h > 6400)) return `scheduled_hours is ${v}; a part-time tour is 32-64 hours per pay period.`
      return tour === 'INT' && h !== 0 ? `scheduled_hours is ${v}; an intermittent tour has 0 scheduled hours.` : null
    },
  },
  {
    code: 'PE-AGENCY',
    columns: ['agency_code'],
    check: (v) => (v !== '' && !AGENCY.test(v.toUpperCase()) ? `agency_code "${truncate(v.toUpperCase())}" must be exactly 2 of A-Z and 0-9.` : null),
  },
  {
    code: 'PE-ORG',
    columns: ['org_code'],
    check: (v) => (v !== '' && !ORG.test(v.toUpperCase()) ? `org_code "${truncate(v.toUpperCase())}" must be 2-12 of A-Z and 0-9.` : null),
  },
  {
    code: 'PE-REQUIRED',
    columns: ['service_comp_date'],
    check(v, _c, row) {
      const tour = upper(row, 'tour_of_duty')
      return (tour === 'FT' || tour === 'PT') && v === '' ? `service_comp_date is required for tour ${tour} (it sets the leave accrual rate).` : null
    },
  },
  {
    code: 'PE-DATE',
    columns: ['service_comp_date', 'hire_date', 'separation_date'],
    check(v, c, row, {today}) {
      if (v === '') return null
      if (!isRealDate(v)) return `${c} "${truncate(v)}" is not a real date written YYYY-MM-DD.`
      if (c === 'separation_date') {
        const hire = row.hire_date ?? ''
        return isRealDate(hire) && v < hire ? `separation_date ${v} is before hire_date ${hire}.` : null
      }
      return v > today ? `${c} ${v} is in the future (today is ${today}).` : null
    },
  },
  {
    code: 'PE-BALANCE',
    columns: BALANCE_COLUMNS,
    check(v, c) {
      if (v === '') return null
      const h = parseHundredths(v)
      if (h === null) return `${c} "${truncate(v)}" is not hours with at most 2 decimals.`
      return h < 0 && c !== 'sick_leave_balance' ? `${c} is ${v}; it cannot be negative.` : null
    },
  },
]

/** Every row-level finding that needs nothing but the row and today's date. */
export function checkPersonnelRow(row: PersonnelRow, today: string): Finding[] {
  return runColumnRules(PERSONNEL_RULES, row, {today}).map((f) => ({...f, severity: PERSONNEL_CODES[f.code].severity}))
}

export function isPlausibleEmail(s: string): boolean {
  if (s.length > 254 || /\s/.test(s)) return false
  const parts = s.split('@')
  if (parts.length !== 2) return false
  const [local, domain] = parts
  if (local === '' || domain.length < 3) return false
  const labels = domain.split('.')
  return labels.length >= 2 && labels.every((l) => l.length > 0)
}


/** The stored form of a valid row (only the columns present in the file). */
export interface EmployeeValues {
  employee_id: string
  ssn?: string | null
  last_name?: string
  first_name?: string
  middle_name?: string | null
  email?: string | null
  pay_plan?: string
  grade?: string | null
  step?: number | null
  tour_of_duty?: string
  scheduled_hours?: number
  agency_code?: string
  org_code?: string
  supervisor_id?: string | null
  service_comp_date?: string | null
  hire_date?: string | null
  separation_date?: string | null
  annual_leave_balance?: number
  sick_leave_balance?: number
  comp_time_balance?: number
}

/** Normalises a row that passed checkPersonnelRow. Columns absent from the file stay absent. */
export function toEmployeeValues(row: PersonnelRow): EmployeeValues {
  const out: EmployeeValues = {employee_id: (row.employee_id ?? '').toUpperCase()}
  const text = (c: PersonnelColumn, upper = false) => {
    const s = row[c]
    if (s === undefined) return undefined
    if (s === '') return null
    const nfc = s.normalize('NFC')
    return upper ? nfc.toUpperCase() : nfc
  }
  const set = <K extends keyof EmployeeValues>(k: K, value: EmployeeValues[K] | undefined) => {
    if (value !== undefined) out[k] = value
  }
  set('ssn', row.ssn === undefined ? undefined : row.ssn === '' ? null : normalizeSsn(row.ssn))
  set('last_name', text('last_name') ?? undefined)
  set('first_name', text('first_name') ?? undefined)
  set('middle_name', text('middle_name'))
  set('email', text('email'))
  set('pay_plan', text('pay_plan', true) ?? undefined)
  const grade = text('grade', true)
  set('grade', grade && /^\d$/.test(grade) ? `0${grade}` : grade)
  set('step', row.step === undefined ? undefined : row.step === '' ? null : Number(row.step))
  set('tour_of_duty', text('tour_of_duty', true) ?? undefined)
  set('scheduled_hours', row.scheduled_hours === undefined ? undefined : parseHundredths(row.scheduled_hours)!)
  set('agency_code', text('agency_code', true) ?? undefined)
  set('org_code', text('org_code', true) ?? undefined)
  set('supervisor_id', text('supervisor_id', true))
  set('service_comp_date', text('service_comp_date'))
  set('hire_date', text('hire_date'))
  set('separation_date', text('separation_date'))
  for (const c of BALANCE_COLUMNS) {
    const s = row[c]
    if (s !== undefined) out[c] = s === '' ? 0 : parseHundredths(s)!
  }
  return out
}
