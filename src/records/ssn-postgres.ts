import {sql} from 'kysely'

import type {Store} from '../store/index.js'
import {tableColumns} from '../store/schema.js'

/**
 * PostgreSQL engine file: how custodian reads employees and their SSNs on a server that enforces custodian's roles
 * (store/postgres-security.ts). Only admin, payroll and privacy-officer may read employees.ssn; for everyone
 * else the rows are read without it, with the last four digits (for the masked `***-**-1234`) from the server's
 * custodian_ssn_last4, and the duplicate check is the server's custodian_ssn_taken.
 */

const canRead = new WeakMap<Store, Promise<boolean>>()

/** Whether the store's login may read employees.ssn (always on SQLite: a one-account file). */
export function readsSsn(store: Store): Promise<boolean> {
  if (store.engine === 'sqlite') return Promise.resolve(true)
  let known = canRead.get(store)
  if (!known) {
    known = sql<{ok: boolean}>`SELECT has_column_privilege('employees', 'ssn', 'SELECT') AS ok`.execute(store.db).then((r) => r.rows[0].ok)
    canRead.set(store, known)
  }
  return known
}

/** Every employees column but ssn. */
export const EMPLOYEE_COLUMNS_BUT_SSN = (Object.keys(tableColumns.employees) as (keyof typeof tableColumns.employees)[]).filter((c) => c !== 'ssn')

/** The select list of an employee row for a login that may not read SSNs: ssn NULL, ssn_last4 from the server. */
export const employeeColumnsWithoutSsn = () => [
  ...EMPLOYEE_COLUMNS_BUT_SSN,
  sql<null>`NULL::text`.as('ssn'),
  sql<string | null>`custodian_ssn_last4(id)`.as('ssn_last4'),
] as const

/** Whether another employee than employee_id has this SSN, in any org (PE-SSN-DUP). */
export async function ssnTakenOnServer(store: Store, ssn: string, employeeId: string): Promise<boolean> {
  const {rows} = await sql<{taken: boolean}>`SELECT custodian_ssn_taken(${ssn}, ${employeeId}) AS taken`.execute(store.db)
  return rows[0].taken === true
}

/** Whether the stored employee `id` (in the login's scope) has this SSN (null: none), without reading it. */
export async function ssnIsOnServer(store: Store, id: number, ssn: string | null): Promise<boolean> {
  const {rows} = await sql<{same: boolean | null}>`SELECT custodian_ssn_is(${id}, ${ssn}) AS same`.execute(store.db)
  return rows[0]?.same === true
}

/** The org of an employee in any org (null: no such employee), for PE-SCOPE and supervisor look-ups. */
export async function employeeOrgOnServer(store: Store, employeeId: string): Promise<string | null> {
  const {rows} = await sql<{org: string | null}>`SELECT custodian_employee_org(${employeeId}) AS org`.execute(store.db)
  return rows[0]?.org ?? null
}
