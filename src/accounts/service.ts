import {type Operator, authorize} from '../auth/roles.js'
import {appendAudit, sha256} from '../audit/chain.js'
import {notFound} from '../errors.js'
import {account as accountRecord} from '../records/types/index.js'
import {type Store, inTransaction} from '../store/index.js'
import {type AccountRow, accountByUserId, accountRows} from './queries.js'

/** An account as shown (CLI.md, accounts show): `signIns` is how many sign-ins are stored, `lastAccess` ISO-8601 UTC. */
export interface AccountView {
  userId: string
  name: string
  email: string
  department: string | null
  employeeId: string | null
  lastAccess: string
  signIns: number
}

const toView = (r: AccountRow): AccountView => ({
  userId: r.user_id, name: r.name, email: r.email, department: r.department, employeeId: r.employee_id, lastAccess: r.last_access, signIns: r.sign_ins,
})

/** One account by its user id (any case); unknown: exit 5. */
export async function showAccount(store: Store, operator: Operator, userId: string): Promise<AccountView> {
  authorize(operator, 'accounts.show')
  const wanted = userId.trim().toLowerCase()
  const row = await accountByUserId(store, wanted)
  if (!row) throw notFound('ACCOUNT_NOT_FOUND', `No account ${wanted}. List them with: custodian accounts list`, {userId: wanted})
  await inTransaction(store, () => appendAudit(store, operator.name, {action: 'accounts.show', recordType: accountRecord.type, recordId: row.id}))
  return toView(row)
}

/** Every account, or those with no sign-in on or after `inactiveSince` (a civil date, UTC). */
export async function listAccounts(store: Store, operator: Operator, filter: {inactiveSince?: string}): Promise<AccountView[]> {
  authorize(operator, 'accounts.list')
  const rows = await accountRows(store, {lastAccessBefore: filter.inactiveSince})
  await inTransaction(store, () =>
    appendAudit(store, operator.name, {action: 'accounts.list', recordType: accountRecord.type, digest: sha256(rows.map((r) => r.id).join(','))}))
  return rows.map(toView)
}
