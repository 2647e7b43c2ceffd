import {dayOfWeek, isRealDate} from '../calendar/dates.js'
import {isPayPeriodStart, payPeriodEnd, payPeriodStartOf} from '../calendar/payperiods.js'
import {type CodeInfo, type ColumnRule, type Severity, runColumnRules} from '../rules.js'
import {quoteValue as clip} from '../text/redact.js'

/**
 * Timesheet row checks (TS-*) and timecard edit checks (TC-*) of RULES.md: one table of codes, and pure
 * functions from a row or a card (with its context) to findings. Hours are integer hundredths.
 */
export const TIMESHEET_CODES = {
  'TS-REQUIRED': {severity: 'error', title: 'a required value is empty'},
  'TS-EMPLOYEE': {severity: 'error', title: 'employee_id is not an employee in the store', decidedBy: 'the import and amend, against the store', columns: ['employee_id']},
  'TS-DATE': {severity: 'error', title: 'work_date is not a real date'},
  'TS-TYPE': {severity: 'error', title: 'hour_type is not a known hour type'},
  'TS-HOURS': {severity: 'error', title: 'hours not > 0, ≤ 24, in quarter hours'},
  'TS-ACCOUNT': {severity: 'error', title: 'accounting_code is not 1-20 of A-Z 0-9 - .'},
  'TS-PERIOD': {severity: 'error', title: 'pay_period_start is not the start of the period containing work_date'},
  'TS-DUP-ROW': {severity: 'error', title: 'the same employee, date, hour type and accounting code appear earlier in the file', decidedBy: 'the import and amend, against the file', columns: ['hour_type']},
  'TS-LOCKED': {severity: 'error', title: 'the card is certified or exported (use timecards amend)', decidedBy: 'the import, against the store', columns: ['work_date']},
  'TS-SCOPE': {severity: 'error', title: 'the employee is outside the operator\'s org scope', decidedBy: 'the import, against the store and the operator', columns: ['employee_id']},
} as const satisfies Record<string, CodeInfo>

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
} as const satisfies Record<string, CodeInfo>

export type TimesheetCode = keyof typeof TIMESHEET_CODES
export type TimecardCode = keyof typeof TIMECARD_CODES
export type {Severity}

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

/** The context of the timesheet row rules: the known hour-type codes and the pay-period anchor. */
export interface TimesheetContext {
  hourTypes: ReadonlySet<string>
  anchor?: string
}

/**
 * The timesheet checks of one line that need no store, one entry per rule, in the order findings are
 * reported. The codes the import decides against the store are in TIMESHEET_CODES with `decidedBy`.
 */
export const TIMESHEET_RULES: readonly ColumnRule<TimesheetCode, TimesheetRow, TimesheetContext>[] = [
  {
    code: 'TS-REQUIRED',
    columns: ['employee_id', 'work_date', 'hour_type', 'hours', 'accounting_code'],
    check: (v, c) => (v === '' ? `${c} is required but empty.` : null),
  },
  {
    code: 'TS-DATE',
    columns: ['work_date'],
    check: (v) => (v !== '' && !isRealDate(v) ? `work_date "${clip(v)}" is not a real date written YYYY-MM-DD.` : null),
  },
  {
    code: 'TS-TYPE',
    columns: ['hour_type'],
    check: (v, _c, _row, {hourTypes}) => (v !== '' && !hourTypes.has(v.toUpperCase()) ? `hour_type "${clip(v)}" is not one of ${[...hourTypes].join(', ')}.` : null),
  },
  {
    code: 'TS-HOURS',
    columns: ['hours'],
    check: (v) => (v !== '' && parseQuarterHours(v) === null ? `hours "${clip(v)}" must be more than 0 and at most 24, in quarter hours (0.25 steps).` : null),
  },
  {
    code: 'TS-ACCOUNT',
    columns: ['accounting_code'],
    check: (v) => (v !== '' && !isAccountingCode(v.toUpperCase()) ? `accounting_code "${clip(v)}" must be 1-20 of A-Z, 0-9, "-" and ".".` : null),
  },
  {
    code: 'TS-PERIOD',
    columns: ['pay_period_start'],
    check(v, _c, row, {anchor}) {
      const date = row.work_date ?? ''
      if (v === '' || !isRealDate(date)) return null
      const expected = payPeriodStartOf(date, anchor)
      return v === expected ? null : `pay_period_start "${clip(v)}" is not the start of the pay period containing ${date}, which starts ${expected}.`
    },
  },
]

