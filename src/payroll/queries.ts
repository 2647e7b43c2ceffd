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
