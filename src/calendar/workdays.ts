import {type CivilDate, addDays, dayOfWeek} from './dates.js'
import {isObservedHoliday} from './holidays.js'

/** Monday–Friday, not an observed federal holiday and not an added closure day. */
export function isWorkingDay(date: CivilDate, closures: ReadonlySet<CivilDate> = new Set()): boolean {
  const dow = dayOfWeek(date)
  return dow >= 1 && dow <= 5 && !isObservedHoliday(date) && !closures.has(date)
}

/**
 * The nth working day counting from the first working day after `received` (day 1). n must be an integer >= 1.
 */
export function addWorkingDays(received: CivilDate, n: number, closures: ReadonlySet<CivilDate> = new Set()): CivilDate {
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`addWorkingDays: n must be an integer >= 1, got ${n}`)
  let d = received
  for (let count = 0; count < n; ) {
    d = addDays(d, 1)
    if (isWorkingDay(d, closures)) count++
  }
  return d
}

/** The number of working days in (from, to]; 0 when to <= from. */
export function workingDaysBetween(from: CivilDate, to: CivilDate, closures: ReadonlySet<CivilDate> = new Set()): number {
  let count = 0
  for (let d = addDays(from, 1); d <= to; d = addDays(d, 1)) if (isWorkingDay(d, closures)) count++
  return count
}
