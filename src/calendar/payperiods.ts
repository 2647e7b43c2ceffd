import {type CivilDate, addDays, toDayNumber} from './dates.js'

/** A Sunday: the start of pay period 2026-01 (RULES.md "Calendar"). The store may configure another anchor. */
export const DEFAULT_ANCHOR = '2026-01-11'

const PERIOD_DAYS = 14

export interface PayPeriod {
  start: CivilDate
  end: CivilDate
  /** 'YYYY-NN' */
  number: string
}

/** The start of the 14-day pay period containing `date` (before the anchor too). */
export function payPeriodStartOf(date: CivilDate, anchor: CivilDate = DEFAULT_ANCHOR): CivilDate {
  const diff = toDayNumber(date) - toDayNumber(anchor)
  const offset = ((diff % PERIOD_DAYS) + PERIOD_DAYS) % PERIOD_DAYS
  return addDays(date, -offset)
}

export function isPayPeriodStart(date: CivilDate, anchor: CivilDate = DEFAULT_ANCHOR): boolean {
  return payPeriodStartOf(date, anchor) === date
}

/** The last day of the pay period starting `start` (start + 13). */
/** The last pay period's end asked for: a hot path (leave accrual, once per card exported) asks for one period's. */
let lastEnd = {start: '', end: ''}

export function payPeriodEnd(start: CivilDate): CivilDate {
  if (lastEnd.start !== start) lastEnd = {start, end: addDays(start, PERIOD_DAYS - 1)}
  return lastEnd.end
}

export function nextPayPeriodStart(start: CivilDate): CivilDate {
  return addDays(start, PERIOD_DAYS)
}

/** The start of pay period 01 of `year`: the first period starting on or after January 1. */
function firstStartOfYear(year: number, anchor: CivilDate): CivilDate {
  const jan1 = `${String(year).padStart(4, '0')}-01-01`
  const s = payPeriodStartOf(jan1, anchor)
  return s < jan1 ? addDays(s, PERIOD_DAYS) : s
}

/**
 * 'YYYY-NN': YYYY is the year of the period's start, NN counts the periods starting in that year from 01.
 * A date that is not a period start is numbered as the period containing it.
 */
export function payPeriodNumber(start: CivilDate, anchor: CivilDate = DEFAULT_ANCHOR): string {
  const s = payPeriodStartOf(start, anchor)
  const year = Number(s.slice(0, 4))
  const n = (toDayNumber(s) - toDayNumber(firstStartOfYear(year, anchor))) / PERIOD_DAYS + 1
  return `${s.slice(0, 4)}-${String(n).padStart(2, '0')}`
}

/** The pay period containing `date`. */
export function payPeriod(date: CivilDate, anchor: CivilDate = DEFAULT_ANCHOR): PayPeriod {
  const start = payPeriodStartOf(date, anchor)
  return {start, end: payPeriodEnd(start), number: payPeriodNumber(start, anchor)}
}

/** Every pay period starting in `year` (26, sometimes 27), in order. */
export function payPeriodsOfYear(year: number, anchor: CivilDate = DEFAULT_ANCHOR): PayPeriod[] {
  const periods: PayPeriod[] = []
  const prefix = String(year).padStart(4, '0')
  let n = 1
  for (let s = firstStartOfYear(year, anchor); s.startsWith(prefix); s = nextPayPeriodStart(s), n++) {
    periods.push({start: s, end: payPeriodEnd(s), number: `${prefix}-${String(n).padStart(2, '0')}`})
  }
  return periods
}

/** True when the next pay period is number 01 of the next year (the leave year's last period). */
/** The last answer of isLastPayPeriodOfLeaveYear (asked once per card exported, for one pay period). */
let lastOfYear = {start: '', anchor: '', last: false}

export function isLastPayPeriodOfLeaveYear(start: CivilDate, anchor: CivilDate = DEFAULT_ANCHOR): boolean {
  if (lastOfYear.start !== start || lastOfYear.anchor !== anchor) {
    const s = payPeriodStartOf(start, anchor)
    lastOfYear = {start, anchor, last: nextPayPeriodStart(s).slice(0, 4) !== s.slice(0, 4)}
  }
  return lastOfYear.last
}

/** The 14 dates of the pay period starting `start`. */
export function datesOf(start: CivilDate): CivilDate[] {
  return Array.from({length: PERIOD_DAYS}, (_, i) => addDays(start, i))
}
