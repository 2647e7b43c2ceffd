import {type Kysely, sql} from 'kysely'

// Frozen once landed: never edit, add a new migration instead.
// USPS 550.000 account access records: the accounts an identity provider's sign-in log names, and each
// sign-in event. An account is found by its user id (unique), its employee_id (access search, holds) and its
// email (case-insensitive); a sign-in by its account and time (AA-DUP-ROW, sweeps destroy by account).
// Times are ISO-8601 UTC text (`2026-11-02T13:05:00.000Z`), which sorts as it reads.

const SCHEDULES: [code: string, title: string, recordType: string, trigger: string, months: number, authority: string][] = [
  ['USPS-550.000-ACCOUNT', 'Information system account access records', 'account', 'last access (every later sign-in moves it)', 24,
    'USPS SOR 550.000 Commercial Information Technology Resources - Infrastructure, retention and disposal: account records are retained 2 years after the last access (FR Doc. 2022-01062).'],
  ['USPS-550.000-SIGN-IN', 'Sign-in events (security analytics records)', 'sign_in', 'the sign-in', 24,
    'USPS SOR 550.000 Commercial Information Technology Resources - Infrastructure, retention and disposal: sign-in records are retained 2 years after the event (FR Doc. 2022-01062).'],
]

export async function up(db: Kysely<any>): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const s = trx.schema
    await s.createTable('accounts')
      .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
      .addColumn('user_id', 'text', (c) => c.notNull().unique())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('email', 'text', (c) => c.notNull())
      .addColumn('department', 'text')
      .addColumn('user_role', 'text')
      .addColumn('employee_id', 'text')
      .addColumn('last_access', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .execute()
    await s.createIndex('accounts_employee').on('accounts').column('employee_id').execute()
    await s.createIndex('accounts_email').on('accounts').expression(sql`email COLLATE NOCASE`).execute()
    await s.createIndex('accounts_last_access').on('accounts').column('last_access').execute()

    await s.createTable('sign_ins')
      .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
      .addColumn('account_ref', 'integer', (c) => c.notNull().references('accounts.id').onDelete('cascade'))
      .addColumn('signed_in_at', 'text', (c) => c.notNull())
      .addColumn('ip_address', 'text')
      .addColumn('application', 'text')
      .addColumn('batch_id', 'integer', (c) => c.notNull())
      .execute()
    // One sign-in per account and instant (AA-DUP-ROW); also how a sweep finds an account's sign-ins.
    await s.createIndex('sign_ins_account_time').on('sign_ins').columns(['account_ref', 'signed_in_at']).unique().execute()

    await trx.insertInto('retention_schedules').values(SCHEDULES.map(([code, title, recordType, trigger, months, authority]) => ({
      code, title, record_type: recordType, trigger, retain_months: months, action: 'destroy', authority,
    }))).execute()
  })
}

export async function down(): Promise<void> {
  throw new Error('custodian migrations are forward-only')
}
