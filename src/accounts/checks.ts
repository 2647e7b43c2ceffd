import {isIP} from 'node:net'

import {isRealDate} from '../calendar/dates.js'
import {isPlausibleEmail} from '../personnel/checks.js'
import {type CodeInfo, type ColumnRule, type Severity, runColumnRules} from '../rules.js'
import {quoteValue as clip} from '../text/redact.js'

/**
 * Sign-in log checks (AA-*, RULES.md "Account access records"): one table of codes, and pure functions from
 * a row (with the --as-of date) to findings. AA-EMPLOYEE and AA-DUP-ROW need the store: the import decides them.
 */
export const ACCOUNT_CODES = {
  'AA-REQUIRED': {severity: 'error', title: 'a required value is empty'},
  'AA-USER': {severity: 'error', title: 'user_id is not 1-64 of letters, digits, ".", "_" and "-"'},
  'AA-EMAIL': {severity: 'error', title: 'email is not a plausible address'},
  'AA-TIME': {severity: 'error', title: 'signed_in_at is not an ISO-8601 timestamp with an offset or Z, or is after the --as-of day'},
  'AA-IP': {severity: 'error', title: 'ip_address is not an IPv4 or IPv6 address'},
  'AA-EMPLOYEE': {severity: 'warning', title: 'employee_id is not an employee in the store (the sign-in is stored)', decidedBy: 'the import, against the store', columns: ['employee_id']},
  'AA-DUP-ROW': {severity: 'error', title: 'the same user_id and signed_in_at appear earlier in the file or are already stored', decidedBy: 'the import, against the file and the store', columns: ['signed_in_at']},
} as const satisfies Record<string, CodeInfo>

export type AccountCode = keyof typeof ACCOUNT_CODES
export type {Severity}

export const SIGN_IN_COLUMNS = [
  {name: 'user_id', required: true},
  {name: 'name', required: true},
  {name: 'email', required: true},
  {name: 'signed_in_at', required: true},
  {name: 'department', required: false},
  {name: 'user_role', required: false},
  {name: 'employee_id', required: false},
  {name: 'ip_address', required: false},
  {name: 'application', required: false},
] as const

export type SignInColumn = (typeof SIGN_IN_COLUMNS)[number]['name']
/** A row as read: every column trimmed, '' when empty, undefined when the file has no such column. */
export type SignInRow = Partial<Record<SignInColumn, string>>

/** A user id (AA-USER): 1-64 of letters, digits, ".", "_" and "-". */
export const USER = /^[A-Za-z0-9._-]{1,64}$/
const STAMP = /^(\d{4}-\d{2}-\d{2})T(\d{2}):(\d{2})(?::(\d{2})(\.\d{1,9})?)?(Z|[+-](\d{2}):?(\d{2}))$/i

/**
 * An ISO-8601 timestamp with its offset (or Z) as the instant in UTC, `YYYY-MM-DDTHH:MM:SS.sssZ`; null when
 * it is not one (no offset, not a real date or time).
 */
export function toUtcInstant(value: string): string | null {
  const m = STAMP.exec(value)
  if (!m) return null
  const [, date, hh, mm, ss = '00', , zone, oh, om] = m
  if (!isRealDate(date) || Number(hh) > 23 || Number(mm) > 59 || Number(ss) > 59) return null
  if (zone === 'Z' || zone === 'z') {
    // Already UTC (most logs): the instant is the text, to the millisecond.
    const frac = (m[5] ?? '.000').padEnd(4, '0').slice(0, 4)
    return `${date}T${hh}:${mm}:${ss}${frac}Z`
  }
  if (Number(oh) > 23 || Number(om) > 59) return null
  const ms = Date.parse(value.replace(/([+-]\d{2})(\d{2})$/, '$1:$2'))
  return Number.isNaN(ms) ? null : new Date(ms).toISOString()
}

/** The sign-in log checks that need nothing but the row and the --as-of date, one entry per rule, in report order. */
export const SIGN_IN_RULES: readonly ColumnRule<AccountCode, SignInRow, {today: string}>[] = [
  {
    code: 'AA-REQUIRED',
    columns: ['user_id', 'name', 'email', 'signed_in_at'],
    check: (v, c) => (v === '' ? `${c} is required but empty.` : null),
  },
  {
    code: 'AA-USER',
    columns: ['user_id'],
    check: (v) => (v !== '' && !USER.test(v) ? `user_id "${clip(v)}" must be 1-64 of letters, digits, ".", "_" and "-".` : null),
  },
  {
    code: 'AA-EMAIL',
    columns: ['email'],
    check: (v) => (v !== '' && !isPlausibleEmail(v) ? `email "${clip(v)}" is not a plausible address (one @, a dot in the domain, no spaces).` : null),
  },
  {
    code: 'AA-TIME',
    columns: ['signed_in_at'],
    check(v, _c, _row, {today}) {
      if (v === '') return null
      const at = toUtcInstant(v)
      if (at === null) return `signed_in_at "${clip(v)}" is not an ISO-8601 timestamp with an offset or Z (e.g. 2026-11-02T13:05:00Z).`
      return at.slice(0, 10) > today ? `signed_in_at ${v} is after ${today} (UTC), the --as-of day.` : null
    },
  },
  {
    code: 'AA-IP',
    columns: ['ip_address'],
    check: (v) => (v !== '' && isIP(v) === 0 ? `ip_address "${clip(v)}" is not an IPv4 or IPv6 address.` : null),
  },
]

export interface Finding {
  code: AccountCode
  column: string
  message: string
  severity: Severity
}

export function checkSignInRow(row: SignInRow, today: string): Finding[] {
  return runColumnRules(SIGN_IN_RULES, row, {today}).map((f) => ({...f, severity: ACCOUNT_CODES[f.code].severity}))
}

/** A sign-in as stored: user id in lower case, employee_id upper case, the time in UTC, empty optional values null. */
export interface SignInValues {
  userId: string
  name: string
  email: string
  department: string | null
  userRole: string | null
  employeeId: string | null
  signedInAt: string
  ipAddress: string | null
  application: string | null
}

/** The stored form of a row that passed checkSignInRow. */
export function toSignInValues(row: SignInRow): SignInValues {
  const text = (c: SignInColumn) => {
    const s = row[c] ?? ''
    return s === '' ? null : s.normalize('NFC')
  }
  return {
    userId: (row.user_id ?? '').toLowerCase(),
    name: text('name') ?? '',
    email: text('email') ?? '',
    department: text('department'),
    userRole: text('user_role'),
    employeeId: text('employee_id')?.toUpperCase() ?? null,
    signedInAt: toUtcInstant(row.signed_in_at ?? '')!,
    ipAddress: text('ip_address')?.toLowerCase() ?? null,
    application: text('application'),
  }
}
