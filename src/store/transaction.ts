import type {Store} from './store.js'

/**
 * Thrown inside `inTransaction` to end the transaction with no change and return `value` (a dry run, or an
 * import that --strict refuses but still reports on).
 */
export class Rollback<T> {
  constructor(readonly value: T) {}
}

export interface TransactionOptions {
  /**
   * Foreign keys unchecked for this transaction: only for a hot path whose every reference is made from rows
   * read or created inside it (a streamed import). SQLite ignores the pragma inside a transaction, so it is
   * set before BEGIN and restored after the end.
   */
  foreignKeys?: false
}

/**
 * The one way custodian writes: fn runs inside one write transaction (BEGIN IMMEDIATE: a second writer waits
 * on the busy timeout, then gets STORE_BUSY). Kysely queries and raw prepared statements inside fn share the
 * one connection, so both are covered. Any error rolls everything back; `throw new Rollback(value)` rolls back
 * and returns value. Audit entries (audit/chain.ts) refuse to be written outside such a transaction.
 */
export async function inTransaction<T>(store: Store, fn: () => Promise<T> | T, opts: TransactionOptions = {}): Promise<T> {
  const db = store.sqlite
  if (opts.foreignKeys === false) db.pragma('foreign_keys = OFF')
  try {
    db.exec('BEGIN IMMEDIATE')
    try {
      const result = await fn()
      db.exec('COMMIT')
      return result
    } catch (error) {
      if (db.inTransaction) db.exec('ROLLBACK')
      if (error instanceof Rollback) return error.value as T
      throw error
    }
  } finally {
    if (opts.foreignKeys === false) db.pragma('foreign_keys = ON')
  }
}
