import {type Operator, authorize} from '../auth/roles.js'
import {appendAudit, sha256} from '../audit/chain.js'
import {todayUtc} from '../calendar/dates.js'
import {checksFailed, conflict, notFound, notPermitted, usage} from '../errors.js'
import {operatorByName} from '../operators/queries.js'
import {contactIdOf, contactRef, contactSubjects} from '../records/types/contact.js'
import {contact as contactRecord, interaction as interactionRecord} from '../records/types/index.js'
import {holdCovers} from '../retention/checks.js'
import {scheduleByCode} from '../retention/queries.js'
import {activeHolds, dispose} from '../retention/service.js'
import {type Store, inTransaction} from '../store/index.js'
import {keyedHash, storeHashKey} from '../store/keyfile.js'
import {type ContactRow as ContactInput, type ContactValues, type Finding, checkContactRow, notesFinding, suppressionKeys, toContactValues} from './checks.js'
import {
  type ContactRow, type InteractionRow, anySuppressed, contactById, contactRows, insertContact, insertInteraction, interactionsOf, setLastContacted,
  suppress, suppressedAmong,
} from './queries.js'

/**
 * DHS/ALL-002 stakeholder contacts: add, list, show (email and cell phone masked for anyone but the contact's
 * owner, admins and privacy officers), touch (interactions), forget (destroyed now, as a sweep destroys, and
 * kept only as keyed hashes on the do-not-contact list). The checks are in checks.ts.
 */

export const MASK = '***'

export interface ContactView {
  contactId: string
  name: string
  salutation: string | null
  organization: string | null
  title: string | null
  /** The owner, admins and privacy officers see it; anyone else sees MASK (null when there is none). */
  email: string | null
  workPhone: string | null
  /** As email. */
  cellPhone: string | null
  workAddress: string | null
  issues: string | null
  interests: string | null
  notes: string | null
  owner: string
  /** The latest interaction's date (or the imported date); null until then. */
  lastContacted: string | null
}

export interface InteractionView {
  date: string
  mode: string
  note: string | null
  recordedBy: string
}

/** A contact as `contacts show` (and `add`, `touch`) gives it: the contact and its interactions. */
export interface ContactDetail extends ContactView {
  interactions: InteractionView[]
}

/** Whether the operator sees the contact's email and cell phone (CLI.md: its owner, admins, privacy officers). */
export const seesPrivate = (operator: Operator, owner: string): boolean =>
  operator.role === 'admin' || operator.role === 'privacy-officer' || operator.name === owner

export function toView(operator: Operator, r: ContactRow): ContactView {
  const open = seesPrivate(operator, r.owner)
  const masked = (v: string | null) => (v === null || open ? v : MASK)
  return {
    contactId: contactIdOf(r.id), name: r.name, salutation: r.salutation, organization: r.organization, title: r.title, email: masked(r.email),
    workPhone: r.work_phone, cellPhone: masked(r.cell_phone), workAddress: r.work_address, issues: r.issues, interests: r.interests, notes: r.notes,
    owner: r.owner, lastContacted: r.last_contacted,
  }
}

const toInteraction = (i: InteractionRow): InteractionView => ({date: i.contact_date, mode: i.mode, note: i.note, recordedBy: i.recorded_by})

async function detail(store: Store, operator: Operator, row: ContactRow): Promise<ContactDetail> {
  return {...toView(operator, row), interactions: (await interactionsOf(store, row.id)).map(toInteraction)}
}

/** The contact a `C000001` names; unknown: exit 5. */
async function findContact(store: Store, contactId: string): Promise<ContactRow> {
  const id = contactRef(contactId)
  const row = id === null ? undefined : await contactById(store, id)
  if (!row) throw notFound('CONTACT_NOT_FOUND', `No contact ${contactId.trim()}. List them with: custodian contacts list`, {contactId: contactId.trim()})
  return row
}

/** A failed check as the error of a single add or touch: exit 3, the first finding's code, every finding in `errors`. */
function rejected(findings: readonly {code: string; column: string; message: string}[], what: string): never {
  const [first] = findings
  throw checksFailed(first.code, `${first.message} ${what}`, {errors: findings.map((f) => ({column: f.column, code: f.code, message: f.message}))})
}

/**
 * The do-not-contact list as a check (CT-DO-NOT-CONTACT): the keyed hashes of a contact's email and phones
 * against the list's. The key is read only once someone was forgotten (an empty list needs none).
 */
export class DoNotContact {
  private key: Buffer | null | undefined

  constructor(private readonly store: Store) {}

