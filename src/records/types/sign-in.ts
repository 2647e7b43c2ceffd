import {allRows, defineRecordType, destroyWith} from '../kit.js'
import {accountSubjects} from './account.js'

/** One sign-in to an information system (USPS 550.000 security analytics records: time, IP address, application). */
export const signIn = defineRecordType({
  type: 'sign_in',
  title: 'sign-in event (time, IP address, application)',
  system: 'USPS-550.000',
  noun: ['record of a sign-in', 'records of sign-ins'],
  tables: ['sign_ins'],
  retrievedBy: ['user id', 'employee_id'],
  schedule: 'USPS-550.000-SIGN-IN',
  afterGone: [],
  async candidates(store) {
    const rows = await allRows<[number, string, string, string | null]>(store,
      'SELECT s.id, s.signed_in_at, a.user_id, a.employee_id FROM sign_ins s JOIN accounts a ON a.id = s.account_ref')
    return rows.map(([id, at, userId, employeeId]) => ({id, trigger: at.slice(0, 10), subjects: accountSubjects(userId, employeeId)}))
  },
  async destroy(store, ids) {
    await destroyWith(store, 'sign_ins', [], ids)
  },
  refOf: (record) => String(record.id),
  async find(store, employeeIds) {
    if (employeeIds.length === 0) return []
    const ids = employeeIds.map((e) => e.toUpperCase())
    return store.db.selectFrom('sign_ins as s').innerJoin('accounts as a', 'a.id', 's.account_ref')
      .select(['s.id', 'a.user_id', 'a.employee_id', 's.signed_in_at', 's.ip_address', 's.application', 's.batch_id'])
      .where('a.employee_id', 'in', ids).orderBy('a.user_id').orderBy('s.signed_in_at').execute()
  },})
