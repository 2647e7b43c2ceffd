import type {ExpressionBuilder} from 'kysely'

import type {Database} from '../../store/schema.js'
import {type SubjectKeys, defineRecordType, destroyWith, eachRow, noSubject} from '../kit.js'

/**
 * The subjects of an account: its employee's id when the sign-in log linked one (holds and open requests
 * block by it), and always the account itself (`account:<userId>`, never an employee_id) so the account
 * waits for its own sign-ins (afterGone) whether or not it is linked to an employee.
 */
export function accountSubjects(userId: string, employeeId: string | null): string[] {
  return employeeId ? [employeeId, `account:${userId}`] : [`account:${userId}`]
}

/**
 * The accounts about the subject, by what USPS 550.000 retrieves by: the user id, the email, and the
 * employee_id the sign-in log linked (stored lower, lower and upper case respectively).
 */
export function accountsOf(subject: SubjectKeys) {
  const lower = (list: readonly string[]) => list.map((v) => v.toLowerCase())
  const upper = (list: readonly string[]) => list.map((v) => v.toUpperCase())
  return (eb: ExpressionBuilder<Database, 'accounts'>) => eb.or([
    ...(subject.userIds.length > 0 ? [eb('accounts.user_id', 'in', lower(subject.userIds))] : []),
    ...(subject.emails.length > 0 ? [eb(eb.fn('lower', ['accounts.email']), 'in', lower(subject.emails))] : []),
    ...(subject.employeeIds.length > 0 ? [eb('accounts.employee_id', 'in', upper(subject.employeeIds))] : []),
  ])
}

/** The civil date (UTC) of an ISO-8601 UTC time: a retention trigger. */
const dayOf = (time: string): string => time.slice(0, 10)

/** A USPS 550.000 account access record: who the user is and when they last signed in. */
export const account = defineRecordType({
  type: 'account',
  title: 'information system account (user, contact, department, last access)',
  system: 'USPS-550.000',
  noun: ['information system account record', 'information system account records'],
  tables: ['accounts'],
  retrievedBy: ['user id', 'name', 'email', 'employee_id'],
  schedule: 'USPS-550.000-ACCOUNT',
  afterGone: ['sign_in'],
  amendable: ['name', 'email', 'department'],
  amender: () => import('../../accounts/amender.js'),
  async candidates(store, visit) {
    await eachRow<[number, string, string, string | null]>(store, 'SELECT id, last_access, user_id, employee_id FROM accounts',
      ([id, lastAccess, userId, employeeId]) => visit({id, trigger: dayOf(lastAccess), subjects: accountSubjects(userId, employeeId)}))
  },
  async destroy(store, ids) {
    // Its sign-ins are gone first (afterGone: the account waits while one of them is kept, held or not due).
    await destroyWith(store, 'accounts', [], ids)
  },
  refOf: (record) => String(record.user_id),
  links: (record) => ({
    userIds: [String(record.user_id)], emails: [String(record.email).toLowerCase()],
    employeeIds: record.employee_id ? [String(record.employee_id).toUpperCase()] : [], name: String(record.name),
  }),
  subjectsOf: (keys) => keys.userIds.map((userId) => accountSubjects(userId.toLowerCase(), null)[0]),
  async find(store, subject) {
    if (noSubject(subject)) return []
    return store.db.selectFrom('accounts')
      .select(['id', 'user_id', 'name', 'email', 'department', 'user_role', 'employee_id', 'last_access', 'created_at', 'updated_at'])
      .where(accountsOf(subject)).orderBy('user_id').execute()
  },})
