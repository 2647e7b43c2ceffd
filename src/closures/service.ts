import {type Operator, authorize} from '../auth/roles.js'
import {appendAudit} from '../audit/chain.js'
import {conflict, notFound, usage} from '../errors.js'
import {type Store, getSetting, inTransaction} from '../store/index.js'
import {isRealDate} from '../calendar/dates.js'
import {federalHolidays} from '../calendar/holidays.js'
import {type PayPeriod, payPeriodsOfYear} from '../calendar/payperiods.js'
import {allClosures, closuresOfYear, deleteClosure, insertClosure, isClosure} from './queries.js'

export interface CalendarYear {
  year: number
  payPeriods: PayPeriod[]
  holidays: {name: string; date: string; observed: string}[]
  closures: {date: string; reason: string}[]
}

export async function calendarYear(store: Store, operator: Operator, year: number): Promise<CalendarYear> {
  authorize(operator, 'calendar.show')
  if (!Number.isInteger(year) || year < 1900 || year > 2999) throw usage(`--year ${year} is not a year between 1900 and 2999.`)
  const anchor = (await getSetting(store, 'payperiod.anchor')) ?? undefined
  const closures = await closuresOfYear(store, year)
  return {year, payPeriods: payPeriodsOfYear(year, anchor), holidays: federalHolidays(year), closures}
}

export async function addClosure(store: Store, operator: Operator, date: string, reason: string): Promise<{date: string; reason: string}> {
  authorize(operator, 'calendar.manage')
  if (!isRealDate(date)) throw usage(`"${date}" is not a real date; write it as YYYY-MM-DD.`)
  if (reason.trim() === '') throw usage('--reason must say why the agency is closed (e.g. the executive order).')
  return inTransaction(store, async () => {
    if (await isClosure(store, date)) throw conflict('CLOSURE_EXISTS', `${date} is already a closure day.`)
    await insertClosure(store, {date, reason: reason.trim(), added_by: operator.name, added_at: new Date().toISOString()})
    await appendAudit(store, operator.name, {action: 'calendar.close', recordType: 'closure_day', recordId: date})
    return {date, reason: reason.trim()}
  })
}

export async function removeClosure(store: Store, operator: Operator, date: string): Promise<{date: string}> {
  authorize(operator, 'calendar.manage')
  return inTransaction(store, async () => {
    if (!(await deleteClosure(store, date))) throw notFound('CLOSURE_NOT_FOUND', `${date} is not a closure day.`)
    await appendAudit(store, operator.name, {action: 'calendar.reopen', recordType: 'closure_day', recordId: date})
    return {date}
  })
}

/** The store's added closure days (date → reason): working-day arithmetic counts them as holidays. */
export async function closureDays(store: Store): Promise<Map<string, string>> {
  const rows = await allClosures(store)
  return new Map(rows.map((r) => [r.date, r.reason]))
}
