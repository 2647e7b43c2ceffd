import type {Selectable} from 'kysely'

import type {Store} from '../store/index.js'
import type {PayrollBatchTable} from '../store/schema.js'

/** The payroll_batches table, for listing and re-export (the export itself writes through export-sqlite.ts). */

export type BatchRow = Selectable<PayrollBatchTable>

const SUMMARY = ['batch_id', 'pay_period_start', 'format', 'created_at', 'created_by', 'records', 'employees', 'total_hours', 'hash_total', 'corrections', 'sha256'] as const

export async function batchSummaries(store: Store) {
  return store.db.selectFrom('payroll_batches').select(SUMMARY).orderBy('id').execute()
}

/** A batch with the bytes of its file as first sent. */
export async function batchById(store: Store, batchId: string): Promise<BatchRow | undefined> {
  return store.db.selectFrom('payroll_batches').selectAll().where('batch_id', '=', batchId).executeTakeFirst()
}

/** Chunks read at a time when a batch's kept file is streamed (each is at most ~1 MiB compressed). */
const CHUNK_PAGE = 8

/** A batch's kept chunks in order (payroll_batch_chunks), a few at a time: never the whole file at once. */
export async function* batchChunks(store: Store, batchRef: number): AsyncGenerator<{seq: number; content: Buffer}> {
  for (let next = 0; ;) {
    const rows = await store.db.selectFrom('payroll_batch_chunks').select(['seq', 'content'])
      .where('batch_ref', '=', batchRef).where('seq', '>=', next).orderBy('seq').limit(CHUNK_PAGE).execute()
    for (const r of rows) yield {seq: r.seq, content: Buffer.from(r.content)}
    if (rows.length < CHUNK_PAGE) return
    next = rows.at(-1)!.seq + 1
  }
}
