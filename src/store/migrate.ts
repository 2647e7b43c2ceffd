import {type Kysely, type Migration, Migrator} from 'kysely'

import {migrations as allMigrations} from '../../migrations/index.js'

/** Migrations by name, in order: each a migration, or a function that loads one. */
export type MigrationSource = Record<string, Migration | (() => Promise<Migration>)>

export interface MigrationState {
  applied: number
  latest: number
}

/** Applies every pending migration; throws the first failure (its own transaction was rolled back). */
export async function migrateToLatest(
  db: Kysely<any>,
  migrations: MigrationSource = allMigrations,
): Promise<number> {
  const getMigrations = async () =>
    Object.fromEntries(await Promise.all(Object.entries(migrations).map(async ([name, m]) => [name, typeof m === 'function' ? await m() : m] as const)))
  // Each migration opens its own transaction (Kysely wraps no SQLite DDL in one, and would nest them on PostgreSQL).
  const migrator = new Migrator({db, provider: {getMigrations}, disableTransactions: true})
  const {error, results} = await migrator.migrateToLatest()
  if (error) throw error instanceof Error ? error : new Error(String(error))
  return results?.filter((r) => r.status === 'Success').length ?? 0
}

/** How many migrations the store has applied (including any unknown to this custodian) and how many exist. */
export async function migrationState(
  db: Kysely<any>,
  migrations: MigrationSource = allMigrations,
): Promise<MigrationState> {
  // A plain read: no Migrator here, because it creates its tables, and this runs at every command's start.
  const rows = (await db
    .selectFrom('kysely_migration')
    .select('name')
    .execute()
    .catch(() => [])) as {name: string}[]
  return {applied: rows.length, latest: Object.keys(migrations).length}
}
