import type {Store} from '../store/index.js'

/** The closure_days table: days the agency was closed, counted as holidays by working-day arithmetic. */

export async function closuresOfYear(store: Store, year: number): Promise<{date: string; reason: string}[]> {
  return store.db.selectFrom('closure_days').select(['date', 'reason']).where('date', 'like', `${year}-%`).orderBy('date').execute()
}

export async function allClosures(store: Store): Promise<{date: string; reason: string}[]> {
  return store.db.selectFrom('closure_days').select(['date', 'reason']).execute()
}

export async function isClosure(store: Store, date: string): Promise<boolean> {
  return (await store.db.selectFrom('closure_days').select('date').where('date', '=', date).executeTakeFirst()) !== undefined
}

export async function insertClosure(store: Store, closure: {date: string; reason: string; added_by: string; added_at: string}): Promise<void> {
  await store.db.insertInto('closure_days').values(closure).execute()
}

/** Whether a closure day was there to delete. */
export async function deleteClosure(store: Store, date: string): Promise<boolean> {
  const r = await store.db.deleteFrom('closure_days').where('date', '=', date).executeTakeFirst()
  return Number(r.numDeletedRows) > 0
}
