import {dayOfWeek, isRealDate} from '../calendar/dates.js'
import {isPayPeriodStart, payPeriodEnd, payPeriodStartOf} from '../calendar/payperiods.js'
import {quoteValue as clip} from '../text/redact.js'

/**
 * Timesheet row checks (TS-*) and timecard edit checks (TC-*) of RULES.md: one table of codes, and pure
 * functions from a row or a card (with its context) to findings. Hours are integer hundredths.
 */
export const TIMESHEET_CODES = {
  'TS-REQUIRED': {severity: 'error', title: 'a required value is empty'},
  'TS-EMPLOYEE': {severity: 'error', title: 'employee_id is not an employee in the store'},
  'TS-DATE': {severity: 'error', title: 'work_date is not a real date'},
  'TS-TYPE': {severity: 'error', title: 'hour_type is not a known hour type'},
  'TS-HOURS': {severity: 'error', title: 'hours not > 0, ≤ 24, in quarter hours'},
  'TS-ACCOUNT': {severity: 'error', title: 'accounting_code is not 1-20 of A-Z 0-9 - .'},
  'TS-PERIOD': {severity: 'error', title: 'pay_period_start is not the start of the period containing work_date'},
  'TS-DUP-ROW': {severity: 'error', title: 'the same employee, date, hour type and accounting code appear earlier in the file'},
  'TS-LOCKED': {severity: 'error', title: 'the card is certified or exported (use timecards amend)'},
  'TS-SCOPE': {severity: 'error', title: 'the employee is outside the operator\'s org scope'},
} as const

export const TIMECARD_CODES = {
  'TC-DAY-24': {severity: 'error', title: 'more than 24 hours on one date'},
  'TC-TOUR': {severity: 'error', title: 'hours toward tour differ from scheduled hours'},
  'TC-LEAVE-AL': {severity: 'error', title: 'annual leave exceeds the available balance'},
  'TC-LEAVE-CT': {severity: 'error', title: 'comp time used exceeds the available balance'},
  'TC-LEAVE-SL': {severity: 'warning', title: 'sick leave exceeds the balance (advanced sick leave needs approval)'},
  'TC-HOLIDAY': {severity: 'error', title: 'HOL or HOLW on a date that is not an observed holiday'},
  'TC-HOL-REG': {severity: 'warning', title: 'REG on an observed holiday for a full-time employee'},
  'TC-EMPLOYMENT': {severity: 'error', title: 'a line before hire or after separation'},
  'TC-PREMIUM': {severity: 'error', title: 'premium hours without the hours they are paid on, or SUN not on a Sunday'},
  'TC-INT-LEAVE': {severity: 'error', title: 'an intermittent employee with AL, SL or HOL'},
} as const

export type TimesheetCode = keyof typeof TIMESHEET_CODES
export type TimecardCode = keyof typeof TIMECARD_CODES
export type Severity = 'error' | 'warning'

export const TIMESHEET_COLUMNS = [
  {name: 'employee_id', required: true},
  {name: 'work_date', required: true},
  {name: 'hour_type', required: true},
  {name: 'hours', required: true},
  {name: 'accounting_code', required: true},
  {name: 'pay_period_start', required: false},
] as const

export type TimesheetRow = Partial<Record<(typeof TIMESHEET_COLUMNS)[number]['name'], string>>

export interface RowFinding {
  code: TimesheetCode
  column: string
  message: string
}

const ACCOUNT = /^[A-Z0-9.-]{1,20}$/
/** An accounting code (upper-cased): 1-20 of A-Z, 0-9, "-" and ".". */
export const isAccountingCode = (code: string): boolean => ACCOUNT.test(code)
const HOURS = /^\d{1,2}(\.\d{1,2})?$/

/** Hours text → hundredths when > 0, ≤ 24 and a multiple of 0.25; else null. */
export function parseQuarterHours(text: string): number | null {
  if (!HOURS.test(text)) return null
  const [whole, frac = ''] = text.split('.')
  const h = Number(whole) * 100 + Number(frac.padEnd(2, '0'))
  return h > 0 && h <= 2400 && h % 25 === 0 ? h : null
}