  async findings(v: Pick<ContactValues, 'email' | 'work_phone' | 'cell_phone'>): Promise<Finding[]> {
    const keys = suppressionKeys(v)
    if (keys.length === 0) return []
    if (this.key === undefined) this.key = (await anySuppressed(this.store)) ? storeHashKey(this.store, 'Checking the do-not-contact list') : null
    if (this.key === null) return []
    const key = this.key
    const hashes = keys.map((k) => keyedHash(key, k.kind, k.value))
    const listed = await suppressedAmong(this.store, hashes)
    return keys.filter((_, i) => listed.has(hashes[i])).map((k) => ({
      code: 'CT-DO-NOT-CONTACT' as const, column: k.column, severity: 'error' as const,
      message: `this person asked not to be contacted: the ${k.column.replace('_', ' ')} is on the do-not-contact list.`,
    }))
  }
}

/** CT-OWNER: the owner must be an operator of the store. */
export async function ownerFinding(store: Store, owner: string): Promise<Finding | null> {
  if (await operatorByName(store, owner)) return null
  return {code: 'CT-OWNER', column: 'owner', severity: 'error', message: `owner "${owner}" is not an operator of this store (custodian operators list).`}
}

/** Adds one contact (flags or the intake form); a failed check is exit 3 with its code. */
export async function addContact(store: Store, operator: Operator, input: ContactInput): Promise<ContactDetail> {
  authorize(operator, 'contacts.add')
  const row = Object.fromEntries(Object.entries(input).map(([k, v]) => [k, (v ?? '').trim()])) as ContactInput
  const findings = checkContactRow(row, todayUtc())
  if (findings.length > 0) rejected(findings, 'The contact was not added.')
  const values = toContactValues(row)
  const owner = values.owner ?? operator.name
  return inTransaction(store, async () => {
    const late = [await ownerFinding(store, owner), ...(await new DoNotContact(store).findings(values))].filter((f) => f !== null)
    if (late.length > 0) rejected(late, 'The contact was not added.')
    const now = new Date().toISOString()
    const id = await insertContact(store, {...values, owner}, now, null)
    await appendAudit(store, operator.name, {action: 'contacts.add', recordType: contactRecord.type, recordId: id}, now)
    return detail(store, operator, (await contactById(store, id))!)
  })
}

/** Every contact, or those of an owner or an organization; masked as the operator may see them. */
export async function listContacts(store: Store, operator: Operator, filter: {owner?: string; organization?: string}): Promise<ContactView[]> {
  authorize(operator, 'contacts.list')
  const rows = await contactRows(store, {owner: filter.owner?.trim(), organization: filter.organization?.trim()})
  await inTransaction(store, () =>
    appendAudit(store, operator.name, {action: 'contacts.list', recordType: contactRecord.type, digest: sha256(rows.map((r) => r.id).join(','))}))
  return rows.map((r) => toView(operator, r))
}

export async function showContact(store: Store, operator: Operator, contactId: string): Promise<ContactDetail> {
  authorize(operator, 'contacts.show')
  const row = await findContact(store, contactId)
  await inTransaction(store, () => appendAudit(store, operator.name, {action: 'contacts.show', recordType: contactRecord.type, recordId: row.id}))
  return detail(store, operator, row)
}

export const MODES = ['phone', 'email', 'meeting'] as const

export interface TouchInput {
  date: string
  mode: string
  note?: string
}

/** Records an interaction; the contact's lastContacted becomes the latest interaction's date. */
export async function touchContact(store: Store, operator: Operator, contactId: string, input: TouchInput): Promise<ContactDetail> {
  authorize(operator, 'contacts.touch')
  if (!(MODES as readonly string[]).includes(input.mode)) throw usage(`--mode "${input.mode}" is not one of ${MODES.join(', ')}.`)
  const today = todayUtc()
  if (input.date > today) throw usage(`--date ${input.date} is after today (${today}): record an interaction once it happened.`)
  const note = input.note?.trim() || null
  const finding = note === null ? null : notesFinding('note', note)
  if (finding) rejected([{code: 'CT-NOTES', column: 'note', message: finding}], 'The interaction was not recorded.')
  return inTransaction(store, async () => {
    const row = await findContact(store, contactId)
    const now = new Date().toISOString()
    await insertInteraction(store, {contact_ref: row.id, contact_date: input.date, mode: input.mode, note, recorded_by: operator.name, recorded_at: now})
    if (row.last_contacted === null || input.date > row.last_contacted) await setLastContacted(store, row.id, input.date, now)
    await appendAudit(store, operator.name, {action: 'contacts.touch', recordType: contactRecord.type, recordId: row.id}, now)
    return detail(store, operator, (await contactById(store, row.id))!)
  })
}

export interface ForgetResult {
  disposalId: string
  destroyed: {contact: number; interaction: number}
  certificateSha256: string
  compacted: boolean
  warnings: string[]
}

const FORGET_OCCASION = 'contacts forget: the individual asked not to be contacted (DHS/ALL-002). Destroyed at once at the owner\'s request, not by '
  + 'schedule; only keyed hashes (HMAC-SHA-256 under a key kept outside the store) of the email and phones are kept, so the person is not added again.'

