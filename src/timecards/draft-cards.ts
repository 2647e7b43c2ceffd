/** The draft cards `timecards validate` checks: the query both engines read them with (and the SQLite validate's worker thread). */

/** Which draft cards: a pay period's, an employee's, those in an operator's scope (org prefix). */
export interface DraftFilter {
  payPeriod?: string
  employeeId?: string
  orgPrefix?: string | null
}

/** draftCardsQuery's columns: a DraftCard's fields, in DraftCardRow's order. */
const DRAFT_COLUMNS = `c.id, c.employee_ref, e.employee_id, c.pay_period_start, c.version, e.org_code, e.tour_of_duty,
    e.scheduled_hours, e.hire_date, e.separation_date, e.annual_leave_balance, e.sick_leave_balance, e.comp_time_balance`

/** The draft cards' query, for both engines: current drafts, in pay period and employee order. */
export function draftCardsQuery(filter: DraftFilter, param: (i: number) => string, collate = '', columns = DRAFT_COLUMNS): {text: string; params: string[]} {
  const where: string[] = ['c.is_current = 1', "c.status = 'draft'"]
  const params: string[] = []
  const add = (clause: (p: string) => string, value: string) => {
    params.push(value)
    where.push(clause(param(params.length)))
  }
  if (filter.payPeriod) add((p) => `c.pay_period_start = ${p}`, filter.payPeriod)
  if (filter.employeeId) add((p) => `e.employee_id = ${p}`, filter.employeeId)
  if (filter.orgPrefix) add((p) => `e.org_code LIKE ${p} || '%'`, filter.orgPrefix)
  return {
    text: `SELECT ${columns} FROM timecards c JOIN employees e ON e.id = c.employee_ref WHERE ${where.join(' AND ')} ORDER BY c.pay_period_start, e.employee_id${collate}`,
    params,
  }
}

export interface DraftCard {
  id: number
  employee_ref: number
  employee_id: string
  pay_period_start: string
  version: number
  org_code: string
  tour_of_duty: 'FT' | 'PT' | 'INT'
  scheduled_hours: number
  hire_date: string | null
  separation_date: string | null
  annual_leave_balance: number
  sick_leave_balance: number
  comp_time_balance: number
}

/** A row of draftCardsQuery, in its column order (DraftCard's fields). */
export type DraftCardRow = [number, number, string, string, number, string, DraftCard['tour_of_duty'], number, string | null, string | null, number, number, number]
