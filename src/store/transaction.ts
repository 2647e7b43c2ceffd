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
   * Foreign keys unchecked for this transaction (SQLite): only for a hot path whose every reference is made
   * from rows read or created inside it (a streamed import). SQLite ignores the pragma inside a transaction,
   * so it is set before BEGIN and restored after the end.
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
  const unchecked = opts.foreignKeys === false && store.engine === 'sqlite'
  if (unchecked) store.sqlite.pragma('foreign_keys = OFF')
  try {
    await store.begin()
    try {
      const result = await fn()
      await store.commit()
      return result
    } catch (error) {
      if (store.inTransaction()) await store.rollback()
      if (error instanceof Rollback) return error.value as T
      throw error
    }
  } finally {
    if (unchecked) store.sqlite.pragma('foreign_keys = ON')
  }
}
