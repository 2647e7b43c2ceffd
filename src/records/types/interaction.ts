import {defineRecordType, destroyWith, eachRow, noSubject, reachRequested, withReachRequested} from '../kit.js'
import {CONTACT_REACH, type ContactCandidateRow, contactCandidateColumns, contactCandidate, contactIdOf, contactsOf} from './contact.js'

/**
 * One interaction with a DHS/ALL-002 contact (date, mode, note). It is due when its contact is (RULES.md: a
 * contact not contacted for 12 months is due, with its interactions): its trigger is its contact's.
 */
export const interaction = defineRecordType({
  type: 'interaction',
  title: 'interaction with a stakeholder contact (date, mode, note)',
  system: 'DHS/ALL-002',
  noun: ['record of an interaction', 'records of interactions'],
  tables: ['interactions'],
  retrievedBy: ['name', 'email', 'phone'],
  schedule: 'DHS/ALL-002-INTERACTION',
  afterGone: [],
  async candidates(store, visit) {
    const requested = await reachRequested(store, 'contacts', CONTACT_REACH)
    // Its contact's trigger and subjects (the contact's id, email and phones).
    await eachRow<[number, ...ContactCandidateRow]>(store,
      `SELECT i.id, ${await contactCandidateColumns(store)} FROM interactions i JOIN contacts c ON c.id = i.contact_ref`, ([id, ...contact]) => {
        const c = contactCandidate(contact)
        visit({id, ...c, subjects: withReachRequested(c.subjects, contact[0], requested)})
      })
  },
  async destroy(store, ids) {
    await destroyWith(store, 'interactions', [], ids)
  },
  refOf: (record) => String(record.id),
  async find(store, subject) {
    if (noSubject(subject)) return []
    const rows = await store.db.selectFrom('interactions').innerJoin('contacts', 'contacts.id', 'interactions.contact_ref')
      .select(['interactions.id', 'interactions.contact_ref', 'interactions.contact_date', 'interactions.mode', 'interactions.note',
        'interactions.recorded_by', 'interactions.recorded_at'])
      .where(contactsOf(subject)).orderBy('interactions.contact_ref').orderBy('interactions.contact_date').orderBy('interactions.id').execute()
    return rows.map(({contact_ref: ref, ...r}) => ({...r, contactId: contactIdOf(ref)}))
  },
})
