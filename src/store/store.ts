import type BetterSqlite3 from 'better-sqlite3'
import type {Kysely} from 'kysely'
import type pg from 'pg'

import {CustodianError, ExitCode} from '../errors.js'
import type {Database} from './schema.js'

interface StoreBase {
  /** The store as people name it: a file path, or a PostgreSQL URL without its password. */
  path: string
  db: Kysely<Database>
  /** What the operator should know about the store itself (loose permissions, work finished after a crash). */
  notices: string[]
  /** The key file (store/keyfile.ts) the command was given: what reads or writes an SSN needs it (store/ssn-vault.ts). */
  keyFile?: string
  /** Whether a write transaction (store/transaction.ts) is open on the store's one connection. */
  inTransaction(): boolean
  /** The engine's own BEGIN (a write lock taken at once, waiting for another writer), COMMIT and ROLLBACK: for store/transaction.ts only. */
  begin(): Promise<void>
  commit(): Promise<void>
  rollback(): Promise<void>
  close(): Promise<void>
}

/** A SQLite file: one connection, shared by Kysely and the prepared-statement hot paths. */
export interface SqliteStore extends StoreBase {
  engine: 'sqlite'
  sqlite: BetterSqlite3.Database
}

/** A PostgreSQL database: one connection (a pool of one), so a transaction covers every query made in it. */
export interface PostgresStore extends StoreBase {
  engine: 'postgres'
  /** The connection's authenticated login (session_user): on PostgreSQL, the operator. */
  login: string
  /** The pool of one behind `db`: a hot path takes its one client (COPY) between Kysely's queries. */
  pool: pg.Pool
}

/** How long a writer waits for another before STORE_BUSY (both engines). */
export const busyTimeoutMs = (): number => Number(process.env.CUSTODIAN_BUSY_TIMEOUT_MS ?? 120_000)

/** An open store: what store/index.ts opens and every domain module works through. */
export type Store = SqliteStore | PostgresStore

/**
 * The SQLite connection of a store, for a step that has only a SQLite implementation so far; on PostgreSQL
 * it refuses with a clear error before anything is changed.
 */
export function sqliteOf(store: Store, what = 'this command'): BetterSqlite3.Database {
  if (store.engine === 'sqlite') return store.sqlite
  throw new CustodianError('ENGINE_UNSUPPORTED', `${what[0].toUpperCase()}${what.slice(1)} does not run on a PostgreSQL store yet; nothing was changed. Use a SQLite store for it.`, ExitCode.usage, {engine: 'postgres'})
}

/** A `postgres://` or `postgresql://` URL names a PostgreSQL store; anything else is a SQLite file. */
export const isPostgresUrl = (spec: string): boolean => /^postgres(ql)?:\/\//i.test(spec.trim())
