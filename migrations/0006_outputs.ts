import type {Kysely} from 'kysely'

// Frozen once landed: never edit, add a new migration instead.
// The files custodian writes beside the store (payroll files, rejects files, response packages,
// certificates) are recorded here before their first byte is written, so that after a crash the next
// command knows each temp file: it removes the temp of work that never committed, and puts in place the
// file of work that did. output_folders remembers where custodian has written, for `custodian doctor`'s
// scan for temp files.
export async function up(db: Kysely<any>): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const s = trx.schema
    await s.createTable('file_outputs')
      .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
      .addColumn('target', 'text', (c) => c.notNull())
      .addColumn('tmp', 'text', (c) => c.notNull())
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('replace', 'integer', (c) => c.notNull())
      .addColumn('purpose', 'text', (c) => c.notNull())
      .addColumn('state', 'text', (c) => c.notNull())
      .addColumn('pid', 'integer', (c) => c.notNull())
      .addColumn('host', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .execute()
    await s.createTable('output_folders')
      .addColumn('path', 'text', (c) => c.primaryKey())
      .addColumn('last_used', 'text', (c) => c.notNull())
      .execute()
  })
}

export async function down(): Promise<void> {
  throw new Error('custodian migrations are forward-only')
}
