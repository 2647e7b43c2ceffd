import type {ImportKind, RowHandler, RowIssue} from '../imports/engine.js'
import type {Store} from '../store/index.js'
import {sqliteOf} from '../store/store.js'
import {type AccountCode, SIGN_IN_COLUMNS, type SignInRow, type SignInValues, checkSignInRow, toSignInValues} from './checks.js'
import {postgresAccountsData} from './import-postgres.js'

/** An account as the import needs it: its surrogate id and its last access. */
export interface StoredAccount {
  id: number
  lastAccess: string
}

/** What the sign-in import asks of the store, inside the import's transaction: one implementation per engine. */
export interface AccountsImportData {
  account(userId: string): StoredAccount | undefined | Promise<StoredAccount | undefined>
  /** The batch that stored the account's sign-in at that instant; undefined when none is stored. */
  signInBatch(accountRef: number, at: string): number | undefined | Promise<number | undefined>
  employeeExists(employeeId: string): boolean | Promise<boolean>
  /** Inserts the account (its last access is the sign-in's time); its surrogate id. */
  insertAccount(v: SignInValues, now: string): number | Promise<number>
  /** The row is the account's latest sign-in: who the user is and their last access come from it. */
  updateAccount(id: number, v: SignInValues, now: string): void | Promise<void>
  insertSignIn(accountRef: number, v: SignInValues, batchId: number): void | Promise<void>
}

export const accountsImport: ImportKind = {
  kind: 'accounts',
  columns: SIGN_IN_COLUMNS,
  begin({store, batchId, today, now}) {
    const data = store.engine === 'postgres' ? postgresAccountsData(store) : sqliteAccountsData(store)
    return new SignInRows(data, batchId, today, now)
  },
}

/** Prepared statements on the store's one connection (the import hot path). */
function sqliteAccountsData(store: Store): AccountsImportData {
  const db = sqliteOf(store, 'accounts import')
  const byUser = db.prepare('SELECT id, last_access AS lastAccess FROM accounts WHERE user_id = ?')
  const signIn = db.prepare('SELECT batch_id FROM sign_ins WHERE account_ref = ? AND signed_in_at = ?').pluck()
  const employee = db.prepare('SELECT 1 FROM employees WHERE employee_id = ?').pluck()
  const insertAccount = db.prepare(`INSERT INTO accounts (user_id, name, email, department, user_role, employee_id, last_access, created_at, updated_at)
    VALUES (@userId, @name, @email, @department, @userRole, @employeeId, @signedInAt, @now, @now)`)
  const updateAccount = db.prepare(`UPDATE accounts SET name = @name, email = @email, department = @department, user_role = @userRole,
    employee_id = @employeeId, last_access = @signedInAt, updated_at = @now WHERE id = @id`)
  const insertSignIn = db.prepare('INSERT INTO sign_ins (account_ref, signed_in_at, ip_address, application, batch_id) VALUES (?, ?, ?, ?, ?)')
  return {
    account: (userId) => byUser.get(userId) as StoredAccount | undefined,
    signInBatch: (ref, at) => signIn.get(ref, at) as number | undefined,
    employeeExists: (id) => employee.get(id) !== undefined,
    insertAccount: (v, now) => Number(insertAccount.run({...v, now}).lastInsertRowid),
    updateAccount(id, v, now) {
      updateAccount.run({...v, id, now})
    },
    insertSignIn(ref, v, batchId) {
      insertSignIn.run(ref, v.signedInAt, v.ipAddress, v.application, batchId)
    },
  }
}

/**
 * How many accounts the import keeps in memory before it writes their latest sign-in and forgets them: a few
 * MB at most, and more than the users of a large agency's daily log, so most files are written once per account.
 */
const ACCOUNTS_HELD = 50_000

/**
 * Checks and stores sign-ins one at a time, in file order; each upserts its account. A log names the same users
 * over and over: the import remembers up to ACCOUNTS_HELD accounts (their id and last access) and writes an
 * account's latest sign-in once when it forgets them (and at the end), not once per row. Memory stays bounded
 * whatever the file's length.
 */
class SignInRows implements RowHandler {
  /** Whether each employee_id seen is in the store (a log names few employees, many times). */
  private readonly employees = new Map<string, boolean>()
  /** Accounts read or created by this import, by user id. */
  private readonly accounts = new Map<string, StoredAccount>()
  /** Accounts whose latest sign-in is newer than the stored one: the row to write. */
  private readonly pending = new Map<number, SignInValues>()

  constructor(private readonly data: AccountsImportData, private readonly batchId: number, private readonly today: string, private readonly now: string) {}

  async handle(row: number, values: Record<string, string>) {
    const errors: RowIssue[] = checkSignInRow(values as SignInRow, this.today).map((f) => ({row, column: f.column, code: f.code, message: f.message}))
    const warnings: RowIssue[] = []
    if (errors.length > 0) return {errors, warnings}

    const v = toSignInValues(values as SignInRow)
    let stored = this.accounts.get(v.userId)
    if (!stored) {
      stored = await this.data.account(v.userId)
      if (stored) this.remember(v.userId, stored)
    }
    // A sign-in after the account's last access cannot be stored yet: only an earlier or equal time is looked up.
    if (stored && v.signedInAt <= stored.lastAccess) {
      const batch = await this.data.signInBatch(stored.id, v.signedInAt)
      if (batch !== undefined) {
        const where = batch === this.batchId ? 'earlier in this file' : `already stored (import batch ${batch})`
        errors.push({row, column: 'signed_in_at', code: 'AA-DUP-ROW' satisfies AccountCode, message: `a sign-in of ${v.userId} at ${v.signedInAt} is ${where}.`})
        return {errors, warnings}
      }
    }
    if (v.employeeId !== null) {
      let known = this.employees.get(v.employeeId)
      if (known === undefined) this.employees.set(v.employeeId, (known = await this.data.employeeExists(v.employeeId)))
      if (!known) warnings.push({row, column: 'employee_id', code: 'AA-EMPLOYEE' satisfies AccountCode, message: `employee_id ${v.employeeId} is not an employee in the store; the sign-in was stored.`})
    }
    if (!stored) {
      stored = {id: await this.data.insertAccount(v, this.now), lastAccess: v.signedInAt}
      this.remember(v.userId, stored)
    } else if (v.signedInAt > stored.lastAccess) {
      // The latest sign-in seen says who the user is now; an older one only adds to the log.
      stored.lastAccess = v.signedInAt
      this.pending.set(stored.id, v)
    }
    await this.data.insertSignIn(stored.id, v, this.batchId)
    if (this.accounts.size >= ACCOUNTS_HELD) await this.flush()
    return {errors, warnings, stored: 'inserted' as const}
  }

  private remember(userId: string, account: StoredAccount): void {
    this.accounts.set(userId, account)
  }

  /** Writes every pending account's latest sign-in, and forgets the accounts. */
  private async flush(): Promise<void> {
    for (const [id, v] of this.pending) await this.data.updateAccount(id, v, this.now)
    this.pending.clear()
    this.accounts.clear()
  }

  async finish(): Promise<RowIssue[]> {
    await this.flush()
    return []
  }
}
