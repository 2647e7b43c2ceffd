import type {Kysely} from 'kysely'

// Frozen once landed: never edit, add a new migration instead.
// Subjects beyond employees: a request names its subject by any identifier a system of records retrieves by.
// Besides the employee_id, email and phone it already keeps, a request keeps the subject's information-system
// user id (USPS 550.000, lower case) and an inquiry case number (DOL CRM, upper case).
export async function up(db: Kysely<any>): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await trx.schema.alterTable('requests').addColumn('user_id', 'text').execute()
    await trx.schema.alterTable('requests').addColumn('case_number', 'text').execute()
  })
}

export async function down(): Promise<void> {
  throw new Error('custodian migrations are forward-only')
}
