import type {Kysely} from 'kysely'

// Frozen once landed: never edit, add a new migration instead.
// DOL CRM public inquiries (RULES.md "Public inquiries"): the intake form of a member of the public, numbered
// INQ-YYYY-NNNNNN by received year (settings `inquiries.last_number.YYYY`, a counter that only goes up), its
// updates and notes, the finite list of categories the form offers, and the routing table that sends an
// inquiry to a participating agency by workplace ZIP prefix or state (no rule: DOL-NATIONAL). The routing
// table starts empty: which agencies take part is the agency's to say (`inquiries routes set`).
// Emails are stored lower case and phones as their 10 digits: repeat matching and access search compare them so.

const CATEGORIES: [code: string, title: string][] = [
  ['wages-hours', 'Wages and hours (minimum wage, overtime, pay)'],
  ['safety-health', 'Workplace safety and health'],
  ['leave', 'Family and medical leave'],
  ['discrimination', 'Discrimination by a federal contractor or employer'],
  ['unemployment-insurance', 'Unemployment insurance'],
  ['retirement-benefits', 'Retirement and health benefits'],
  ['other', 'Something else'],
]

const SCHEDULE = {
  code: 'DOL-CRM-INQUIRY',
  title: 'Public inquiries (intake form, updates and notes)',
  record_type: 'inquiry',
  trigger: 'case closed',
  retain_months: 24,
  action: 'destroy',
  authority: 'DOL CRM Privacy Impact Assessment, retention: "as long as there is a business need, or two years" after the case is closed (N1-448-01-2; GRS 4.2).',
}

export async function up(db: Kysely<any>): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const s = trx.schema
    await s.createTable('inquiry_categories')
      .addColumn('code', 'text', (c) => c.primaryKey())
      .addColumn('title', 'text', (c) => c.notNull())
      .execute()
    await trx.insertInto('inquiry_categories').values(CATEGORIES.map(([code, title]) => ({code, title}))).execute()

    await s.createTable('inquiry_routes')
      .addColumn('kind', 'text', (c) => c.notNull()) // 'zip-prefix' | 'state'
      .addColumn('value', 'text', (c) => c.notNull()) // digits of a ZIP prefix, or a USPS state code
      .addColumn('agency', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .addColumn('updated_by', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('inquiry_routes_pk', ['kind', 'value'])
      .execute()

    await s.createTable('inquiries')
      .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
      .addColumn('case_number', 'text', (c) => c.notNull().unique())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('first_name', 'text', (c) => c.notNull())
      .addColumn('last_name', 'text', (c) => c.notNull())
      .addColumn('name_key', 'text', (c) => c.notNull())
      .addColumn('home_zip', 'text', (c) => c.notNull())
      .addColumn('contact_method', 'text', (c) => c.notNull())
      .addColumn('phone', 'text')
      .addColumn('email', 'text')
      .addColumn('company', 'text')
      .addColumn('street', 'text')
      .addColumn('city', 'text')
      .addColumn('county', 'text')
      .addColumn('state', 'text')
      .addColumn('workplace_zip', 'text')
      .addColumn('category', 'text', (c) => c.notNull().references('inquiry_categories.code'))
      .addColumn('description', 'text', (c) => c.notNull())
      .addColumn('received', 'text', (c) => c.notNull())
      .addColumn('routed_to', 'text', (c) => c.notNull())
      .addColumn('repeat_of', 'text')
      .addColumn('created_by', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .addColumn('closed_on', 'text')
      .addColumn('closed_by', 'text')
      .execute()
    await s.createIndex('inquiries_name').on('inquiries').column('name_key').execute()
    await s.createIndex('inquiries_email').on('inquiries').column('email').execute()
    await s.createIndex('inquiries_phone').on('inquiries').column('phone').execute()
    await s.createIndex('inquiries_status').on('inquiries').column('status').execute()

    await s.createTable('inquiry_updates')
      .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
      .addColumn('inquiry_ref', 'integer', (c) => c.notNull().references('inquiries.id').onDelete('cascade'))
      .addColumn('at', 'text', (c) => c.notNull())
      .addColumn('actor', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('note', 'text')
      .execute()
    await s.createIndex('inquiry_updates_inquiry').on('inquiry_updates').column('inquiry_ref').execute()

    await trx.insertInto('retention_schedules').values(SCHEDULE).execute()
  })
}

export async function down(): Promise<void> {
  throw new Error('custodian migrations are forward-only')
}
