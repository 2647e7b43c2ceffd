import type {Kysely} from 'kysely'

// Frozen once landed: never edit, add a new migration instead.
// Letters that are letters: a request keeps the requester's mailing address (the letter is addressed to it).
// The agency's letterhead, privacy office, signing official and appeal address are settings an admin sets
// (custodian settings set); they have no rows until then.
export async function up(db: Kysely<any>): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await trx.schema.alterTable('requests').addColumn('address', 'text').execute()
  })
}

export async function down(): Promise<void> {
  throw new Error('custodian migrations are forward-only')
}
