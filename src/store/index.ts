import type BetterSqlite3 from 'better-sqlite3'
import {Kysely, SqliteDialect} from 'kysely'
import fs from 'node:fs'
import {createRequire} from 'node:module'
import path from 'node:path'

import {CustodianError, ExitCode, notFound} from '../cli/errors.js'
import {migrateToLatest, migrationState} from './migrate.js'
import type {Database} from './schema.js'

export type {Database} from './schema.js'

// Required rather than imported: an ES module importing a CommonJS one makes Node scan its source for
// export names first, time lost at every command start.
const Sqlite = createRequire(import.meta.url)('better-sqlite3') as typeof BetterSqlite3

export interface Store {
  path: string
  /** The raw connection, for prepared-statement hot paths (imports). Same connection as `db`. */
  sqlite: BetterSqlite3.Database
  db: Kysely<Database>
  close(): Promise<void>
}

const busyTimeoutMs = () => Number(process.env.CUSTODIAN_BUSY_TIMEOUT_MS ?? 120_000)

function connect(file: string): Store {
  let sqlite: BetterSqlite3.Database
  try {
    sqlite = new Sqlite(file, {fileMustExist: true})
    // Wait for another process's write transaction instead of failing at once.
    sqlite.pragma(`busy_timeout = ${busyTimeoutMs()}`)
    sqlite.pragma('journal_mode = WAL')
    sqlite.pragma('synchronous = FULL')
    sqlite.pragma('foreign_keys = ON')
    // Deleted content is overwritten with zeros, so destroyed personal data leaves no bytes behind.
    sqlite.pragma('secure_delete = ON')
  } catch (error) {
    throw storeUnreadable(file, error)
  }
  const db = new Kysely<Database>({dialect: new SqliteDialect({database: sqlite})})
  let closed = false
  return {
    path: file,
    sqlite,
    db,
    async close() {
      if (closed) return
      closed = true
      await db.destroy() // closes the better-sqlite3 connection too
    },
  }
}

function storeUnreadable(file: string, error: unknown): CustodianError {
  const reason = error instanceof Error ? error.message : String(error)
  return new CustodianError('STORE_UNREADABLE', `${file} is not a readable custodian store (${reason}).`, ExitCode.notFound)
}

/** Opens an existing store, refusing one whose schema is older or newer than this custodian. */
export async function openStore(file: string): Promise<Store> {
  if (!fs.existsSync(file)) {
    throw notFound('STORE_NOT_FOUND', `No store at ${file}. Create one with: custodian init --db ${file}`, {db: file})
  }
  const store = connect(file)
  try {
    const state = await migrationState(store.db).catch((error) => {
      throw storeUnreadable(file, error)
    })
    if (state.applied === 0) throw storeUnreadable(file, new Error('it has no custodian schema'))
    if (state.applied < state.latest) {
      throw new CustodianError('STORE_OUTDATED', `The store ${file} has schema ${state.applied}; this custodian needs ${state.latest}. Run: custodian init --db ${file}`, ExitCode.conflict)
    }
    if (state.applied > state.latest) {
      throw new CustodianError('STORE_TOO_NEW', `The store ${file} was written by a newer custodian (schema ${state.applied} > ${state.latest}). Upgrade custodian.`, ExitCode.conflict)
    }
  } catch (error) {
    await store.close()
    throw error
  }
  return store
}

/** Creates the store file (mode 0600) if absent and migrates it to the latest schema. */
export async function createOrMigrateStore(file: string): Promise<{store: Store; created: boolean; schemaVersion: number}> {
  const created = !fs.existsSync(file)
  if (created) {
    fs.mkdirSync(path.dirname(path.resolve(file)), {recursive: true, mode: 0o700})
    // SQLite gives the -wal and -shm files the mode of the database file.
    fs.closeSync(fs.openSync(file, 'wx', 0o600))
  }
  let store: Store
  try {
    store = connect(file)
  } catch (error) {
    if (created) fs.rmSync(file, {force: true})
    throw error
  }
  try {
    const before = await migrationState(store.db)
    if (before.applied > before.latest) {
      throw new CustodianError('STORE_TOO_NEW', `The store ${file} was written by a newer custodian. Upgrade custodian.`, ExitCode.conflict)
    }
    await migrateToLatest(store.db)
    const after = await migrationState(store.db)
    return {store, created, schemaVersion: after.applied}
  } catch (error) {
    await store.close()
    if (created) for (const f of [file, `${file}-wal`, `${file}-shm`]) fs.rmSync(f, {force: true})
    throw error
  }
}

/**
 * Runs fn inside one write transaction (BEGIN IMMEDIATE: a second writer waits on the busy timeout).
 * Kysely queries and raw prepared statements inside fn share the one connection, so both are covered.
 */
export async function inTransaction<T>(store: Store, fn: () => Promise<T> | T): Promise<T> {
  store.sqlite.exec('BEGIN IMMEDIATE')
  try {
    const result = await fn()
    store.sqlite.exec('COMMIT')
    return result
  } catch (error) {
    if (store.sqlite.inTransaction) store.sqlite.exec('ROLLBACK')
    throw error
  }
}

export async function getSetting(store: Store, key: string): Promise<string | undefined> {
  const row = await store.db.selectFrom('settings').select('value').where('key', '=', key).executeTakeFirst()
  return row?.value
}

export async function putSetting(store: Store, key: string, value: string): Promise<void> {
  await store.db
    .insertInto('settings')
    .values({key, value})
    .onConflict((oc) => oc.column('key').doUpdateSet({value}))
    .execute()
}
