import type {Insertable, Updateable} from 'kysely'

import type {Store} from '../store/index.js'
import type {ImportBatchTable} from '../store/schema.js'

/** The import_batches table: one row per import, begun with zero counts and finished in the same transaction. */

export async function priorBatch(store: Store, kind: string, sha256: string): Promise<{id: number; imported_at: string} | undefined> {
  return store.db.selectFrom('import_batches').select(['id', 'imported_at']).where('kind', '=', kind).where('sha256', '=', sha256).executeTakeFirst()
}

export async function startBatch(store: Store, batch: Pick<Insertable<ImportBatchTable>, 'kind' | 'file_name' | 'sha256' | 'imported_at' | 'actor'>): Promise<number> {
  const {id} = await store.db.insertInto('import_batches').values({...batch, rows_read: 0, inserted: 0, updated: 0, rejected: 0}).returning('id').executeTakeFirstOrThrow()
  return id
}

export async function finishBatch(store: Store, id: number, counts: Pick<Updateable<ImportBatchTable>, 'sha256' | 'rows_read' | 'inserted' | 'updated' | 'rejected'>): Promise<void> {
  await store.db.updateTable('import_batches').set(counts).where('id', '=', id).execute()
}

/** The batch's reject codes with how many rejected rows carried each (import_reject_codes, migration 0017). */
export async function recordRejectCodes(store: Store, batchId: number, codes: ReadonlyMap<string, number>): Promise<void> {
  if (codes.size === 0) return
  await store.db.insertInto('import_reject_codes').values([...codes].map(([code, count]) => ({batch_ref: batchId, code, count}))).execute()
}
