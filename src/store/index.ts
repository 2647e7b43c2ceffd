import type BetterSqlite3 from 'better-sqlite3'
import {Kysely, SqliteDialect, sql} from 'kysely'
import fs from 'node:fs'
import {createRequire} from 'node:module'
import path from 'node:path'

import {CustodianError, ExitCode, conflict, notFound} from '../errors.js'
import {finishPendingCompaction} from './compact.js'
import {type MigrationState, migrateToLatest, migrationState} from './migrate.js'
import {recoverOutputs} from './outputs.js'
import type {Database} from './schema.js'
import {type SqliteStore, type Store, busyTimeoutMs, isPostgresUrl} from './store.js'

export type {Database} from './schema.js'
export type {PostgresStore, SqliteStore, Store} from './store.js'
export {isPostgresUrl, sqliteOf} from './store.js'

// Required rather than imported: an ES module importing a CommonJS one makes Node scan its source for
// export names first, time lost at every command start.
const Sqlite = createRequire(import.meta.url)('better-sqlite3') as typeof BetterSqlite3


const errorCode = (error: unknown) => String((error as {code?: string})?.code ?? '')

function storeReadOnly(file: string): CustodianError {
  return notFound('STORE_READ_ONLY', `The store ${file} (or its folder) is read-only for you, and every custodian command writes to it (the audit trail at least). `
    + `Run custodian as the store's owner, or give yourself write access to the file and its folder (chmod 600 ${file}).`, {db: file})
}

function foreignFile(file: string, why: string): CustodianError {
  return conflict('FOREIGN_DATABASE', `${file} is not a custodian store (${why}); custodian does not change it. Choose a new path for the store.`, {db: file})
}

function writable(p: string): boolean {
  try {
    fs.accessSync(p, fs.constants.W_OK)
    return true
  } catch {
    return false
  }
}

/**
 * Opens the file as a store. Nothing in a file that is not a custodian store is changed: its tables are looked
 * at before anything persistent (WAL mode) is set. `init` may also open an empty database.
 */
function connect(file: string, purpose: 'open' | 'init'): SqliteStore {
  let sqlite: BetterSqlite3.Database
  let tables: string[]
  try {
    sqlite = new Sqlite(file, {fileMustExist: true})
  } catch (error) {
    throw storeUnreadable(file, error)
  }
  const fail = (error: CustodianError): never => {
    sqlite.close()
    throw error
  }
  try {
    // Wait for another process's write transaction instead of failing at once.
    sqlite.pragma(`busy_timeout = ${busyTimeoutMs()}`)
    tables = sqlite.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").pluck().all() as string[]
  } catch (error) {
    const code = errorCode(error)
    if (purpose === 'init' && code === 'SQLITE_NOTADB') fail(foreignFile(file, 'it is not a SQLite database'))
    fail(code.startsWith('SQLITE_READONLY') || (code.startsWith('SQLITE_CANTOPEN') && !writable(path.dirname(path.resolve(file)))) ? storeReadOnly(file) : storeUnreadable(file, error))
  }
  if (!tables!.includes('kysely_migration')) {
    if (purpose === 'open') fail(storeUnreadable(file, new Error('it has no custodian schema')))
    if (tables!.length > 0) {
      fail(foreignFile(file, `it is a database of something else: ${tables!.length} table${tables!.length === 1 ? '' : 's'}, none of them custodian's`))
    }
  }
  if (sqlite!.readonly || !writable(file) || !writable(path.dirname(path.resolve(file)))) fail(storeReadOnly(file))
  const notices: string[] = []
  try {
    sqlite!.pragma('journal_mode = WAL')
    sqlite!.pragma('synchronous = FULL')
    sqlite!.pragma('foreign_keys = ON')
    // Deleted content is overwritten with zeros, so destroyed personal data leaves no bytes behind.
    sqlite!.pragma('secure_delete = ON')
  } catch (error) {
    fail(errorCode(error).startsWith('SQLITE_READONLY') ? storeReadOnly(file) : storeUnreadable(file, error))
  }
  notices.push(...guardModes(file))
  const db = new Kysely<Database>({dialect: new SqliteDialect({database: sqlite!})})
  let closed = false
  const connection = sqlite!
  return {
    engine: 'sqlite',
    path: file,
    sqlite: connection,
    db,
    notices,
    inTransaction: () => connection.inTransaction,
    async begin() {
      connection.exec('BEGIN IMMEDIATE')
    },
    async commit() {
      connection.exec('COMMIT')
    },
    async rollback() {
      connection.exec('ROLLBACK')
    },
    async close() {
      if (closed) return
      closed = true
      await db.destroy() // closes the better-sqlite3 connection too
    },
  }
}

