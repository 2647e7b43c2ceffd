import {defineRecordType, destroyWith, eachRow, noSubject} from '../kit.js'
import {accountSubjects, accountsOf} from './account.js'

/** One sign-in to an information system (USPS 550.000 security analytics records: time, IP address, application). */
export const signIn = defineRecordType({
  type: 'sign_in',
  title: 'sign-in event (time, IP address, application)',
  system: 'USPS-550.000',
  noun: ['record of a sign-in', 'records of sign-ins'],
  tables: ['sign_ins'],
  retrievedBy: ['user id', 'email', 'employee_id'],
  schedule: 'USPS-550.000-SIGN-IN',
  afterGone: [],
  async candidates(store, visit) {
    await eachRow<[number, string, string, string | null]>(store,
      'SELECT s.id, s.signed_in_at, a.user_id, a.employee_id FROM sign_ins s JOIN accounts a ON a.id = s.account_ref',
      ([id, at, userId, employeeId]) => visit({id, trigger: at.slice(0, 10), subjects: accountSubjects(userId, employeeId)}))
  },
  async destroy(store, ids) {
    await destroyWith(store, 'sign_ins', [], ids)
  },
  refOf: (record) => String(record.id),
  async find(store, subject) {
    if (noSubject(subject)) return []
    return store.db.selectFrom('sign_ins').innerJoin('accounts', 'accounts.id', 'sign_ins.account_ref')
      .select(['sign_ins.id', 'accounts.user_id', 'accounts.employee_id', 'sign_ins.signed_in_at', 'sign_ins.ip_address', 'sign_ins.application', 'sign_ins.batch_id'])
      .where(accountsOf(subject)).orderBy('accounts.user_id').orderBy('sign_ins.signed_in_at').execute()
  },})