/** The checks of one timesheet line that need no store (types: the known hour-type codes). */
export function checkTimesheetRow(row: TimesheetRow, hourTypes: ReadonlySet<string>, anchor?: string): RowFinding[] {
  const out: RowFinding[] = []
  const err = (code: TimesheetCode, column: string, message: string) => out.push({code, column, message})
  for (const c of ['employee_id', 'work_date', 'hour_type', 'hours', 'accounting_code'] as const) {
    if ((row[c] ?? '') === '') err('TS-REQUIRED', c, `${c} is required but empty.`)
  }
  const date = row.work_date ?? ''
  const dateOk = isRealDate(date)
  if (date !== '' && !dateOk) err('TS-DATE', 'work_date', `work_date "${clip(date)}" is not a real date written YYYY-MM-DD.`)
  const type = (row.hour_type ?? '').toUpperCase()
  if (type !== '' && !hourTypes.has(type)) err('TS-TYPE', 'hour_type', `hour_type "${clip(row.hour_type!)}" is not one of ${[...hourTypes].join(', ')}.`)
  const hours = row.hours ?? ''
  if (hours !== '' && parseQuarterHours(hours) === null) err('TS-HOURS', 'hours', `hours "${clip(hours)}" must be more than 0 and at most 24, in quarter hours (0.25 steps).`)
  const account = (row.accounting_code ?? '').toUpperCase()
  if (account !== '' && !isAccountingCode(account)) err('TS-ACCOUNT', 'accounting_code', `accounting_code "${clip(row.accounting_code!)}" must be 1-20 of A-Z, 0-9, "-" and ".".`)
  const pps = row.pay_period_start ?? ''
  if (pps !== '' && dateOk) {
    const expected = payPeriodStartOf(date, anchor)
    if (pps !== expected) err('TS-PERIOD', 'pay_period_start', `pay_period_start "${clip(pps)}" is not the start of the pay period containing ${date}, which starts ${expected}.`)
  }
  return out
}

/** A timesheet line as the import worker parses it once: every part the store-free checks look at. */
export interface ParsedTimesheetLine {
  /** The pay period start of work_date; null when work_date is not a real date (or empty). */
  period: string | null
  /** parseQuarterHours of the hours; null when invalid (or empty). */
  hours: number | null
  /** Whether hour_type (upper-cased) is a known code. */
  typeKnown: boolean
  /** accounting_code, trimmed and upper-cased. */
  account: string
  /** pay_period_start as written, trimmed ('' when absent). */
  payPeriodStart: string
}

/**
 * Whether a line with a known employee passes every check of checkTimesheetRow, decided from its parsed
 * parts: the import worker's fast path (it sends only the other lines through checkTimesheetRow for their
 * findings). A unit test holds the two to the same answer.
 */
export function timesheetLineOk(p: ParsedTimesheetLine): boolean {
  return p.period !== null && p.hours !== null && p.typeKnown && isAccountingCode(p.account) && (p.payPeriodStart === '' || p.payPeriodStart === p.period)
}

// ---------------------------------------------------------------------------------------------------------
// Timecard edit checks

export interface CardLine {
  workDate: string
  hourType: string
  hours: number
  accountingCode: string
}

export interface CardContext {
  tour: 'FT' | 'PT' | 'INT'
  scheduledHours: number
  hireDate: string | null
  separationDate: string | null
  payPeriodStart: string
  /** Available balances (balance on record minus the same leave on earlier unexported cards). */
  available: {annual: number; sick: number; compTime: number}
  /** Hour-type codes that count toward the tour. */
  towardTour: ReadonlySet<string>
  /** Observed holidays and closure days: date → name. */
  holidays: ReadonlyMap<string, string>
}

export interface CardFinding {
  code: TimecardCode
  severity: Severity
  message: string
  workDate?: string
}

export const fmtHours = (h: number): string => (h / 100).toFixed(2).replace(/\.00$/, '').replace(/(\.\d)0$/, '$1')

