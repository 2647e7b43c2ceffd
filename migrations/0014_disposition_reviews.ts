import {type Kysely, sql} from 'kysely'

// Frozen once landed: never edit, add a new migration instead.
// Disposition review (two-person destruction, DoD 5015.2 / Purview disposition review): a records officer
// freezes the records a plan finds eligible into a review (disposal_reviews, and one disposal_review_items row
// per record: its type, schedule and surrogate id); another records officer approves or rejects it; a sweep of
// an approved review destroys only those records. The store's two-person policy is a setting (src/admin/settings.ts).
// The CHECKs keep the submitter from approving or rejecting their own review on both engines; on PostgreSQL a
// trigger (src/store/postgres-security.ts) also ties each name to the login that writes it.
export async function up(db: Kysely<any>): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const s = trx.schema
    await s.createTable('disposal_reviews')
      .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
      .addColumn('review_id', 'text', (c) => c.notNull().unique())
      .addColumn('as_of', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('submitted_by', 'text', (c) => c.notNull())
      .addColumn('submitted_at', 'text', (c) => c.notNull())
      .addColumn('approved_by', 'text')
      .addColumn('approved_at', 'text')
      .addColumn('rejected_by', 'text')
      .addColumn('rejected_at', 'text')
      .addColumn('reject_reason', 'text')
      .addColumn('disposal_id', 'text')
      .addColumn('swept_by', 'text')
      .addColumn('swept_at', 'text')
      .addCheckConstraint('disposal_reviews_status', sql`status IN ('submitted', 'approved', 'rejected', 'swept')`)
      .addCheckConstraint('disposal_reviews_two_people', sql`(approved_by IS NULL OR approved_by <> submitted_by) AND (rejected_by IS NULL OR rejected_by <> submitted_by)`)
      .execute()
    await s.createTable('disposal_review_items')
      .addColumn('review_ref', 'integer', (c) => c.notNull().references('disposal_reviews.id').onDelete('cascade'))
      .addColumn('record_type', 'text', (c) => c.notNull())
      .addColumn('code', 'text', (c) => c.notNull())
      .addColumn('record_id', 'integer', (c) => c.notNull())
      .addPrimaryKeyConstraint('disposal_review_items_pk', ['review_ref', 'record_type', 'record_id'])
      .execute()
  })
}

export async function down(): Promise<void> {
  throw new Error('custodian migrations are forward-only')
}
