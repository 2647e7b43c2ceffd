import type {Kysely} from 'kysely'

// Frozen once landed: never edit, add a new migration instead.
// Retention sweeps destroy timecards by the hundred thousand; the FK cascade from a timecard to the batch
// detail that carried it looks rows up by timecard_id, which the (batch_ref, timecard_id) key cannot serve.
export async function up(db: Kysely<any>): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await trx.schema.createIndex('payroll_batch_cards_timecard').on('payroll_batch_cards').column('timecard_id').execute()
  })
}

export async function down(): Promise<void> {
  throw new Error('custodian migrations are forward-only')
}
