import {type Kysely, sql} from 'kysely'

// Frozen once landed: never edit, add a new migration instead.
// DHS/ALL-002 stakeholder contacts (the DHS CRM PIA): each contact (its id `C` and six digits is its surrogate
// id, never reused), its interactions, and the do-not-contact list: keyed hashes (HMAC-SHA-256 under the key
// file, never the store) of the email and phone of each person who asked to be forgotten, so a later add or
// import of them is refused (CT-DO-NOT-CONTACT) without the store keeping the email or phone in clear.
// Emails are stored as given and compared in lower case; phones as 10 digits (US) or `+` and 8-15 digits.

const SCHEDULES: [code: string, title: string, recordType: string, trigger: string, months: number, authority: string][] = [
  ['DHS/ALL-002-INTERACTION', 'Stakeholder interactions', 'interaction', 'the contact\'s last contact (destroyed with its contact)', 12,
    'DHS Stakeholder Engagement CRM Privacy Impact Assessment, business rule: a contact not contacted for 12 months is deleted, with its interactions (reference material; no NARA schedule).'],
  ['DHS/ALL-002-CONTACT', 'Stakeholder contacts', 'contact', 'last contact (every interaction moves it; the day it was added until then)', 12,
    'DHS Stakeholder Engagement CRM Privacy Impact Assessment, business rule: a contact not contacted for 12 months is deleted (reference material; no NARA schedule).'],
]

export async function up(db: Kysely<any>): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const s = trx.schema
    await s.createTable('contacts')
      .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('salutation', 'text')
      .addColumn('organization', 'text')
      .addColumn('title', 'text')
      .addColumn('email', 'text')
      .addColumn('work_phone', 'text')
      .addColumn('cell_phone', 'text')
      .addColumn('work_address', 'text')
      .addColumn('issues', 'text')
      .addColumn('interests', 'text')
      .addColumn('notes', 'text')
      .addColumn('owner', 'text', (c) => c.notNull())
      .addColumn('last_contacted', 'text')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .addColumn('batch_id', 'integer')
      .execute()
    await s.createIndex('contacts_email').on('contacts').expression(sql`email COLLATE NOCASE`).execute()
    await s.createIndex('contacts_owner').on('contacts').column('owner').execute()

    await s.createTable('interactions')
      .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
      .addColumn('contact_ref', 'integer', (c) => c.notNull().references('contacts.id').onDelete('cascade'))
      .addColumn('contact_date', 'text', (c) => c.notNull())
      .addColumn('mode', 'text', (c) => c.notNull())
      .addColumn('note', 'text')
      .addColumn('recorded_by', 'text', (c) => c.notNull())
      .addColumn('recorded_at', 'text', (c) => c.notNull())
      .execute()
    await s.createIndex('interactions_contact').on('interactions').columns(['contact_ref', 'contact_date']).execute()

    await s.createTable('do_not_contact')
      .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('hash', 'text', (c) => c.notNull().unique())
      .addColumn('disposal_id', 'text', (c) => c.notNull())
      .addColumn('added_at', 'text', (c) => c.notNull())
      .execute()

    await trx.insertInto('retention_schedules').values(SCHEDULES.map(([code, title, recordType, trigger, months, authority]) => ({
      code, title, record_type: recordType, trigger, retain_months: months, action: 'destroy', authority,
    }))).execute()
  })
}

export async function down(): Promise<void> {
  throw new Error('custodian migrations are forward-only')
}
