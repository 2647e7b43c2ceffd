import {type Kysely, sql} from 'kysely'

// Frozen once landed: never edit, add a new migration instead.
// Retention (schedules, legal holds, disposal certificates) and Privacy Act requests (with their extensions,
// amendments and statements of disagreement). Also:
// - employees.name_key: the folded name that access search looks up (case- and accent-insensitive);
// - payroll_batch_subjects: which employees a batch carried, kept with the batch (not with the cards, which
//   may be destroyed first) so a batch's personal data is found and destroyed by subject;
// - disclosures rebuilt so an accounting entry outlives the employee profile (5 U.S.C. 552a(c)(2): 5 years
//   after the disclosure or the life of the record, whichever is later): the subject is kept as the
//   employee_id text, and the link to the profile becomes NULL when the profile is destroyed.

const SCHEDULES: [code: string, title: string, recordType: string, trigger: string, months: number, authority: string][] = [
  ['GRS-2.4-030', 'Time and attendance records', 'timecard', 'end of its pay period', 36,
    'NARA GRS 2.4 item 030, time and attendance records: destroy after GAO audit or when 3 years old, whichever is sooner.'],
  ['GRS-2.4-010', 'Payroll inputs (interchange batches)', 'payroll_batch', 'batch export date', 36,
    'NARA GRS 2.4 item 010, payroll inputs: destroy 3 years after the payroll processor validates the data.'],
  ['TA-PROFILE', 'Time and attendance system profiles', 'employee', 'separation date, and only once no timecard of the employee remains', 36,
    'Agency schedule for T&A system profiles (follows GRS 2.4 item 030).'],
  ['GRS-4.2-020', 'Access, amendment and accounting request files', 'request', 'request closed', 72,
    'NARA GRS 4.2 item 020, access and disclosure request files: 6 years after final agency action (or 3 years after final court adjudication, whichever is later).'],
  ['GRS-4.2-050', 'Accounting of disclosures', 'disclosure', "disclosure date, and not before the subject's records are gone", 60,
    'NARA GRS 4.2 item 050 and 5 U.S.C. 552a(c)(2): 5 years after the disclosure or the life of the record, whichever is later.'],
]

/** Folds a name part for search: NFD, combining marks removed, lower case, inner spaces collapsed. */
function fold(s: string | null): string {
  return (s ?? '').normalize('NFD').replace(/\p{M}/gu, '').toLowerCase().replace(/\s+/g, ' ').trim()
}

