import type {ImportKind, RowHandler, RowIssue} from '../imports/engine.js'
import type {Store} from '../store/index.js'
import {type AccountCode, SIGN_IN_COLUMNS, type SignInRow, type SignInValues, checkSignInRow, toSignInValues} from './checks.js'
import {ACCOUNTS_HELD, type StoredAccount, duplicateMessage, employeeMessage} from './import.js'

/**
 * PostgreSQL engine file: the sign-in import row by row (the engine reads the file), one statement per
 * question, inside the import's transaction. (SQLite: import.ts.)
 */
export const accountsImportPostgres: ImportKind = {
  kind: 'accounts',
  columns: SIGN_IN_COLUMNS,
  begin({store, batchId, today, now}) {
    return new SignInRows(postgresAccountsData(store), batchId, today, now)
  },
}

type PostgresAccountsData = ReturnType<typeof postgresAccountsData>

function postgresAccountsData(store: Store) {
  const {db} = store
  const accountColumns = (v: SignInValues, now: string) => ({
    name: v.name, email: v.email, department: v.department, user_role: v.userRole, employee_id: v.employeeId, last_access: v.signedInAt, updated_at: now,
  })
  return {
    async account(userId: string): Promise<StoredAccount | undefined> {
      const row = await db.selectFrom('accounts').select(['id', 'last_access']).where('user_id', '=', userId).executeTakeFirst()
      return row && {id: row.id, lastAccess: row.last_access}
    },
    /** The batch that stored the account's sign-in at that instant; undefined when none is stored. */
    async signInBatch(ref: number, at: string): Promise<number | undefined> {
      const row = await db.selectFrom('sign_ins').select('batch_id').where('account_ref', '=', ref).where('signed_in_at', '=', at).executeTakeFirst()
      return row?.batch_id
    },
    async employeeExists(id: string): Promise<boolean> {
      return (await db.selectFrom('employees').select('id').where('employee_id', '=', id).executeTakeFirst()) !== undefined
    },
    /** Inserts the account (its last access is the sign-in's time); its surrogate id. */
    async insertAccount(v: SignInValues, now: string): Promise<number> {
      const {id} = await db.insertInto('accounts').values({user_id: v.userId, ...accountColumns(v, now), created_at: now}).returning('id').executeTakeFirstOrThrow()
      return id
    },
    /** The row is the account's latest sign-in: who the user is and their last access come from it. */
    async updateAccount(id: number, v: SignInValues, now: string): Promise<void> {
      await db.updateTable('accounts').set(accountColumns(v, now)).where('id', '=', id).execute()
    },
    async insertSignIn(ref: number, v: SignInValues, batchId: number): Promise<void> {
      await db.insertInto('sign_ins').values({account_ref: ref, signed_in_at: v.signedInAt, ip_address: v.ipAddress, application: v.application, batch_id: batchId}).execute()
    },
  }
}

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

  constructor(private readonly data: PostgresAccountsData, private readonly batchId: number, private readonly today: string, private readonly now: string) {}

  async handle(row: number, values: Record<string, string>) {
    const errors: RowIssue[] = checkSignInRow(values as SignInRow, this.today).map((f) => ({row, column: f.column, code: f.code, message: f.message}))
    const warnings: RowIssue[] = []
    if (errors.length > 0) return {errors, warnings}

    const v = toSignInValues(values as SignInRow)
    let stored = this.accounts.get(v.userId)
    if (!stored) {
      stored = await this.data.account(v.userId)
      if (stored) this.accounts.set(v.userId, stored)
    }
    // A sign-in after the account's last access cannot be stored yet: only an earlier or equal time is looked up.
    if (stored && v.signedInAt <= stored.lastAccess) {
      const batch = await this.data.signInBatch(stored.id, v.signedInAt)
      if (batch !== undefined) {
        errors.push({row, column: 'signed_in_at', code: 'AA-DUP-ROW' satisfies AccountCode, message: duplicateMessage(v.userId, v.signedInAt, batch, this.batchId)})
        return {errors, warnings}
      }
    }
    if (v.employeeId !== null) {
      let known = this.employees.get(v.employeeId)
      if (known === undefined) this.employees.set(v.employeeId, (known = await this.data.employeeExists(v.employeeId)))
      if (!known) warnings.push({row, column: 'employee_id', code: 'AA-EMPLOYEE' satisfies AccountCode, message: employeeMessage(v.employeeId)})
    }
    if (!stored) {
      stored = {id: await this.data.insertAccount(v, this.now), lastAccess: v.signedInAt}
      this.accounts.set(v.userId, stored)
    } else if (v.signedInAt > stored.lastAccess) {
      // The latest sign-in seen says who the user is now; an older one only adds to the log.
      stored.lastAccess = v.signedInAt
      this.pending.set(stored.id, v)
    }
    await this.data.insertSignIn(stored.id, v, this.batchId)
    if (this.accounts.size >= ACCOUNTS_HELD) await this.flush()
    return {errors, warnings, stored: 'inserted' as const}
  }

  /** Writes every pending account's latest sign-in, and forgets the accounts. */
  private async flush(): Promise<void> {
    for (const [id, v] of this.pending) await this.data.updateAccount(id, v, this.now)
    this.pending.clear()
    this.accounts.clear()
    if (this.employees.size >= ACCOUNTS_HELD) this.employees.clear()
  }

  async finish(): Promise<RowIssue[]> {
    await this.flush()
    return []
  }
}
