import type {ExpressionBuilder} from 'kysely'

import type {Database} from '../../store/schema.js'
import {type SubjectKeys, childRows, defineRecordType, destroyWith, eachRow, mayRead, noSubject, reachRequested, reachSubjects, reachSubjectsOf, withReachRequested} from '../kit.js'

/**
 * The subjects of an inquiry: the case itself (`inquiry:<caseNumber>`), and its email and phone (kit.ts
 * reachSubjects). A member of the public has no employee_id; holds by record type and open requests naming
 * the case, the email or the phone keep it.
 */
export function inquirySubjects(caseNumber: string, email: string | null = null, phone: string | null = null): string[] {
  return [`inquiry:${caseNumber}`, ...reachSubjects(email, [phone])]
}

/** The inquiries about the subject, by what the DOL CRM retrieves by: case number, email (lower case), phone (digits). */
export function inquiriesOf(subject: SubjectKeys) {
  const digits = subject.phones.map((p) => p.replaceAll(/\D/g, '')).map((p) => (p.length === 11 && p.startsWith('1') ? p.slice(1) : p))
  return (eb: ExpressionBuilder<Database, 'inquiries'>) => eb.or([
    ...(subject.caseNumbers.length > 0 ? [eb('inquiries.case_number', 'in', subject.caseNumbers.map((c) => c.trim().toUpperCase()))] : []),
    ...(subject.emails.length > 0 ? [eb('inquiries.email', 'in', subject.emails.map((e) => e.trim().toLowerCase()))] : []),
    ...(digits.length > 0 ? [eb('inquiries.phone', 'in', digits)] : []),
  ])
}

/** A DOL CRM public inquiry: the intake form, its status, routing and updates. */
export const inquiry = defineRecordType({
  type: 'inquiry',
  title: 'public inquiry (intake form, with its updates and notes)',
  system: 'DOL-CRM',
  noun: ['public inquiry', 'public inquiries'],
  tables: ['inquiries', 'inquiry_updates'],
  retrievedBy: ['case number', 'name', 'email', 'phone'],
  schedule: 'DOL-CRM-INQUIRY',
  afterGone: [],
  amendable: ['first_name', 'last_name', 'home_zip', 'phone', 'email', 'company', 'street', 'city', 'county', 'state', 'workplace_zip'],
  async candidates(store, visit) {
    const requested = await reachRequested(store, 'inquiries', ['email', 'phone'])
    await eachRow<[number, string | null, string, string | null, string | null]>(store,
      // The email and phone when the session may read them (kit.ts mayRead: not an auditor's plan).
      `SELECT id, CASE WHEN status = 'closed' THEN closed_on END, case_number, ${(await mayRead(store, 'inquiries', ['email', 'phone'])) ? 'email, phone' : 'NULL, NULL'} FROM inquiries`,
      ([id, trigger, caseNumber, email, phone]) => visit({id, trigger, subjects: withReachRequested(inquirySubjects(caseNumber, email, phone), id, requested)}))
  },
  async destroy(store, ids) {
    await destroyWith(store, 'inquiries', [['inquiry_updates', 'inquiry_ref']], ids)
  },
  refOf: (record) => String(record.case_number),
  // An open request naming a case number, or the email or phone of a case, keeps that case (retention blocks it) while the request is open.
  subjectsOf: (keys) => [...keys.caseNumbers.map((caseNumber) => inquirySubjects(caseNumber.toUpperCase())[0]), ...reachSubjectsOf(keys)],
  amender: () => import('../../inquiries/amender.js'),
  async find(store, subject) {
    if (noSubject(subject)) return []
    const rows = await store.db.selectFrom('inquiries').selectAll().where(inquiriesOf(subject)).orderBy('case_number').execute()
    const updates = await childRows(rows.map((r) => r.id), 'inquiry_ref', (part) => store.db.selectFrom('inquiry_updates')
      .select(['inquiry_ref', 'at', 'actor', 'status', 'note']).where('inquiry_ref', 'in', part).orderBy('id').execute())
    return rows.map(({name_key: _key, ...r}) => ({...r, updates: updates.get(r.id) ?? []}))
  },
})
