import {type Kysely, PostgresAdapter, sql} from 'kysely'

// Frozen once landed: never edit, add a new migration instead.
// PostgreSQL only (SQLite's INTEGER is 64-bit already): a batch's hash total (the sum of its SSN fields, rightmost
// 15 digits: FORMATS.md) and its total hours in hundredths outgrow PostgreSQL's 32-bit integer — a pay period of
// 50,000 employees failed to export. Both become bigint; the code reads them with Number() (pg returns int8 as
// text), exact below 2^53, which 15 digits are.
export async function up(db: Kysely<any>): Promise<void> {
  if (!(db.getExecutor().adapter instanceof PostgresAdapter)) return
  await sql`ALTER TABLE payroll_batches ALTER COLUMN hash_total TYPE bigint, ALTER COLUMN total_hours TYPE bigint`.execute(db)
}
