import {type Kysely, type Migration, Migrator} from 'kysely'

import {migrations as allMigrations} from '../../migrations/index.js'

export interface MigrationState {
  applied: number
  latest: number
}

/** Applies every pending migration; throws the first failure (its own transaction was rolled back). */
export async function migrateToLatest(
  db: Kysely<any>,
  migrations: Record<string, Migration> = allMigrations,
): Promise<number> {
  const migrator = new Migrator({db, provider: {getMigrations: async () => migrations}})
  const {error, results} = await migrator.migrateToLatest()
  if (error) throw error instanceof Error ? error : new Error(String(error))
  return results?.filter((r) => r.status === 'Success').length ?? 0
}

export async function migrationState(
  db: Kysely<any>,
  migrations: Record<string, Migration> = allMigrations,
): Promise<MigrationState> {
  const migrator = new Migrator({db, provider: {getMigrations: async () => migrations}})
  const infos = await migrator.getMigrations()
  const known = new Set(Object.keys(migrations))
  let applied = 0
  for (const m of infos) if (m.executedAt) applied++
  // A store migrated by a newer custodian has rows we do not know.
  const rows = await db
    .selectFrom('kysely_migration' as any)
    .select('name' as any)
    .execute()
    .catch(() => [] as {name: string}[])
  const unknown = (rows as {name: string}[]).filter((r) => !known.has(r.name)).length
  return {applied: applied + unknown, latest: known.size}
}
