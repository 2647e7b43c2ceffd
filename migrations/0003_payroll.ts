import type {Kysely} from 'kysely'

// Frozen once landed: never edit, add a new migration instead.
// Payroll batches (with the file bytes, so a re-export is byte-identical), the cards each carried, and the
// accounting of disclosures (5 U.S.C. 552a(c)) that every export adds to.
export async function up(db: Kysely<any>): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const s = trx.schema
    await trx.insertInto('settings').values([
      {key: 'payroll.recipient', value: 'National Finance Center (payroll provider)'},
      {key: 'payroll.address', value: 'USDA National Finance Center, P.O. Box 60000, New Orleans, LA 70160'},
      {key: 'payroll.routine_use', value: 'PAYROLL'},
    ]).execute()

    await s.createTable('payroll_batches')
      .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
      .addColumn('batch_id', 'text', (c) => c.notNull().unique())
      .addColumn('pay_period_start', 'text', (c) => c.notNull())
      .addColumn('format', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('created_by', 'text', (c) => c.notNull())
      .addColumn('records', 'integer', (c) => c.notNull())
      .addColumn('employees', 'integer', (c) => c.notNull())
      .addColumn('total_hours', 'integer', (c) => c.notNull())
      .addColumn('hash_total', 'integer', (c) => c.notNull())
      .addColumn('corrections', 'integer', (c) => c.notNull())
      .addColumn('sha256', 'text', (c) => c.notNull())
      .addColumn('content', 'blob', (c) => c.notNull())
      .addColumn('control', 'text')
      .execute()

    await s.createTable('payroll_batch_cards')
      .addColumn('batch_ref', 'integer', (c) => c.notNull().references('payroll_batches.id').onDelete('cascade'))
      .addColumn('timecard_id', 'integer', (c) => c.notNull().references('timecards.id').onDelete('cascade'))
      .addColumn('correction', 'integer', (c) => c.notNull())
      .addPrimaryKeyConstraint('payroll_batch_cards_pk', ['batch_ref', 'timecard_id'])
      .execute()

    await s.createTable('disclosures')
      .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
      .addColumn('employee_ref', 'integer', (c) => c.notNull().references('employees.id').onDelete('cascade'))
      .addColumn('disclosed_on', 'text', (c) => c.notNull())
      .addColumn('recipient', 'text', (c) => c.notNull())
      .addColumn('address', 'text', (c) => c.notNull())
      .addColumn('purpose', 'text', (c) => c.notNull())
      .addColumn('routine_use', 'text')
      .addColumn('record_type', 'text', (c) => c.notNull())
      .addColumn('record_ref', 'text')
      .addColumn('created_by', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .execute()
    await s.createIndex('disclosures_employee').on('disclosures').column('employee_ref').execute()
  })
}

export async function down(): Promise<void> {
  throw new Error('custodian migrations are forward-only')
}
