import type {Insertable, Selectable} from 'kysely'

import type {Store} from '../store/index.js'
import type {OperatorTable} from '../store/schema.js'

/** The operators table. */

export type OperatorRow = Selectable<OperatorTable>

export async function operatorByName(store: Store, name: string): Promise<OperatorRow | undefined> {
  return store.db.selectFrom('operators').selectAll().where('name', '=', name).executeTakeFirst()
}

export async function operatorRows(store: Store): Promise<OperatorRow[]> {
  return store.db.selectFrom('operators').selectAll().orderBy('name').execute()
}

export async function anyOperator(store: Store): Promise<boolean> {
  return (await store.db.selectFrom('operators').select('name').limit(1).executeTakeFirst()) !== undefined
}

export async function countAdmins(store: Store): Promise<number> {
  const {n} = await store.db.selectFrom('operators').select((eb) => eb.fn.countAll<number>().as('n')).where('role', '=', 'admin').executeTakeFirstOrThrow()
  return Number(n)
}

export async function insertOperator(store: Store, row: Insertable<OperatorTable>): Promise<void> {
  await store.db.insertInto('operators').values(row).execute()
}

export async function deleteOperator(store: Store, name: string): Promise<void> {
  await store.db.deleteFrom('operators').where('name', '=', name).execute()
}
