import type {Store} from '../store/index.js'
import type {AccountsImportData} from './import.js'

/**
 * PostgreSQL engine file: the sign-in import's data side, one statement per question, inside the import's
 * transaction.
 */
export function postgresAccountsData(store: Store): AccountsImportData {
  const {db} = store
  const accountColumns = (v: Parameters<AccountsImportData['insertAccount']>[0], now: string) => ({
    name: v.name, email: v.email, department: v.department, user_role: v.userRole, employee_id: v.employeeId, last_access: v.signedInAt, updated_at: now,
  })
  return {
    async account(userId) {
      const row = await db.selectFrom('accounts').select(['id', 'last_access']).where('user_id', '=', userId).executeTakeFirst()
      return row && {id: row.id, lastAccess: row.last_access}
    },
    async signInBatch(ref, at) {
      const row = await db.selectFrom('sign_ins').select('batch_id').where('account_ref', '=', ref).where('signed_in_at', '=', at).executeTakeFirst()
      return row?.batch_id
    },
    async employeeExists(id) {
      return (await db.selectFrom('employees').select('id').where('employee_id', '=', id).executeTakeFirst()) !== undefined
    },
    async insertAccount(v, now) {
      const {id} = await db.insertInto('accounts').values({user_id: v.userId, ...accountColumns(v, now), created_at: now}).returning('id').executeTakeFirstOrThrow()
      return id
    },
    async updateAccount(id, v, now) {
      await db.updateTable('accounts').set(accountColumns(v, now)).where('id', '=', id).execute()
    },
    async insertSignIn(ref, v, batchId) {
      await db.insertInto('sign_ins').values({account_ref: ref, signed_in_at: v.signedInAt, ip_address: v.ipAddress, application: v.application, batch_id: batchId}).execute()
    },
  }
}
