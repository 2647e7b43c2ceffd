import {type Selectable, type Updateable, sql} from 'kysely'

import type {Store} from '../store/index.js'
import type {EmployeeTable} from '../store/schema.js'
import {employeeColumnsWithoutSsn, readsSsn, ssnTakenOnServer} from '../records/ssn-postgres.js'

/** The employees table, for the personnel use cases (the import's prepared statements are in import.ts). */

/**
 * An employee row. On PostgreSQL a login that may not read SSNs gets `ssn_cipher` and `ssn_hash` null; every
 * login reads `ssn_last4` (the masked form).
 */
export type EmployeeRow = Selectable<EmployeeTable>

/** SELECT … FROM employees: every column, or every column but the SSN when the login may not read it. */
async function selectEmployees(store: Store) {
  const q = store.db.selectFrom('employees')
  if (await readsSsn(store)) return q.selectAll()
  return q.select(employeeColumnsWithoutSsn()) as unknown as ReturnType<typeof q.selectAll>
}

export async function employeeById(store: Store, employeeId: string): Promise<EmployeeRow | undefined> {
  return (await selectEmployees(store)).where('employee_id', '=', employeeId).executeTakeFirst()
}

export interface EmployeeQuery {
  /** Every prefix must match the org code (the operator's scope, the --org filter). */
  orgPrefixes: readonly string[]
  status?: 'active' | 'separated'
  asOf: string
}

export async function employeeRows(store: Store, query: EmployeeQuery): Promise<EmployeeRow[]> {
  let q = (await selectEmployees(store)).orderBy('employee_id')
  // Prefix compares, not LIKE: a prefix is taken literally, whatever characters or length it has.
  for (const prefix of query.orgPrefixes) q = q.where(sql<string>`substr(org_code, 1, ${prefix.length})`, '=', prefix)
  if (query.status === 'separated') q = q.where('separation_date', 'is not', null).where('separation_date', '<=', query.asOf)
  if (query.status === 'active') q = q.where((eb) => eb.or([eb('separation_date', 'is', null), eb('separation_date', '>', query.asOf)]))
  return q.execute()
}

export async function updateEmployee(store: Store, id: number, values: Updateable<EmployeeTable>): Promise<void> {
  await store.db.updateTable('employees').set(values).where('id', '=', id).execute()
}

/** Whether another employee than `id` (employee_id `employeeId`) has the SSN of this keyed hash (store/ssn-vault.ts). */
export async function ssnTakenByOther(store: Store, ssnHash: string, id: number, employeeId: string): Promise<boolean> {
  if (store.engine === 'postgres') return ssnTakenOnServer(store, ssnHash, employeeId)
  const row = await store.db.selectFrom('employees').select('id').where('ssn_hash', '=', ssnHash).where('id', '<>', id).executeTakeFirst()
  return row !== undefined
}

/** How access search retrieves employees (the system's retrieval keys; an SSN by its keyed hash). */
export type EmployeeKey = 'employee_id' | 'ssn_hash' | 'email' | 'name_key'

/** Employees whose key is one of the values (emails compare without case), by employee_id. */
export async function employeesBy(store: Store, key: EmployeeKey, values: readonly string[]) {
  if (values.length === 0) return []
  // Emails compare in ASCII lower case on both engines (SQLite's NOCASE folds ASCII only, too).
  const [column, wanted] = key === 'email' ? [sql<string>`lower(email)`, values.map((v) => v.toLowerCase())] : [sql.ref<string>(key), values]
  return store.db.selectFrom('employees').select(['employee_id', 'last_name', 'first_name', 'org_code', 'email'])
    .where(column, 'in', wanted).orderBy('employee_id').execute()
}
