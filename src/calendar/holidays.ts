import {type CivilDate, addDays, dayOfWeek, daysInMonth} from './dates.js'

export interface Holiday {
  name: string
  /** The actual date of the holiday. */
  date: CivilDate
  /** The date it is observed: Saturday → the Friday before, Sunday → the Monday after. */
  observed: CivilDate
}

const MONDAY = 1
const THURSDAY = 4

function ymd(year: number, month: number, day: number): CivilDate {
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`
}

/** The nth (1-based) given weekday of a month. */
function nthWeekday(year: number, month: number, weekday: number, n: number): CivilDate {
  const first = ymd(year, month, 1)
  return addDays(first, ((weekday - dayOfWeek(first) + 7) % 7) + 7 * (n - 1))
}

function lastWeekday(year: number, month: number, weekday: number): CivilDate {
  const last = ymd(year, month, daysInMonth(year, month))
  return addDays(last, -((dayOfWeek(last) - weekday + 7) % 7))
}

function observedOf(date: CivilDate): CivilDate {
  const dow = dayOfWeek(date)
  return dow === 6 ? addDays(date, -1) : dow === 0 ? addDays(date, 1) : date
}

const cache = new Map<number, readonly Holiday[]>()

function holidaysOf(year: number): readonly Holiday[] {
  let list = cache.get(year)
  if (!list) {
    const actual: [string, CivilDate][] = [
      ["New Year's Day", ymd(year, 1, 1)],
      ['Birthday of Martin Luther King, Jr.', nthWeekday(year, 1, MONDAY, 3)],
      ["Washington's Birthday", nthWeekday(year, 2, MONDAY, 3)],
      ['Memorial Day', lastWeekday(year, 5, MONDAY)],
      ...(year >= 2021 ? [['Juneteenth National Independence Day', ymd(year, 6, 19)] as [string, CivilDate]] : []),
      ['Independence Day', ymd(year, 7, 4)],
      ['Labor Day', nthWeekday(year, 9, MONDAY, 1)],
      ['Columbus Day', nthWeekday(year, 10, MONDAY, 2)],
      ['Veterans Day', ymd(year, 11, 11)],
      ['Thanksgiving Day', nthWeekday(year, 11, THURSDAY, 4)],
      ['Christmas Day', ymd(year, 12, 25)],
    ]
    list = Object.freeze(actual.map(([name, date]) => Object.freeze({name, date, observed: observedOf(date)})))
    cache.set(year, list)
  }
  return list
}

/** The legal public holidays of 5 U.S.C. 6103 for `year` (Juneteenth from 2021), in calendar order. */
export function federalHolidays(year: number): Holiday[] {
  return holidaysOf(year).map((h) => ({...h}))
}

/**
 * Observed date → holiday name for every observed holiday in [from, to], in date order. Includes observed
 * dates that fall in another year than the holiday (New Year's Day 2022 was observed 2021-12-31).
 */
export function observedHolidaysBetween(from: CivilDate, to: CivilDate): Map<CivilDate, string> {
  const out = new Map<CivilDate, string>()
  if (to < from) return out
  // A holiday of year Y can be observed in Y - 1 (January 1 on a Saturday), never in Y + 1.
  const last = Number(to.slice(0, 4)) + 1
  for (let y = Number(from.slice(0, 4)); y <= last; y++) {
    for (const h of holidaysOf(y)) if (h.observed >= from && h.observed <= to) out.set(h.observed, h.name)
  }
  return out
}

export function isObservedHoliday(date: CivilDate): boolean {
  const year = Number(date.slice(0, 4))
  return holidaysOf(year).some((h) => h.observed === date) || holidaysOf(year + 1).some((h) => h.observed === date)
}
