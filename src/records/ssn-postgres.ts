import {sql} from 'kysely'

import type {Store} from '../store/index.js'
import {tableColumns} from '../store/schema.js'

/**
 * PostgreSQL engine file: how custodian reads employees and their SSNs on a server that enforces custodian's roles
 * (store/postgres-security.ts). Only admin, payroll and privacy-officer may read employees.ssn_cipher and
 * ssn_hash (store/ssn-vault.ts); for everyone else the rows are read without them (ssn_last4, for the masked
 * `***-**-1234`, is theirs to read), and the duplicate checks are the server's custodian_ssn_taken and
 * custodian_ssn_is, given the keyed hash of the SSN.
 */

const canRead = new WeakMap<Store, Promise<boolean>>()

/** Whether the store's login may read employees.ssn (always on SQLite: a one-account file). */
export function readsSsn(store: Store): Promise<boolean> {
  if (store.engine === 'sqlite') return Promise.resolve(true)
  let known = canRead.get(store)
  if (!known) {
    known = sql<{ok: boolean}>`SELECT has_column_privilege('employees', 'ssn_cipher', 'SELECT') AS ok`.execute(store.db).then((r) => r.rows[0].ok)
    canRead.set(store, known)
  }
  return known
}

/** The employees columns only the logins that may read SSNs read. */
export const SEALED_SSN_COLUMNS = ['ssn_cipher', 'ssn_hash'] as const

/** Every employees column but the sealed SSN and its keyed hash (ssn_last4 is among them). */
export const EMPLOYEE_COLUMNS_BUT_SSN = (Object.keys(tableColumns.employees) as (keyof typeof tableColumns.employees)[])
  .filter((c) => !(SEALED_SSN_COLUMNS as readonly string[]).includes(c))

/** The select list of an employee row for a login that may not read SSNs: ssn_cipher and ssn_hash NULL. */
export const employeeColumnsWithoutSsn = () => [
  ...EMPLOYEE_COLUMNS_BUT_SSN,
  sql<null>`NULL::text`.as('ssn_cipher'),
  sql<null>`NULL::text`.as('ssn_hash'),
] as const

/** Whether another employee than employee_id has the SSN of this keyed hash, in any org (PE-SSN-DUP). */
export async function ssnTakenOnServer(store: Store, ssnHash: string, employeeId: string): Promise<boolean> {
  const {rows} = await sql<{taken: boolean}>`SELECT custodian_ssn_taken(${ssnHash}, ${employeeId}) AS taken`.execute(store.db)
  return rows[0].taken === true
}

/** Whether the stored employee `id` (in the login's scope) has the SSN of this keyed hash (null: none), without reading it. */
export async function ssnIsOnServer(store: Store, id: number, ssnHash: string | null): Promise<boolean> {
  const {rows} = await sql<{same: boolean | null}>`SELECT custodian_ssn_is(${id}, ${ssnHash}) AS same`.execute(store.db)
  return rows[0]?.same === true
}

/** The org of an employee in any org (null: no such employee), for PE-SCOPE and supervisor look-ups. */
export async function employeeOrgOnServer(store: Store, employeeId: string): Promise<string | null> {
  const {rows} = await sql<{org: string | null}>`SELECT custodian_employee_org(${employeeId}) AS org`.execute(store.db)
  return rows[0]?.org ?? null
}
