import type {Kysely} from 'kysely'

// Frozen once landed: never edit, add a new migration instead.
// The audit trail's who and its keyed chain (audit/chain.ts): each entry records the OS account that ran the
// command (SQLite; null on PostgreSQL, where session_user in `actor` is the identity) and, when the command
// could read the store's key, an HMAC of its hash under that key (null when it could not). An operator may be
// bound to one OS account: claiming that operator from another account is refused (operators/service.ts).
export async function up(db: Kysely<any>): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await trx.schema.alterTable('audit_log').addColumn('os_user', 'text').execute()
    await trx.schema.alterTable('audit_log').addColumn('mac', 'text').execute()
    await trx.schema.alterTable('operators').addColumn('os_user', 'text').execute()
  })
}

export async function down(): Promise<void> {
  throw new Error('custodian migrations are forward-only')
}
