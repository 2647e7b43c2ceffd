import {type Kysely, sql} from 'kysely'

// Frozen once landed: never edit, add a new migration instead.
// Hour types (RULES.md), closure days, timecards with versions, their lines and their history.
const HOUR_TYPES: [string, string, number, string][] = [
  ['REG', 'regular time worked', 1, '01'],
  ['OT', 'overtime worked', 0, '21'],
  ['CTE', 'compensatory time earned', 0, '32'],
  ['ND', 'night differential hours', 0, '11'],
  ['SUN', 'Sunday premium hours', 0, '04'],
  ['HOLW', 'holiday worked', 1, '31'],
  ['HOL', 'holiday, not worked', 1, '66'],
  ['ADMIN', 'administrative leave (excused absence)', 1, '66'],
  ['AL', 'annual leave', 1, '61'],
  ['SL', 'sick leave', 1, '62'],
  ['CTU', 'compensatory time used', 1, '63'],
  ['MILR', 'military leave, regular', 1, '65'],
  ['MILE', 'military leave, emergency', 1, '68'],
  ['LWOP', 'leave without pay', 1, '71'],
  ['AWOL', 'absence without leave', 1, '72'],
]

export async function up(db: Kysely<any>): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const s = trx.schema
    await s.createTable('hour_types')
      .addColumn('code', 'text', (c) => c.primaryKey())
      .addColumn('meaning', 'text', (c) => c.notNull())
      .addColumn('counts_toward_tour', 'integer', (c) => c.notNull())
      .addColumn('transaction_code', 'text', (c) => c.notNull())
      .execute()
    await trx.insertInto('hour_types')
      .values(HOUR_TYPES.map(([code, meaning, counts, tc]) => ({code, meaning, counts_toward_tour: counts, transaction_code: tc})))
      .execute()

    await s.createTable('closure_days')
      .addColumn('date', 'text', (c) => c.primaryKey())
      .addColumn('reason', 'text', (c) => c.notNull())
      .addColumn('added_by', 'text', (c) => c.notNull())
      .addColumn('added_at', 'text', (c) => c.notNull())
      .execute()

    await trx.insertInto('settings').values({key: 'payperiod.anchor', value: '2026-01-11'}).execute()

    // One row per card version; the highest version of (employee, pay period) is the current one.
    await s.createTable('timecards')
      .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
      .addColumn('employee_ref', 'integer', (c) => c.notNull().references('employees.id').onDelete('cascade'))
      .addColumn('pay_period_start', 'text', (c) => c.notNull())
      .addColumn('version', 'integer', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('is_current', 'integer', (c) => c.notNull())
      .addColumn('reason', 'text')
      .addColumn('findings', 'text', (c) => c.notNull().defaultTo('[]'))
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .addColumn('certified_by', 'text')
      .addColumn('certified_at', 'text')
      .addColumn('export_batch_id', 'integer')
      .execute()
    await s.createIndex('timecards_employee_period_version').on('timecards').columns(['employee_ref', 'pay_period_start', 'version']).unique().execute()
    await s.createIndex('timecards_period_status').on('timecards').columns(['pay_period_start', 'status']).execute()

    // Keyed by what makes a line unique; WITHOUT ROWID keeps one B-tree (no separate unique index), which
    // halves the cost of the import hot path.
    await s.createTable('timecard_lines')
      .addColumn('timecard_id', 'integer', (c) => c.notNull().references('timecards.id').onDelete('cascade'))
      .addColumn('work_date', 'text', (c) => c.notNull())
      .addColumn('hour_type', 'text', (c) => c.notNull())
      .addColumn('accounting_code', 'text', (c) => c.notNull())
      .addColumn('hours', 'integer', (c) => c.notNull())
      .addColumn('batch_id', 'integer')
      .addPrimaryKeyConstraint('timecard_lines_pk', ['timecard_id', 'work_date', 'hour_type', 'accounting_code'])
      .modifyEnd(sql`WITHOUT ROWID`)
      .execute()

    await s.createTable('timecard_history')
      .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
      .addColumn('timecard_id', 'integer', (c) => c.notNull().references('timecards.id').onDelete('cascade'))
      .addColumn('at', 'text', (c) => c.notNull())
      .addColumn('actor', 'text', (c) => c.notNull())
      .addColumn('action', 'text', (c) => c.notNull())
      .addColumn('version', 'integer', (c) => c.notNull())
      .addColumn('changes', 'text', (c) => c.notNull())
      .addColumn('reason', 'text')
      .execute()
    await s.createIndex('timecard_history_timecard').on('timecard_history').column('timecard_id').execute()
  })
}

export async function down(): Promise<void> {
  throw new Error('custodian migrations are forward-only')
}
