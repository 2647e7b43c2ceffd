import {sql} from 'kysely'

import type {Store} from '../store/index.js'
import {appendEmployeeHistory} from './history.js'
import type {PersonnelImportData} from './import.js'
import {employeeColumnsWithoutSsn, employeeOrgOnServer, readsSsn, ssnIsOnServer, ssnTakenOnServer} from '../records/ssn-postgres.js'

type Stored = Record<string, string | number | null>

/**
 * PostgreSQL engine file: the personnel import's data side, one statement per question, inside the
 * import's transaction. The rows the file has shown are kept in a temporary table dropped at commit.
 */
export function postgresPersonnelData(store: Store, cols: readonly string[]): PersonnelImportData {
  const {db} = store
  let ready: Promise<unknown> | undefined
  const seenTable = () => (ready ??= sql`CREATE TEMP TABLE import_seen (key text PRIMARY KEY) ON COMMIT DROP`.execute(db))
  const columns = (params: Stored, names: readonly string[]) => Object.fromEntries(names.map((c) => [c, params[c] ?? null]))
  return {
    async firstSighting(id) {
      await seenTable()
      const {rows} = await sql`INSERT INTO import_seen (key) VALUES (${id}) ON CONFLICT DO NOTHING RETURNING key`.execute(db)
      return rows.length > 0
    },
    async stored(id, ssn) {
      if (await readsSsn(store)) return (await db.selectFrom('employees').selectAll().where('employee_id', '=', id).executeTakeFirst()) as Stored | undefined
      // The login may not read SSNs: the row without it, and for the history's before-and-after the server says
      // whether the stored SSN is the file's (then it is the file's), else gives its last four digits.
      const row = (await db.selectFrom('employees').select(employeeColumnsWithoutSsn()).where('employee_id', '=', id).executeTakeFirst()) as Stored | undefined
      if (!row) {
        // Outside the login's org scope the server shows no row; the import still refuses it (PE-SCOPE).
        const org = await employeeOrgOnServer(store, id)
        return org === null ? undefined : {employee_id: id, org_code: org}
      }
      const {ssn_last4: last4, ...stored} = row
      const same = ssn !== undefined && (await ssnIsOnServer(store, Number(stored.id), ssn))
      return {...stored, ssn: same ? ssn : last4 === null ? null : `*****${last4}`}
    },
    ssnTaken: (ssn, id) => ssnTakenOnServer(store, ssn, id),
    exists: async (id) => (await employeeOrgOnServer(store, id)) !== null,
    async insert(params) {
      const values = columns(params, ['employee_id', ...cols, 'name_key', 'created_at', 'updated_at', 'last_batch_id'])
      const {id} = await db.insertInto('employees').values(values as never).returning('id').executeTakeFirstOrThrow()
      return id
    },
    async update(params) {
      await db.updateTable('employees').set(columns(params, [...cols, 'name_key', 'updated_at', 'last_batch_id']) as never).where('id', '=', Number(params.id)).execute()
    },
    history: (entry) => appendEmployeeHistory(store, entry),
  }
}