/**
 * The individual asked not to be contacted (the contact's owner, or an admin): the contact and its
 * interactions are destroyed now, as a sweep destroys them (retention dispose: one transaction, a disposal
 * certificate without personal data, the store's files compacted), and its email and phones go on the
 * do-not-contact list as keyed hashes only. A contact under a legal hold is exit 6 and nothing changes.
 */
export async function forgetContact(store: Store, operator: Operator, contactId: string, now = new Date()): Promise<ForgetResult> {
  authorize(operator, 'contacts.forget')
  const row = await findContact(store, contactId)
  if (operator.role !== 'admin' && operator.name !== row.owner) {
    throw notPermitted('NOT_PERMITTED', `Contact ${contactIdOf(row.id)} belongs to ${row.owner}; only its owner or an admin may forget it. Tell its owner the person asked not to be contacted.`, {action: 'contacts.forget', owner: row.owner})
  }
  const keys = suppressionKeys(row)
  const key = keys.length > 0 ? storeHashKey(store, 'Forgetting a contact (its email and phones go on the do-not-contact list as keyed hashes)') : null
  const asOf = todayUtc(now)
  const [contactSchedule, interactionSchedule] = await Promise.all([scheduleByCode(store, contactRecord.schedule), scheduleByCode(store, interactionRecord.schedule)])
  const {cert, digest, compacted, warnings} = await dispose(store, operator, {
    asOf, now, action: 'contacts.forget', occasion: FORGET_OCCASION,
    async decide() {
      // Read again inside the write lock.
      const current = await contactById(store, row.id)
      if (!current) throw notFound('CONTACT_NOT_FOUND', `No contact ${contactIdOf(row.id)}: it was forgotten or destroyed meanwhile.`, {contactId: contactIdOf(row.id)})
      const subjects = contactSubjects(row.id)
      const hold = (await activeHolds(store)).find((h) => holdCovers(h, contactRecord.type, subjects) || holdCovers(h, interactionRecord.type, subjects))
      if (hold) throw conflict('RECORD_HELD', `Contact ${contactIdOf(row.id)} is under legal hold ${hold.id}; it cannot be destroyed until the hold is released. Nothing was destroyed.`, {holdId: hold.id})
      const interactions = (await interactionsOf(store, row.id)).map((i) => i.id)
      const decision = (entry: typeof contactRecord | typeof interactionRecord, months: number | undefined, eligible: number[]) =>
        ({type: entry.type, code: entry.schedule, retainMonths: months ?? 12, eligible, held: 0, blockedByRequest: 0, waiting: 0})
      // Interactions first, as a sweep decides them (the contact waits for them).
      return [decision(interactionRecord, interactionSchedule?.retain_months, interactions), decision(contactRecord, contactSchedule?.retain_months, [row.id])]
    },
    async alongside(c) {
      await suppress(store, keys.map((k) => ({kind: k.kind, hash: keyedHash(key!, k.kind, k.value)})), c.disposalId, now.toISOString())
    },
  })
  const count = (entry: {type: string}) => cert.schedules.find((s) => s.recordType === entry.type)?.destroyed ?? 0
  return {disposalId: cert.disposalId, destroyed: {contact: count(contactRecord), interaction: count(interactionRecord)}, certificateSha256: digest, compacted, warnings}
}

export interface ExportResult {
  file: string
  contacts: number
  sha256: string
}

/** The export's columns: the import's, with the contact id first (a file the import reads back, but for contact_id). */
const EXPORT_HEADER = ['contact_id', 'name', 'salutation', 'organization', 'title', 'email', 'work_phone', 'cell_phone', 'work_address', 'issues',
  'interests', 'notes', 'owner', 'last_contacted'] as const

/**
 * Every contact to a CSV file (admins only: the PIA disables export for everyone else), unmasked, mode 0600,
 * written to a temp file beside the target and renamed into place once the audit entry commits.
 */
export async function exportContacts(store: Store, operator: Operator, out: string): Promise<ExportResult> {
  authorize(operator, 'contacts.export')
  const [{prepareOutput}, {CsvFileWriter}, {sha256File}] = await Promise.all([import('../store/outputs.js'), import('../csv/write.js'), import('../csv/read.js')])
  const output = await prepareOutput(store, out, {label: '--out', kind: 'file', replace: true, purpose: 'contacts.export'})
  try {
    const rows = await contactRows(store, {})
    const writer = new CsvFileWriter(output.tmp, [...EXPORT_HEADER])
    for (const r of rows) writer.write([contactIdOf(r.id), ...EXPORT_HEADER.slice(1).map((c) => r[c as keyof ContactRow] as string | null)])
    await writer.close()
    const digest = await sha256File(output.tmp)
    await inTransaction(store, async () => {
      await appendAudit(store, operator.name, {action: 'contacts.export', recordType: contactRecord.type, digest})
      await output.commitWith()
    })
    await output.publish()
    return {file: output.target, contacts: rows.length, sha256: digest}
  } catch (error) {
    await output.discard()
    throw error
  }
}
