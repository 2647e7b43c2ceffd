import {sql} from 'kysely'

import type {Store} from '../store/index.js'
import {appendEmployeeHistory} from './history.js'
import type {PersonnelImportData} from './import.js'

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
    stored: async (id) => (await db.selectFrom('employees').selectAll().where('employee_id', '=', id).executeTakeFirst()) as Stored | undefined,
    ssnTaken: async (ssn, id) => (await db.selectFrom('employees').select('id').where('ssn', '=', ssn).where('employee_id', '<>', id).executeTakeFirst()) !== undefined,
    exists: async (id) => (await db.selectFrom('employees').select('id').where('employee_id', '=', id).executeTakeFirst()) !== undefined,
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