export async function up(db: Kysely<any>): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const s = trx.schema

    await s.createTable('retention_schedules')
      .addColumn('code', 'text', (c) => c.primaryKey())
      .addColumn('title', 'text', (c) => c.notNull())
      .addColumn('record_type', 'text', (c) => c.notNull())
      .addColumn('trigger', 'text', (c) => c.notNull())
      .addColumn('retain_months', 'integer', (c) => c.notNull())
      .addColumn('action', 'text', (c) => c.notNull())
      .addColumn('authority', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text')
      .addColumn('updated_by', 'text')
      .execute()
    await trx.insertInto('retention_schedules').values(SCHEDULES.map(([code, title, recordType, trigger, months, authority]) => ({
      code, title, record_type: recordType, trigger, retain_months: months, action: 'destroy', authority,
    }))).execute()

    await s.createTable('holds')
      .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
      .addColumn('reason', 'text', (c) => c.notNull())
      .addColumn('record_type', 'text')
      .addColumn('placed_by', 'text', (c) => c.notNull())
      .addColumn('placed_at', 'text', (c) => c.notNull())
      .addColumn('released_by', 'text')
      .addColumn('released_at', 'text')
      .addColumn('release_reason', 'text')
      .execute()
    await s.createTable('hold_employees')
      .addColumn('hold_id', 'integer', (c) => c.notNull().references('holds.id').onDelete('cascade'))
      .addColumn('employee_id', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('hold_employees_pk', ['hold_id', 'employee_id'])
      .execute()

    // A certificate holds counts, digests and surrogate-id hashes only: never personal data. Never swept.
    await s.createTable('disposals')
      .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
      .addColumn('disposal_id', 'text', (c) => c.notNull().unique())
      .addColumn('as_of', 'text', (c) => c.notNull())
      .addColumn('operator', 'text', (c) => c.notNull())
      .addColumn('at', 'text', (c) => c.notNull())
      .addColumn('certificate', 'text', (c) => c.notNull())
      .addColumn('sha256', 'text', (c) => c.notNull())
      .execute()

    await s.createTable('requests')
      .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
      .addColumn('request_id', 'text', (c) => c.notNull().unique())
      .addColumn('type', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('requester', 'text', (c) => c.notNull())
      .addColumn('email', 'text')
      .addColumn('phone', 'text')
      .addColumn('employee_id', 'text')
      .addColumn('ssn', 'text')
      .addColumn('received', 'text', (c) => c.notNull())
      .addColumn('verified', 'text')
      .addColumn('acknowledge_by', 'text', (c) => c.notNull())
      .addColumn('due_by', 'text', (c) => c.notNull())
      .addColumn('closed_at', 'text')
      .addColumn('closed_on', 'text')
      .addColumn('close_note', 'text')
      .addColumn('created_by', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .execute()
    await s.createIndex('requests_employee').on('requests').column('employee_id').execute()
    await s.createIndex('requests_status').on('requests').columns(['status', 'due_by']).execute()

    await s.createTable('request_extensions')
      .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
      .addColumn('request_ref', 'integer', (c) => c.notNull().references('requests.id').onDelete('cascade'))
      .addColumn('working_days', 'integer', (c) => c.notNull())
      .addColumn('reason', 'text', (c) => c.notNull())
      .addColumn('previous_due_by', 'text', (c) => c.notNull())
      .addColumn('due_by', 'text', (c) => c.notNull())
      .addColumn('actor', 'text', (c) => c.notNull())
      .addColumn('at', 'text', (c) => c.notNull())
      .execute()

    await s.createTable('request_amendments')
      .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
      .addColumn('request_ref', 'integer', (c) => c.notNull().references('requests.id').onDelete('cascade'))
      .addColumn('record_type', 'text', (c) => c.notNull())
      .addColumn('record_id', 'text', (c) => c.notNull())
      .addColumn('field', 'text', (c) => c.notNull())
      .addColumn('current_value', 'text')
      .addColumn('requested_value', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('decision_reason', 'text')
      .addColumn('decided_by', 'text')
      .addColumn('decided_at', 'text')
      .addColumn('created_by', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .execute()
    await s.createIndex('request_amendments_request').on('request_amendments').column('request_ref').execute()

    // A statement of disagreement stays attached to the disputed record (record_type, record_id).
    await s.createTable('request_statements')
      .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
      .addColumn('request_ref', 'integer', (c) => c.notNull().references('requests.id').onDelete('cascade'))
      .addColumn('record_type', 'text', (c) => c.notNull())
      .addColumn('record_id', 'text', (c) => c.notNull())
      .addColumn('statement', 'text', (c) => c.notNull())
      .addColumn('filed_by', 'text', (c) => c.notNull())
      .addColumn('filed_at', 'text', (c) => c.notNull())
      .execute()
    await s.createIndex('request_statements_record').on('request_statements').columns(['record_type', 'record_id']).execute()

    await s.createTable('payroll_batch_subjects')
      .addColumn('batch_ref', 'integer', (c) => c.notNull().references('payroll_batches.id').onDelete('cascade'))
      .addColumn('employee_id', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('payroll_batch_subjects_pk', ['batch_ref', 'employee_id'])
      .execute()
    await s.createIndex('payroll_batch_subjects_employee').on('payroll_batch_subjects').column('employee_id').execute()
    await sql`INSERT OR IGNORE INTO payroll_batch_subjects (batch_ref, employee_id)
      SELECT pbc.batch_ref, e.employee_id FROM payroll_batch_cards pbc
      JOIN timecards t ON t.id = pbc.timecard_id JOIN employees e ON e.id = t.employee_ref`.execute(trx)

    await s.createTable('disclosures_new')
      .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
      .addColumn('employee_ref', 'integer', (c) => c.references('employees.id').onDelete('set null'))
      .addColumn('subject_employee_id', 'text', (c) => c.notNull())
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
    await sql`INSERT INTO disclosures_new (id, employee_ref, subject_employee_id, disclosed_on, recipient, address, purpose, routine_use, record_type, record_ref, created_by, created_at)
      SELECT d.id, d.employee_ref, e.employee_id, d.disclosed_on, d.recipient, d.address, d.purpose, d.routine_use, d.record_type, d.record_ref, d.created_by, d.created_at
      FROM disclosures d JOIN employees e ON e.id = d.employee_ref`.execute(trx)
    await s.dropTable('disclosures').execute()
    await s.alterTable('disclosures_new').renameTo('disclosures').execute()
    await s.createIndex('disclosures_employee').on('disclosures').column('employee_ref').execute()
    await s.createIndex('disclosures_subject').on('disclosures').columns(['subject_employee_id', 'disclosed_on']).execute()

    await s.alterTable('employees').addColumn('name_key', 'text').execute()
    const rows = await trx.selectFrom('employees').select(['id', 'last_name', 'first_name']).execute()
    for (const r of rows) {
      await trx.updateTable('employees').set({name_key: `${fold(r.last_name)}|${fold(r.first_name)}`}).where('id', '=', r.id).execute()
    }
    await s.createIndex('employees_name_key').on('employees').column('name_key').execute()
    await s.createIndex('employees_email').on('employees').expression(sql`email COLLATE NOCASE`).execute()
    // Retention of profiles looks them up by separation date.
    await s.createIndex('employees_separation').on('employees').column('separation_date').where(sql.ref('separation_date'), 'is not', null).execute()
  })
}

export async function down(): Promise<void> {
  throw new Error('custodian migrations are forward-only')
}
