import {type Kysely, PostgresAdapter, sql} from 'kysely'

// Frozen once landed: never edit, add a new migration instead.
// PostgreSQL only (SQLite's store is unchanged): timecards lose their foreign key to employees, and timecard_history
// its foreign key to timecards, for the reason 0013 gave timecard_lines': PostgreSQL checks a foreign key with a
// trigger that looks the parent up once per inserted row, and a bulk timesheet import makes a card and a history
// entry for each employee and pay period of the file (100,000 of each for a million lines: about a fifth of the
// import's time), which custodian's login may not switch off. The keys guard nothing custodian does not already
// guarantee: a card is made by custodian's own SQL for an employee it read in the same transaction, under the
// store's write lock, and its history entries with it or from it; employees are destroyed only after their cards
// (the employee record type's afterGone), and cards only through destroyWith (records/kit.ts), which deletes a
// card's history (and lines, and payroll batch links) before the card. Row-level security still ties each row
// to an employee in the operator's scope (store/postgres-security.ts), and the indexes stay.
export async function up(db: Kysely<any>): Promise<void> {
  if (!(db.getExecutor().adapter instanceof PostgresAdapter)) return
  await db.transaction().execute(async (trx) => {
    for (const [table, parent] of [['timecards', 'employees'], ['timecard_history', 'timecards']] as const) {
      const {rows} = await sql<{name: string}>`SELECT conname AS name FROM pg_constraint
        WHERE conrelid = ${table}::regclass AND contype = 'f' AND confrelid = ${parent}::regclass`.execute(trx)
      for (const {name} of rows) await trx.schema.alterTable(table).dropConstraint(name).execute()
    }
  })
}

