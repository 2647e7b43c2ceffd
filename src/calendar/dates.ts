import {usage} from '../errors.js'

/**
 * Civil dates are 'YYYY-MM-DD' strings; arithmetic goes through a day number (days since 1970-01-01),
 * never through local-time Date objects. 'YYYY-MM-DD' strings compare correctly as strings.
 */
export type CivilDate = string

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/

export function isLeapYear(y: number): boolean {
  return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0
}

export function daysInMonth(y: number, m: number): number {
  return [31, isLeapYear(y) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][m - 1]
}

/** A real calendar date written exactly as YYYY-MM-DD (1900–2999). */
export function isRealDate(s: string): boolean {
  const m = DATE.exec(s)
  if (!m) return false
  const y = Number(m[1])
  const mo = Number(m[2])
  const d = Number(m[3])
  return y >= 1900 && y <= 2999 && mo >= 1 && mo <= 12 && d >= 1 && d <= daysInMonth(y, mo)
}

export function toDayNumber(s: CivilDate): number {
  return Math.round(Date.UTC(Number(s.slice(0, 4)), Number(s.slice(5, 7)) - 1, Number(s.slice(8, 10))) / 86_400_000)
}

export function fromDayNumber(n: number): CivilDate {
  return new Date(n * 86_400_000).toISOString().slice(0, 10)
}

export function addDays(s: CivilDate, days: number): CivilDate {
  return fromDayNumber(toDayNumber(s) + days)
}

/**
 * The same day of the month `months` later (earlier when negative); a day the target month lacks becomes its
 * last day: 2023-08-31 + 6 months = 2024-02-29, 2024-02-29 + 12 months = 2025-02-28.
 */
export function addMonths(s: CivilDate, months: number): CivilDate {
  const index = Number(s.slice(0, 4)) * 12 + (Number(s.slice(5, 7)) - 1) + months
  const y = Math.floor(index / 12)
  const m = index - y * 12 + 1
  const d = Math.min(Number(s.slice(8, 10)), daysInMonth(y, m))
  return `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`
}

/** 0 = Sunday … 6 = Saturday. */
export function dayOfWeek(s: CivilDate): number {
  return (((toDayNumber(s) + 4) % 7) + 7) % 7
}

export function todayUtc(now = new Date()): CivilDate {
  return now.toISOString().slice(0, 10)
}

/** Validates a date flag, or throws a usage error naming the flag. */
export function parseDateFlag(flag: string, value: string): CivilDate {
  const v = value.trim()
  if (!isRealDate(v)) throw usage(`--${flag} "${value}" is not a real date; write it as YYYY-MM-DD.`)
  return v
}

/** A flag that takes a civil date, or an ISO-8601 UTC timestamp as the audit log writes them (2026-11-23T14:05:00Z). */
export function parseDateOrTimestampFlag(flag: string, value: string): string {
  const v = value.trim()
  const stamp = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})?$/i.exec(v)
  if (!stamp) return parseDateFlag(flag, v)
  const [, date, hh, mm, ss = '00', frac = '', zone = 'Z'] = stamp
  parseDateFlag(flag, date!)
  if (Number(hh) > 23 || Number(mm) > 59 || Number(ss) > 59) throw usage(`--${flag} "${v}" is not a real time of day.`)
  // Normalised to the stored form (UTC, milliseconds), so that text comparison is time order.
  const offset = zone.toUpperCase() === 'Z' ? 'Z' : zone.includes(':') ? zone : `${zone.slice(0, 3)}:${zone.slice(3)}`
  return new Date(`${date}T${hh}:${mm}:${ss}${frac.slice(0, 4)}${offset}`).toISOString()
}

/** --as-of or today (UTC). */
export function asOfDate(value: string | undefined): CivilDate {
  return value === undefined ? todayUtc() : parseDateFlag('as-of', value)
}
