import {Kysely, PostgresDialect, sql} from 'kysely'
import type pg from 'pg'

import {CustodianError, ExitCode} from '../errors.js'
import type {Database} from './schema.js'
import {type PostgresStore, busyTimeoutMs} from './store.js'

/**
 * PostgreSQL engine file: a store on a PostgreSQL server, named by a `postgres://` or `postgresql://` URL
 * (libpq conventions: user, host, port, database and sslmode in the URL; the password from the URL,
 * PGPASSWORD or ~/.pgpass). One connection (a pool of one) serves every query of a command, so a
 * transaction covers all of them, as on SQLite.
 */

/** The URL without its password, for output and messages. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url)
    if (u.password) u.password = ''
    return u.toString().replace(/:@/, '@')
  } catch {
    return url.replace(/\/\/([^:/@]*):[^@]*@/, '//$1@')
  }
}

/** Host, port, database and user of a URL, with libpq's defaults. */
export function target(url: string): {host: string; port: string; database: string; user: string} {
  const u = new URL(url)
  const user = decodeURIComponent(u.username) || process.env.PGUSER || process.env.USER || ''
  return {
    host: decodeURIComponent(u.hostname) || u.searchParams.get('host') || process.env.PGHOST || 'localhost',
    port: u.port || process.env.PGPORT || '5432',
    database: decodeURIComponent(u.pathname.replace(/^\//, '')) || process.env.PGDATABASE || user,
    user,
  }
}

function unreachable(url: string, error: unknown): CustodianError {
  const t = target(url)
  const code = String((error as {code?: string})?.code ?? '')
  const why = code === '28P01' || code === '28000' ? 'the server refused the login'
    : code === '3D000' ? 'the database does not exist'
      : code === 'ECONNREFUSED' ? 'nothing answers at that address'
        : code === 'ENOTFOUND' || code === 'EAI_AGAIN' ? 'the host name is not known'
          : (error instanceof Error ? error.message : String(error)).replaceAll(new URL(url).password || '\u0000', '***')
  return new CustodianError('STORE_UNREACHABLE', `Cannot reach the PostgreSQL store: ${why} (host ${t.host}, port ${t.port}, database ${t.database}, user ${t.user}).`, ExitCode.notFound, {...t})
}

/** A lock number all custodian writers of a database take: one writer at a time, as SQLite's write lock. */
const WRITE_LOCK = 0x637573746f64 // "custod"

/** Connects; the server says who the login is. Unreachable or refused: exit 5, STORE_UNREACHABLE. */
export async function connectPostgres(url: string): Promise<PostgresStore> {
  const {default: Pg} = (await import('pg')) as unknown as {default: typeof pg}
  // Dates, numerics and 64-bit integers as the SQLite engine returns them: text and numbers, never Date objects.
  const types = {getTypeParser: (oid: number, format?: 'text' | 'binary') => (oid === 20 ? (v: string) => Number(v) : oid === 1082 || oid === 1114 || oid === 1184 ? (v: string) => v : Pg.types.getTypeParser(oid, format as 'text'))}
  const pool = new Pg.Pool({connectionString: url, max: 1, idleTimeoutMillis: 0, connectionTimeoutMillis: 10_000, types: types as pg.CustomTypesConfig})
  pool.on('error', () => {}) // a dropped idle connection is reported by the next query, not as an unhandled event
  let login: string
  try {
    const {rows} = await pool.query<{login: string}>('SELECT session_user AS login')
    login = rows[0].login
  } catch (error) {
    await pool.end().catch(() => {})
    throw unreachable(url, error)
  }
  const db = new Kysely<Database>({dialect: new PostgresDialect({pool})})
  let open = false
  let closed = false
  return {
    engine: 'postgres',
    path: redactUrl(url),
    db,
    login,
    pool,
    notices: [],
    inTransaction: () => open,
    async begin() {
      await sql`BEGIN`.execute(db)
      open = true
      // Waits for another writer as long as SQLite's busy timeout would, then STORE_BUSY (55P03), rolled back.
      await sql`SELECT set_config('lock_timeout', ${`${busyTimeoutMs()}ms`}, true)`.execute(db)
      await sql`SELECT pg_advisory_xact_lock(${WRITE_LOCK})`.execute(db)
    },
    async commit() {
      await sql`COMMIT`.execute(db)
      open = false
    },
    async rollback() {
      open = false
      await sql`ROLLBACK`.execute(db)
    },
    async close() {
      if (closed) return
      closed = true
      await db.destroy() // ends the pool
    },
  }
}

/** The rows of one statement on the store's connection (inside its transaction, if one is open): for the PostgreSQL hot paths. */
export async function pgRows<R>(store: PostgresStore, text: string, values: unknown[] = []): Promise<R[]> {
  return (await store.pool.query(text, values)).rows as R[]
}
