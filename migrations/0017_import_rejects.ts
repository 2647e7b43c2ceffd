import type {Kysely} from 'kysely'

// Frozen once landed: never edit, add a new migration instead.
// Import quality (`reports imports`): how many rejected rows of each committed import batch carried each reject
// code (PE-*, TS-*, AA-*, ...). Counts only, never a row's content: the rejects file keeps the rows. A row
// with two problems of the same code counts once for that code; a row with two codes counts for each.
// Reports read requests by date received and closed, and inquiries by date received: indexes on those.
export async function up(db: Kysely<any>): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await trx.schema.createTable('import_reject_codes')
      .addColumn('batch_ref', 'integer', (c) => c.notNull().references('import_batches.id'))
      .addColumn('code', 'text', (c) => c.notNull())
      .addColumn('count', 'integer', (c) => c.notNull())
      .addPrimaryKeyConstraint('import_reject_codes_pk', ['batch_ref', 'code'])
      .execute()
    await trx.schema.createIndex('requests_received').on('requests').column('received').execute()
    await trx.schema.createIndex('requests_closed_on').on('requests').column('closed_on').execute()
    await trx.schema.createIndex('inquiries_received').on('inquiries').column('received').execute()
  })
}

export async function down(): Promise<void> {
  throw new Error('custodian migrations are forward-only')
}