/** The checks of one timesheet line that need no store (types: the known hour-type codes). */
export function checkTimesheetRow(row: TimesheetRow, hourTypes: ReadonlySet<string>, anchor?: string): RowFinding[] {
  return runColumnRules(TIMESHEET_RULES, row, {hourTypes, anchor})
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

/** One date of a card: hours per hour type (hundredths). */
export interface CardDay {
  date: string
  hours: ReadonlyMap<string, number>
}

/** A card rule looks at each date (`day`) or at the whole pay period (`card`: hours per hour type). */
export type TimecardRule =
  | {code: TimecardCode; scope: 'day'; check: (day: CardDay, ctx: CardContext) => readonly string[]}
  | {code: TimecardCode; scope: 'card'; check: (total: ReadonlyMap<string, number>, ctx: CardContext) => string | null}

// The helpers below run for every date of every card (validate checks a whole pay period at once), so they
// allocate nothing when a rule finds nothing: no spread, no filtered arrays, one shared empty result.
const NONE: readonly string[] = Object.freeze([])
/** Whether the card's employee was hired or separated within its pay period (hire or separation date set). */
const partialPeriod = (ctx: CardContext) => {
  const end = payPeriodEnd(ctx.payPeriodStart)
  return (ctx.hireDate !== null && ctx.hireDate >= ctx.payPeriodStart && ctx.hireDate <= end)
    || (ctx.separationDate !== null && ctx.separationDate >= ctx.payPeriodStart && ctx.separationDate <= end)
}
const sum = (m: ReadonlyMap<string, number>, ...types: string[]) => {
  let s = 0
  for (const t of types) s += m.get(t) ?? 0
  return s
}
const towardTour = (m: ReadonlyMap<string, number>, ctx: CardContext) => {
  let s = 0
  for (const [t, h] of m) if (ctx.towardTour.has(t)) s += h
  return s
}
const one = (message: string | false | null | undefined): readonly string[] => (message ? [message] : NONE)
/** The types of `types` the date has, or NONE when it has none of them. */
const present = (hours: ReadonlyMap<string, number>, types: readonly string[]): readonly string[] => {
  for (const t of types) if (hours.has(t)) return types.filter((u) => hours.has(u))
  return NONE
}

/**
 * The timecard edit checks, one entry per rule: the date rules run for each date in order, then the card
 * rules; findings come in that order.
 */
export const TIMECARD_RULES: readonly TimecardRule[] = [
  {
    code: 'TC-DAY-24',
    scope: 'day',
    check({date, hours}, ctx) {
      const daily = towardTour(hours, ctx) + sum(hours, 'OT', 'CTE')
      return one(daily > 2400 && `${date} has ${fmtHours(daily)} hours (toward tour plus OT and CTE); at most 24 are possible.`)
    },
  },
  {
    code: 'TC-HOLIDAY',
    scope: 'day',
    check: ({date, hours}, ctx) => (ctx.holidays.has(date) ? NONE : present(hours, ['HOL', 'HOLW'])
      .map((t) => `${t} on ${date}, which is not an observed federal holiday or closure day.`)),
  },
  {
    code: 'TC-HOL-REG',
    scope: 'day',
    check({date, hours}, ctx) {
      const holiday = ctx.holidays.get(date)
      return one(holiday && ctx.tour === 'FT' && hours.has('REG') && `REG on ${date} (${holiday}); a full-time employee's holiday is HOL, or HOLW if worked.`)
    },
  },
  {
    code: 'TC-EMPLOYMENT',
    scope: 'day',
    check({date}, ctx) {
      if (ctx.hireDate && date < ctx.hireDate) return [`${date} is before the hire date ${ctx.hireDate}.`]
      return one(ctx.separationDate && date > ctx.separationDate && `${date} is after the separation date ${ctx.separationDate}.`)
    },
  },
  {
    code: 'TC-PREMIUM',
    scope: 'day',
    check({date, hours}) {
      if (!hours.has('ND') && !hours.has('SUN')) return NONE
      const base = sum(hours, 'REG', 'OT', 'HOLW')
      const over = ['ND', 'SUN'].filter((t) => (hours.get(t) ?? 0) > base)
        .map((t) => `${t} ${fmtHours(hours.get(t)!)} hours on ${date} exceed that date's REG + OT + HOLW hours (${fmtHours(base)}).`)
      return [...over, ...one(hours.has('SUN') && dayOfWeek(date) !== 0 && `SUN premium on ${date}, which is not a Sunday.`)]
    },
  },
  {
    code: 'TC-INT-LEAVE',
    scope: 'day',
    check: ({date, hours}, ctx) => (ctx.tour === 'INT' ? present(hours, ['AL', 'SL', 'HOL'])
      .map((t) => `${t} on ${date}: intermittent employees earn no leave or holiday pay.`) : NONE),
  },
  {
    code: 'TC-TOUR',
    scope: 'card',
    check(total, ctx) {
      if (ctx.tour !== 'FT' && ctx.tour !== 'PT') return null
      const toward = towardTour(total, ctx)
      const diff = toward - ctx.scheduledHours
      // Fewer hours are expected in a pay period the employee joined or left partway through.
      if (diff === 0 || (diff < 0 && partialPeriod(ctx))) return null
      return `hours toward the tour total ${fmtHours(toward)}, ${fmtHours(Math.abs(diff))} ${diff > 0 ? 'more' : 'fewer'} than the ${fmtHours(ctx.scheduledHours)} scheduled for the pay period.`
    },
  },
  {
    code: 'TC-LEAVE-AL',
    scope: 'card',
    check: (total, ctx) => (sum(total, 'AL') > ctx.available.annual ? `annual leave ${fmtHours(sum(total, 'AL'))} hours exceeds the ${fmtHours(ctx.available.annual)} hours available.` : null),
  },
  {
    code: 'TC-LEAVE-CT',
    scope: 'card',
    check: (total, ctx) => (sum(total, 'CTU') > ctx.available.compTime ? `comp time used ${fmtHours(sum(total, 'CTU'))} hours exceeds the ${fmtHours(ctx.available.compTime)} hours available.` : null),
  },
  {
    code: 'TC-LEAVE-SL',
    scope: 'card',
    check: (total, ctx) => (sum(total, 'SL') > ctx.available.sick
      ? `sick leave ${fmtHours(sum(total, 'SL'))} hours exceeds the ${fmtHours(ctx.available.sick)} hours available; advanced sick leave needs approval.`
      : null),
  },
]

const DAY_RULES = TIMECARD_RULES.filter((r): r is Extract<TimecardRule, {scope: 'day'}> => r.scope === 'day')
const CARD_RULES = TIMECARD_RULES.filter((r): r is Extract<TimecardRule, {scope: 'card'}> => r.scope === 'card')

/** Every TC-* finding for one card. */
export function checkTimecard(lines: readonly CardLine[], ctx: CardContext): CardFinding[] {
  const out: CardFinding[] = []
  const add = (code: TimecardCode, message: string, workDate?: string) =>
    out.push({code, severity: TIMECARD_CODES[code].severity, message, ...(workDate ? {workDate} : {})})

  const byDate = new Map<string, Map<string, number>>()
  const total = new Map<string, number>()
  // Lines usually come in date order (the key's order), so the dates need no sort.
  let inOrder = true
  let last = ''
  for (const l of lines) {
    let day = byDate.get(l.workDate)
    if (!day) {
      day = new Map<string, number>()
      byDate.set(l.workDate, day)
      if (l.workDate < last) inOrder = false
      last = l.workDate
    }
    day.set(l.hourType, (day.get(l.hourType) ?? 0) + l.hours)
    total.set(l.hourType, (total.get(l.hourType) ?? 0) + l.hours)
  }
  const days = inOrder ? byDate : [...byDate].sort(([a], [b]) => a.localeCompare(b))
  for (const [date, hours] of days) {
    const day = {date, hours}
    for (const rule of DAY_RULES) for (const message of rule.check(day, ctx)) add(rule.code, message, date)
  }
  for (const rule of CARD_RULES) {
    const message = rule.check(total, ctx)
    if (message !== null) add(rule.code, message)
  }
  return out
}

export const isValidPayPeriodStart = (d: string, anchor?: string) => isRealDate(d) && isPayPeriodStart(d, anchor)
