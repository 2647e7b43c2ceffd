import type {Kysely} from 'kysely'

// Frozen once landed: never edit, add a new migration instead.
// Payroll export that streams (issue 20): a batch's file is kept for a byte-identical re-export as numbered
// chunks, each a piece of the file gzip-compressed and sealed under the store's SSN key, written as the file is
// written (never the whole file in memory). payroll_batches.content stays: empty for a batch kept in chunks, the
// whole file (sealed gzip members, or before migration 0016 the bytes as they are) for a batch made before this
// migration, which the code still reads as it is (nothing to convert, and no key needed here).
export async function up(db: Kysely<any>): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await trx.schema.createTable('payroll_batch_chunks')
      .addColumn('batch_ref', 'integer', (c) => c.notNull().references('payroll_batches.id').onDelete('cascade'))
      .addColumn('seq', 'integer', (c) => c.notNull())
      .addColumn('content', 'blob', (c) => c.notNull())
      .addPrimaryKeyConstraint('payroll_batch_chunks_pk', ['batch_ref', 'seq'])
      .execute()
  })
}
