import type {Selectable} from 'kysely'

import type {Store} from '../store/index.js'
import type {RoutineUseTable, SystemTable} from '../store/schema.js'

/** The systems and routine_uses tables: the systems of records' notice texts and routine uses. */

export type SystemRow = Selectable<SystemTable>
export type RoutineUseRow = Selectable<RoutineUseTable>

export async function systemRows(store: Store): Promise<SystemRow[]> {
  return store.db.selectFrom('systems').selectAll().orderBy('id').execute()
}

/** A system's routine uses. */
export async function routineUsesOf(store: Store, systemId: string): Promise<RoutineUseRow[]> {
  return store.db.selectFrom('routine_uses').selectAll().where('system_id', '=', systemId).orderBy('code').execute()
}

export async function routineUseByCode(store: Store, code: string): Promise<RoutineUseRow | undefined> {
  return store.db.selectFrom('routine_uses').selectAll().where('code', '=', code).executeTakeFirst()
}

export async function putRoutineUse(store: Store, row: RoutineUseRow, exists: boolean): Promise<void> {
  if (exists) {
    await store.db.updateTable('routine_uses').set({description: row.description, updated_at: row.updated_at, updated_by: row.updated_by})
      .where('code', '=', row.code).execute()
  } else {
    await store.db.insertInto('routine_uses').values(row).execute()
  }
}
