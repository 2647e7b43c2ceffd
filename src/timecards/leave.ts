import {type CivilDate, isLeapYear} from '../calendar/dates.js'
import {isLastPayPeriodOfLeaveYear, payPeriodEnd} from '../calendar/payperiods.js'

/** Leave accrual per pay period (RULES.md "Timecard edit checks"). All hours are integer hundredths (8.25 h = 825). */

export type Tour = 'FT' | 'PT' | 'INT'
export type ServiceBand = 'under3' | '3to15' | '15plus'

/** The date `scd` + `years` years; a February 29 anniversary falls on March 1 in a non-leap year. */
function anniversary(scd: CivilDate, years: number): CivilDate {
  const y = Number(scd.slice(0, 4)) + years
  const md = scd.slice(5)
  const yyyy = String(y).padStart(4, '0')
  return md === '02-29' && !isLeapYear(y) ? `${yyyy}-03-01` : `${yyyy}-${md}`
}

/** Completed years of service from the service computation date to `asOf` (negative when asOf is before it). */
function completedYears(scd: CivilDate, asOf: CivilDate): number {
  const years = Number(asOf.slice(0, 4)) - Number(scd.slice(0, 4))
  return anniversary(scd, years) <= asOf ? years : years - 1
}

/** The service band on `asOf` (the pay period's end): the 3rd and 15th anniversaries open the next band. */
export function serviceBand(serviceCompDate: CivilDate, asOf: CivilDate): ServiceBand {
  const years = completedYears(serviceCompDate, asOf)
  return years < 3 ? 'under3' : years < 15 ? '3to15' : '15plus'
}

export interface AccrualInput {
  tour: Tour
  serviceCompDate: CivilDate | null
  payPeriodStart: CivilDate
  /** Hours counting toward tour other than LWOP and AWOL, in hundredths. */
  hoursInPayStatus: number
  anchor?: CivilDate
}

const FT_ANNUAL: Record<ServiceBand, number> = {under3: 400, '3to15': 600, '15plus': 800}
const FT_ANNUAL_LAST_PERIOD_6H_BAND = 1000
/** PT: 1 hour per this many hours in pay status. */
const PT_ANNUAL_DIVISOR: Record<ServiceBand, number> = {under3: 20, '3to15': 13, '15plus': 10}
const FT_SICK = 400
const PT_SICK_DIVISOR = 20

/** Hundredths of an hour earned at 1 h per `divisor` h in pay status, rounded down to the hundredth. */
function prorated(hoursInPayStatus: number, divisor: number): number {
  return Math.max(0, Math.floor(hoursInPayStatus / divisor))
}

export function annualLeaveAccrual(i: AccrualInput): number {
  if (i.tour === 'INT' || i.serviceCompDate === null) return 0
  const band = serviceBand(i.serviceCompDate, payPeriodEnd(i.payPeriodStart))
  if (i.tour === 'PT') return prorated(i.hoursInPayStatus, PT_ANNUAL_DIVISOR[band])
  if (band === '3to15' && isLastPayPeriodOfLeaveYear(i.payPeriodStart, i.anchor)) return FT_ANNUAL_LAST_PERIOD_6H_BAND
  return FT_ANNUAL[band]
}

export function sickLeaveAccrual(i: AccrualInput): number {
  if (i.tour === 'FT') return FT_SICK
  if (i.tour === 'PT') return prorated(i.hoursInPayStatus, PT_SICK_DIVISOR)
  return 0
}