/**
 * Personal data stays with the store's owner: a store readable by group or others gets a warning (its mode is
 * the owner's choice), and its -wal/-shm, which SQLite creates with the store's mode, are kept at 0600.
 */
function guardModes(file: string): string[] {
  const mode = fs.statSync(file).mode & 0o777
  for (const side of [`${file}-wal`, `${file}-shm`]) {
    try {
      if ((fs.statSync(side).mode & 0o077) !== 0) fs.chmodSync(side, 0o600)
    } catch {
      // Absent, or not ours to change.
    }
  }
  if ((mode & 0o077) === 0) return []
  return [`the store ${file} has mode ${mode.toString(8).padStart(4, '0')}: people other than its owner may read personal data in it. Run: chmod 600 ${file}`]
}

/** A store whose schema is older or newer than this custodian is refused (`db`: how the store is named in the hint). */
function assertCurrentSchema(state: MigrationState, name: string, db: string): void {
  if (state.applied < state.latest) {
    throw new CustodianError('STORE_OUTDATED', `The store ${name} has schema ${state.applied}; this custodian needs ${state.latest}. Run: custodian init --db ${db}`, ExitCode.conflict)
  }
  if (state.applied > state.latest) {
    throw new CustodianError('STORE_TOO_NEW', `The store ${name} was written by a newer custodian (schema ${state.applied} > ${state.latest}). Upgrade custodian.`, ExitCode.conflict)
  }
}

/** Before migrating: a store written by a newer custodian is left as it is. */
function assertNotTooNew(state: MigrationState, name: string): void {
  if (state.applied > state.latest) throw new CustodianError('STORE_TOO_NEW', `The store ${name} was written by a newer custodian. Upgrade custodian.`, ExitCode.conflict)
}

function storeUnreadable(file: string, error: unknown): CustodianError {
  const reason = error instanceof Error ? error.message : String(error)
  return new CustodianError('STORE_UNREADABLE', `${file} is not a readable custodian store (${reason}).`, ExitCode.notFound)
}

/**
 * Opens an existing store, refusing one whose schema is older or newer than this custodian, and finishes
 * what a crashed command left beside it (files to put in place or remove, a compaction after a disposal).
 */
export async function openStore(file: string): Promise<Store> {
  if (isPostgresUrl(file)) return openPostgresStore(file)
  if (!fs.existsSync(file)) {
    throw notFound('STORE_NOT_FOUND', `No store at ${file}. Create one with: custodian init --db ${file}`, {db: file})
  }
  const store = connect(file, 'open')
  try {
    const state = await migrationState(store.db).catch((error) => {
      throw storeUnreadable(file, error)
    })
    if (state.applied === 0) throw storeUnreadable(file, new Error('it has no custodian schema'))
    assertCurrentSchema(state, file, file)
    store.notices.push(...(await finishLeftovers(store)))
  } catch (error) {
    await store.close()
    throw error
  }
  return store
}

/** What a crashed command left, finished; sentences for the operator. */
async function finishLeftovers(store: Store): Promise<string[]> {
  const notices: string[] = []
  const recovered = await recoverOutputs(store)
  for (const f of recovered.finished) notices.push(`put in place ${f}, written by a command that stopped after its work was committed.`)
  if (recovered.removed.length > 0) notices.push(`removed ${recovered.removed.length} temp file(s) of a command that stopped before its work was committed.`)
  for (const f of recovered.failed) notices.push(`could not put in place ${f.target} (${f.reason}); its temp file was removed.`)
  const compaction = await finishPendingCompaction(store)
  if (compaction?.compacted) notices.push(`finished compacting the store after disposal ${compaction.disposalId}, which a crash or a full disk had left pending.`)
  else if (compaction) notices.push(`the compaction after disposal ${compaction.disposalId} is still pending (${compaction.reason}); bytes of destroyed records may remain in the store's files. Run: custodian doctor`)
  return notices
}

