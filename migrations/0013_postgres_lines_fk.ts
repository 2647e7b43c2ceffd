import {type Kysely, PostgresAdapter, sql} from 'kysely'

// Frozen once landed: never edit, add a new migration instead.
// PostgreSQL only (SQLite's store is unchanged): timecard_lines loses its foreign key to timecards. PostgreSQL
// checks a foreign key with a trigger that looks the parent up once per inserted row, which was about half the
// time of a bulk timesheet import (1M lines), and custodian's login may not turn it off (that needs a
// superuser). The key guards nothing custodian does not already guarantee: every timecard_lines row is written
// by custodian's own set-wise SQL in the transaction that reads or creates its card (the SQLite import turns
// its foreign-key checks off for the same reason: `referencesByConstruction`), and timecards are destroyed only
// through destroyWith (records/kit.ts), which deletes a card's lines before the card. The primary key
// (timecard_id, work_date, hour_type, accounting_code) stays, and finds a card's lines.
export async function up(db: Kysely<any>): Promise<void> {
  if (!(db.getExecutor().adapter instanceof PostgresAdapter)) return
  await db.transaction().execute(async (trx) => {
    const {rows} = await sql<{name: string}>`SELECT conname AS name FROM pg_constraint
      WHERE conrelid = 'timecard_lines'::regclass AND contype = 'f' AND confrelid = 'timecards'::regclass`.execute(trx)
    for (const {name} of rows) await trx.schema.alterTable('timecard_lines').dropConstraint(name).execute()
  })
}