/** Every TC-* finding for one card. */
export function checkTimecard(lines: readonly CardLine[], ctx: CardContext): CardFinding[] {
  const out: CardFinding[] = []
  const add = (code: TimecardCode, message: string, workDate?: string) =>
    out.push({code, severity: TIMECARD_CODES[code].severity, message, ...(workDate ? {workDate} : {})})

  const byDate = new Map<string, Map<string, number>>()
  const total = new Map<string, number>()
  for (const l of lines) {
    const day = byDate.get(l.workDate) ?? new Map<string, number>()
    day.set(l.hourType, (day.get(l.hourType) ?? 0) + l.hours)
    byDate.set(l.workDate, day)
    total.set(l.hourType, (total.get(l.hourType) ?? 0) + l.hours)
  }
  const sum = (m: Map<string, number>, ...types: string[]) => types.reduce((s, t) => s + (m.get(t) ?? 0), 0)

  for (const [date, day] of [...byDate].sort(([a], [b]) => a.localeCompare(b))) {
    let toward = 0
    for (const [t, h] of day) if (ctx.towardTour.has(t)) toward += h
    const daily = toward + sum(day, 'OT', 'CTE')
    if (daily > 2400) add('TC-DAY-24', `${date} has ${fmtHours(daily)} hours (toward tour plus OT and CTE); at most 24 are possible.`, date)

    const holiday = ctx.holidays.get(date)
    for (const t of ['HOL', 'HOLW']) {
      if (day.has(t) && !holiday) add('TC-HOLIDAY', `${t} on ${date}, which is not an observed federal holiday or closure day.`, date)
    }
    if (holiday && ctx.tour === 'FT' && day.has('REG')) add('TC-HOL-REG', `REG on ${date} (${holiday}); a full-time employee's holiday is HOL, or HOLW if worked.`, date)

    if ((ctx.hireDate && date < ctx.hireDate) || (ctx.separationDate && date > ctx.separationDate)) {
      add('TC-EMPLOYMENT', ctx.hireDate && date < ctx.hireDate ? `${date} is before the hire date ${ctx.hireDate}.` : `${date} is after the separation date ${ctx.separationDate}.`, date)
    }

    const base = sum(day, 'REG', 'OT', 'HOLW')
    for (const t of ['ND', 'SUN']) {
      const h = day.get(t) ?? 0
      if (h > base) add('TC-PREMIUM', `${t} ${fmtHours(h)} hours on ${date} exceed that date's REG + OT + HOLW hours (${fmtHours(base)}).`, date)
    }
    if (day.has('SUN') && dayOfWeek(date) !== 0) add('TC-PREMIUM', `SUN premium on ${date}, which is not a Sunday.`, date)

    if (ctx.tour === 'INT') {
      for (const t of ['AL', 'SL', 'HOL']) if (day.has(t)) add('TC-INT-LEAVE', `${t} on ${date}: intermittent employees earn no leave or holiday pay.`, date)
    }
  }

  if (ctx.tour === 'FT' || ctx.tour === 'PT') {
    let toward = 0
    for (const [t, h] of total) if (ctx.towardTour.has(t)) toward += h
    const end = payPeriodEnd(ctx.payPeriodStart)
    const partial = (ctx.hireDate !== null && ctx.hireDate >= ctx.payPeriodStart && ctx.hireDate <= end)
      || (ctx.separationDate !== null && ctx.separationDate >= ctx.payPeriodStart && ctx.separationDate <= end)
    const diff = toward - ctx.scheduledHours
    if (diff !== 0 && (!partial || diff > 0)) {
      add('TC-TOUR', `hours toward the tour total ${fmtHours(toward)}, ${fmtHours(Math.abs(diff))} ${diff > 0 ? 'more' : 'fewer'} than the ${fmtHours(ctx.scheduledHours)} scheduled for the pay period.`)
    }
  }

  const al = total.get('AL') ?? 0
  if (al > ctx.available.annual) add('TC-LEAVE-AL', `annual leave ${fmtHours(al)} hours exceeds the ${fmtHours(ctx.available.annual)} hours available.`)
  const ctu = total.get('CTU') ?? 0
  if (ctu > ctx.available.compTime) add('TC-LEAVE-CT', `comp time used ${fmtHours(ctu)} hours exceeds the ${fmtHours(ctx.available.compTime)} hours available.`)
  const sl = total.get('SL') ?? 0
  if (sl > ctx.available.sick) add('TC-LEAVE-SL', `sick leave ${fmtHours(sl)} hours exceeds the ${fmtHours(ctx.available.sick)} hours available; advanced sick leave needs approval.`)
  return out
}

export const isValidPayPeriodStart = (d: string, anchor?: string) => isRealDate(d) && isPayPeriodStart(d, anchor)
