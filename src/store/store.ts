import type BetterSqlite3 from 'better-sqlite3'
import type {Kysely} from 'kysely'

import type {Database} from './schema.js'

/** An open store: what store/index.ts opens and every domain module works through. */
export interface Store {
  path: string
  /** The raw connection, for prepared-statement hot paths (imports). Same connection as `db`. */
  sqlite: BetterSqlite3.Database
  db: Kysely<Database>
  /** What the operator should know about the store itself (loose permissions, work finished after a crash). */
  notices: string[]
  close(): Promise<void>
}
