import type {ExpressionBuilder} from 'kysely'

import type {Database} from '../../store/schema.js'
import type {Store} from '../../store/store.js'
import {type SubjectKeys, defineRecordType, destroyWith, eachRow, mayRead, noSubject, reachRequested, reachSubjects, reachSubjectsOf, withReachRequested} from '../kit.js'

/** A contact's id on the command line: `C` and its surrogate id in six digits (C000001). */
export const contactIdOf = (id: number): string => `C${String(id).padStart(6, '0')}`

/** The surrogate id a contact id names (`C000001`, `c1`, `1`); null when it is not one. */
export function contactRef(text: string): number | null {
  const m = /^c?0*(\d{1,9})$/i.exec(text.trim())
  return m && Number(m[1]) > 0 ? Number(m[1]) : null
}

/**
 * The subjects of a contact and of its interactions: the contact itself (`contact:<contactId>`, never an
 * employee_id), so its interactions and the contact go together and a hold on either type keeps them; and
 * its email and phones (kit.ts reachSubjects), so an open request by either keeps the contact and its
 * interactions.
 */
export const contactSubjects = (id: number, reach?: {email: string | null; work_phone: string | null; cell_phone: string | null}): string[] =>
  [`contact:${contactIdOf(id)}`, ...(reach ? reachSubjects(reach.email, [reach.work_phone, reach.cell_phone]) : [])]

/**
 * The columns retention reads of a contact `c` (interaction.ts joins the same): id, trigger, and its email
 * and phones when the session may read them (kit.ts mayRead).
 */
/** The columns a contact is reached by (its email and phone subjects). */
export const CONTACT_REACH = ['email', 'work_phone', 'cell_phone'] as const

export async function contactCandidateColumns(store: Store): Promise<string> {
  const reach = await mayRead(store, 'contacts', CONTACT_REACH)
  return `c.id, c.last_contacted, c.created_at, ${reach ? 'c.email, c.work_phone, c.cell_phone' : 'NULL, NULL, NULL'}`
}

export type ContactCandidateRow = [number, string | null, string, string | null, string | null, string | null]

/** A contact's trigger and subjects from its contactCandidateColumns. */
export const contactCandidate = ([id, last, created, email, work, cell]: ContactCandidateRow) =>
  ({trigger: contactTrigger(last, created), subjects: contactSubjects(id, {email, work_phone: work, cell_phone: cell})})

/**
 * The contacts about the subject, by what DHS/ALL-002 retrieves by: the email (compared in lower case) and
 * the phones (work or cell; stored as 10 digits or `+` and digits, looked up by digits).
 */
export function contactsOf(subject: SubjectKeys) {
  const emails = subject.emails.map((v) => v.toLowerCase())
  const phones = [...new Set(subject.phones.flatMap((p) => {
    const digits = p.replaceAll(/\D/g, '')
    const us = digits.length === 11 && digits.startsWith('1') ? digits.slice(1) : digits
    return [digits, us, `+${digits}`]
  }))]
  return (eb: ExpressionBuilder<Database, 'contacts'>) => eb.or([
    ...(emails.length > 0 ? [eb(eb.fn('lower', ['contacts.email']), 'in', emails)] : []),
    ...(phones.length > 0 ? [eb('contacts.work_phone', 'in', phones), eb('contacts.cell_phone', 'in', phones)] : []),
  ])
}

/** The civil date a contact's retention runs from: its last contact, else the day it was added. */
export const contactTrigger = (lastContacted: string | null, createdAt: string): string => lastContacted ?? createdAt.slice(0, 10)

/** A DHS/ALL-002 stakeholder contact: who the person is, how to reach them, what they engage on. */
export const contact = defineRecordType({
  type: 'contact',
  title: 'stakeholder contact (name, organization, title, email, phones, issues, notes)',
  system: 'DHS/ALL-002',
  noun: ['stakeholder contact record', 'stakeholder contact records'],
  tables: ['contacts'],
  retrievedBy: ['name', 'email', 'phone'],
  schedule: 'DHS/ALL-002-CONTACT',
  afterGone: ['interaction'],
  // What `contacts show` shows the individual (not the owner or the dates, which are the agency's).
  amendable: ['name', 'salutation', 'organization', 'title', 'email', 'work_phone', 'cell_phone', 'work_address', 'issues', 'interests', 'notes'],
  amender: () => import('../../contacts/amender.js'),
  async candidates(store, visit) {
    const requested = await reachRequested(store, 'contacts', CONTACT_REACH)
    await eachRow<ContactCandidateRow>(store, `SELECT ${await contactCandidateColumns(store)} FROM contacts c`, (row) => {
      const c = contactCandidate(row)
      visit({id: row[0], ...c, subjects: withReachRequested(c.subjects, row[0], requested)})
    })
  },
  async destroy(store, ids) {
    // Its interactions are gone first (afterGone: the contact waits while one of them is kept).
    await destroyWith(store, 'contacts', [], ids)
  },
  refOf: (record) => String(record.contactId),
  // An open request by email or phone keeps the contacts (and, through the same subjects, their interactions) it finds.
  subjectsOf: reachSubjectsOf,
  async find(store, subject) {
    if (noSubject(subject)) return []
    const rows = await store.db.selectFrom('contacts')
      .select(['id', 'name', 'salutation', 'organization', 'title', 'email', 'work_phone', 'cell_phone', 'work_address', 'issues', 'interests', 'notes',
        'owner', 'last_contacted', 'created_at', 'updated_at'])
      .where(contactsOf(subject)).orderBy('id').execute()
    return rows.map((r) => ({contactId: contactIdOf(r.id), ...r}))
  },
})
