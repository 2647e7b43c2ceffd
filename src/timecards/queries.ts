import type {Insertable, Selectable, Updateable} from 'kysely'

import type {Store} from '../store/index.js'
import type {TimecardLineTable, TimecardTable} from '../store/schema.js'

/**
 * The timecards, timecard_lines and hour_types tables, for the time-and-attendance use cases. The hot paths
 * (the timesheet import, validate) have their own statements in import.ts and validate-sqlite.ts;
 * timecard_history is written only through history.ts.
 */

export type CardRow = Selectable<TimecardTable>
export type CardStatus = TimecardTable['status']

export async function hourTypeCodes(store: Store): Promise<Set<string>> {
  return new Set((await store.db.selectFrom('hour_types').select('code').execute()).map((r) => r.code))
}

/** The current card (or the given version) of an employee (employees.id) in a pay period. */
export async function cardOf(store: Store, employeeRef: number, payPeriod: string, version?: number): Promise<CardRow | undefined> {
  let q = store.db.selectFrom('timecards').selectAll().where('employee_ref', '=', employeeRef).where('pay_period_start', '=', payPeriod)
  q = version === undefined ? q.where('is_current', '=', 1) : q.where('version', '=', version)
  return q.executeTakeFirst()
}

export async function updateCard(store: Store, id: number, values: Updateable<TimecardTable>): Promise<void> {
  await store.db.updateTable('timecards').set(values).where('id', '=', id).execute()
}

export async function insertCard(store: Store, card: Insertable<TimecardTable>): Promise<number> {
  const {id} = await store.db.insertInto('timecards').values(card).returning('id').executeTakeFirstOrThrow()
  return id
}

/** A card's lines in the order people read them: date, hour type, accounting code. */
export async function linesOfCard(store: Store, timecardId: number) {
  return store.db.selectFrom('timecard_lines').select(['work_date', 'hour_type', 'hours', 'accounting_code'])
    .where('timecard_id', '=', timecardId).orderBy('work_date').orderBy('hour_type').orderBy('accounting_code').execute()
}

export async function insertLines(store: Store, lines: Insertable<TimecardLineTable>[]): Promise<void> {
  if (lines.length > 0) await store.db.insertInto('timecard_lines').values(lines).execute()
}

export interface CardListQuery {
  payPeriod?: string
  status?: CardStatus
  orgPrefix?: string | null
}

/** Current cards with their total hours (hundredths), by pay period and employee. */
export async function cardSummaries(store: Store, query: CardListQuery) {
  let q = store.db.selectFrom('timecards as c').innerJoin('employees as e', 'e.id', 'c.employee_ref')
    .leftJoin('timecard_lines as l', 'l.timecard_id', 'c.id')
    .select((eb) => ['e.employee_id', 'c.pay_period_start', 'c.version', 'c.status', eb.fn.coalesce(eb.fn.sum<number>('l.hours'), eb.lit(0)).as('total')])
    .where('c.is_current', '=', 1).groupBy(['c.id', 'e.employee_id']).orderBy('c.pay_period_start').orderBy('e.employee_id')
  if (query.payPeriod) q = q.where('c.pay_period_start', '=', query.payPeriod)
  if (query.status) q = q.where('c.status', '=', query.status)
  if (query.orgPrefix) q = q.where('e.org_code', 'like', `${query.orgPrefix}%`)
  return q.execute()
}

/** Every history entry of every version of an employee's card in a pay period, oldest first. */
export async function historyOfCard(store: Store, employeeRef: number, payPeriod: string) {
  return store.db.selectFrom('timecard_history as h').innerJoin('timecards as c', 'c.id', 'h.timecard_id')
    .select(['h.at', 'h.actor', 'h.action', 'h.version', 'h.changes', 'h.reason'])
    .where('c.employee_ref', '=', employeeRef).where('c.pay_period_start', '=', payPeriod).orderBy('h.id').execute()
}

/** A card version by its id (a timecard record's id on the command line). */
export async function cardById(store: Store, id: number): Promise<CardRow | undefined> {
  return store.db.selectFrom('timecards').selectAll().where('id', '=', id).executeTakeFirst()
}