/** Creates the store file (mode 0600) if absent and migrates it to the latest schema. */
export async function createOrMigrateStore(file: string): Promise<{store: Store; created: boolean; schemaVersion: number}> {
  if (isPostgresUrl(file)) return createOrMigratePostgres(file)
  const created = !fs.existsSync(file)
  if (created) {
    fs.mkdirSync(path.dirname(path.resolve(file)), {recursive: true, mode: 0o700})
    // SQLite gives the -wal and -shm files the mode of the database file.
    fs.closeSync(fs.openSync(file, 'wx', 0o600))
  }
  let store: Store
  try {
    store = connect(file, 'init')
  } catch (error) {
    if (created) fs.rmSync(file, {force: true})
    throw error
  }
  try {
    assertNotTooNew(await migrationState(store.db), file)
    await migrateToLatest(store.db)
    const after = await migrationState(store.db)
    return {store, created, schemaVersion: after.applied}
  } catch (error) {
    await store.close()
    if (created) for (const f of [file, `${file}-wal`, `${file}-shm`]) fs.rmSync(f, {force: true})
    throw error
  }
}

export {Rollback, inTransaction} from './transaction.js'


/** The PostgreSQL engine, loaded only for a URL: a SQLite command's start-up does not pay for it. */
const connectPostgres = async (url: string) => (await import('./postgres.js')).connectPostgres(url)

/** The schema version of a PostgreSQL store, checked as openStore checks a file's. */
async function openPostgresStore(url: string): Promise<Store> {
  const store = await connectPostgres(url)
  try {
    const state = await migrationState(store.db)
    if (state.applied === 0 && (await storeHiddenFromLogin(store))) {
      throw new CustodianError('UNKNOWN_OPERATOR', `The login "${store.login}" has no custodian role in the store ${store.path}, so the server lets it read nothing there. An admin can add it with: custodian operators add ${store.login} --role <role>`, ExitCode.notPermitted, {operator: store.login})
    }
    if (state.applied === 0) throw notFound('STORE_NOT_FOUND', `No custodian store in ${store.path}. Create one with: custodian init --db <url>`, {db: store.path})
    assertCurrentSchema(state, store.path, '<url>')
    store.notices.push(...(await finishLeftovers(store)))
  } catch (error) {
    await store.close()
    throw error
  }
  return store
}

/** Whether the database has a store the login may not read (the server enforces custodian's roles). */
async function storeHiddenFromLogin(store: Store): Promise<boolean> {
  const {rows} = await sql<{hidden: boolean}>`SELECT to_regclass('kysely_migration') IS NOT NULL AND NOT has_table_privilege('kysely_migration', 'SELECT') AS hidden`.execute(store.db)
  return rows[0]?.hidden === true
}

/**
 * Whether the login owns a PostgreSQL store (the DBA who made it, or a superuser): only it may change the
 * store's functions, grants and policies. A SQLite file's opener always may.
 */
export async function ownsStore(store: Store): Promise<boolean> {
  if (store.engine === 'sqlite') return true
  const {rows} = await sql<{owns: boolean}>`SELECT (SELECT rolsuper FROM pg_roles WHERE rolname = current_user)
      OR coalesce((SELECT pg_has_role(current_user, tableowner, 'USAGE') FROM pg_tables WHERE schemaname = current_schema() AND tablename = 'kysely_migration'), true) AS owns`.execute(store.db)
  return rows[0].owns
}

/** Migrates a PostgreSQL database to the latest schema; a database holding something else is left alone. */
async function createOrMigratePostgres(url: string): Promise<{store: Store; created: boolean; schemaVersion: number}> {
  const store = await connectPostgres(url)
  try {
    const {rows} = await sql<{name: string}>`SELECT table_name AS name FROM information_schema.tables WHERE table_schema = current_schema()`.execute(store.db)
    const tables = rows.map((r) => r.name)
    if (tables.length > 0 && !tables.includes('kysely_migration')) {
      throw conflict('FOREIGN_DATABASE', `${store.path} is a database of something else (${tables.length} table${tables.length === 1 ? '' : 's'}, none of them custodian's); custodian does not change it. Choose a new database for the store.`, {db: store.path})
    }
    const before = await migrationState(store.db)
    assertNotTooNew(before, store.path)
    // Nothing to migrate needs no lock and no privilege: anyone may run init on a current store, as on SQLite.
    if (before.applied < before.latest) {
      const {PostgresMigrationPlugin} = await import('./postgres-migrations.js')
      await migrateToLatest(store.db.withPlugin(new PostgresMigrationPlugin()))
    }
    if (await ownsStore(store)) await (await import('./postgres-disposal.js')).installDisposalFunctions(store)
    const after = await migrationState(store.db)
    return {store, created: before.applied === 0, schemaVersion: after.applied}
  } catch (error) {
    await store.close()
    throw error
  }
}


/** Every stored setting (key → value). */
export async function allSettings(store: Store): Promise<Map<string, string>> {
  return new Map((await store.db.selectFrom('settings').selectAll().execute()).map((r) => [r.key, r.value]))
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
