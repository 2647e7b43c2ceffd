import type {Store} from '../store/index.js'

/** The accounts and sign_ins tables, for the account use cases (the import's statements are in import.ts). */

export interface AccountRow {
  id: number
  user_id: string
  name: string
  email: string
  department: string | null
  employee_id: string | null
  last_access: string
  sign_ins: number
}

function selectAccounts(store: Store) {
  return store.db.selectFrom('accounts as a')
    .select((eb) => ['a.id', 'a.user_id', 'a.name', 'a.email', 'a.department', 'a.employee_id', 'a.last_access',
      eb.selectFrom('sign_ins as s').select((e) => e.fn.countAll<number>().as('n')).whereRef('s.account_ref', '=', 'a.id').as('sign_ins')])
}

const counted = (r: Omit<AccountRow, 'sign_ins'> & {sign_ins: unknown}): AccountRow => ({...r, sign_ins: Number(r.sign_ins ?? 0)})

export async function accountByUserId(store: Store, userId: string): Promise<AccountRow | undefined> {
  const row = await selectAccounts(store).where('a.user_id', '=', userId).executeTakeFirst()
  return row && counted(row)
}

/** Every account, by user id; `lastAccessBefore`: only those whose last sign-in is before that date (UTC). */
export async function accountRows(store: Store, filter: {lastAccessBefore?: string}): Promise<AccountRow[]> {
  let q = selectAccounts(store)
  if (filter.lastAccessBefore !== undefined) q = q.where('a.last_access', '<', filter.lastAccessBefore)
  return (await q.orderBy('a.user_id').execute()).map(counted)
}

/** Sets one field of an account the individual may have amended (name, email, department). */
export async function updateAccountField(store: Store, id: number, field: 'name' | 'email' | 'department', value: string | null, at: string): Promise<void> {
  await store.db.updateTable('accounts').set({[field]: value, updated_at: at}).where('id', '=', id).execute()
}
