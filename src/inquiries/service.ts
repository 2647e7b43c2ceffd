import {type Operator, authorize} from '../auth/roles.js'
import {appendAudit, sha256} from '../audit/chain.js'
import {type CivilDate, isRealDate, todayUtc} from '../calendar/dates.js'
import {checksFailed, conflict, notFound, usage} from '../errors.js'
import {inquiry as inquiryRecord} from '../records/types/index.js'
import {type Store, inTransaction} from '../store/index.js'
import {nameKey} from '../text/names.js'
import {type InquiryFinding, type InquiryForm, checkInquiry, isZip, toInquiryValues} from './checks.js'
import {
  type InquiryRow, categoryCodes, earlierCaseOf, inquiryByCase, inquiryRows, insertInquiry, insertUpdate, routeRows, takeNumber, updateInquiry, updatesOf,
} from './queries.js'
import {routeInquiry} from './routing.js'

/**
 * DOL CRM public inquiries: intake (checks, case number, routing, repeat matching), the caller's status
 * look-up, and the liaison's updates and closure. Each use case is one transaction with its audit entry
 * (surrogate id only: no name, email or case content in the audit trail).
 */

export const INQUIRY_STATUSES = ['new', 'in-progress', 'referred', 'answered', 'closed'] as const
export type InquiryStatus = (typeof INQUIRY_STATUSES)[number]
/** The statuses `inquiries update` may set (closing is `inquiries close`). */
export const UPDATE_STATUSES = ['in-progress', 'referred', 'answered'] as const

export interface OpenInquiryInput {
  form: InquiryForm
  /** Default: today (UTC). Sets the case number's year. */
  received?: string
}

export interface OpenInquiryResult {
  caseNumber: string
  status: InquiryStatus
  routedTo: string
  /** The earlier case of the same person (first and last name, and email or phone), or null. */
  repeatOf: string | null
  received: CivilDate
  warnings: string[]
}

/** The intake's findings as an error: exit 3, the first finding's code as the error code, every finding in `errors`. */
function intakeFailed(findings: InquiryFinding[]) {
  const [first] = findings
  const more = findings.length > 1 ? ` (and ${findings.length - 1} more finding${findings.length === 2 ? '' : 's'} in errors)` : ''
  return checksFailed(first.code, `The inquiry was not opened: ${first.message}${more}`, {errors: findings})
}

function checkReceived(value: string | undefined): CivilDate {
  const received = value?.trim() ?? todayUtc()
  if (!isRealDate(received)) throw usage(`--received "${received.slice(0, 20)}" is not a real date; write it as YYYY-MM-DD.`)
  return received
}

/** The categories the store offers and the checks' verdict on a form (the interactive form checks field by field). */
export async function intakeContext(store: Store): Promise<{categories: string[]}> {
  return {categories: await categoryCodes(store)}
}

/** Opens an inquiry: checks (IQ-*), case number INQ-YYYY-NNNNNN by received year, routing, repeat matching. */
export async function openInquiry(store: Store, operator: Operator, input: OpenInquiryInput): Promise<OpenInquiryResult> {
  authorize(operator, 'inquiries.open')
  const received = checkReceived(input.received)
  const today = todayUtc()
  const warnings = received > today ? [`The received date ${received} is after today (${today}); the case is numbered and dated as given.`] : []
  return inTransaction(store, async () => {
    const findings = checkInquiry(input.form, await intakeContext(store))
    if (findings.length > 0) throw intakeFailed(findings)
    const values = toInquiryValues(input.form)
    const key = nameKey(values.last_name, values.first_name)
    const repeatOf = await earlierCaseOf(store, {nameKey: key, email: values.email, phone: values.phone})
    const {agency} = routeInquiry(await routeRows(store), {zip: values.workplace_zip, state: values.state})
    const year = received.slice(0, 4)
    const caseNumber = `INQ-${year}-${String(await takeNumber(store, year)).padStart(6, '0')}`
    const now = new Date().toISOString()
    const id = await insertInquiry(store, {
      ...values, case_number: caseNumber, status: 'new', name_key: key, received, routed_to: agency, repeat_of: repeatOf,
      created_by: operator.name, created_at: now, updated_at: now, closed_on: null, closed_by: null,
    })
    await insertUpdate(store, {inquiry_ref: id, at: now, actor: operator.name, status: 'new', note: null})
    await appendAudit(store, operator.name, {action: 'inquiries.open', recordType: inquiryRecord.type, recordId: id}, now)
    return {caseNumber, status: 'new' as const, routedTo: agency, repeatOf, received, warnings}
  })
}

const normalCase = (caseNumber: string) => caseNumber.trim().toUpperCase()

async function findInquiry(store: Store, caseNumber: string): Promise<InquiryRow> {
  const wanted = normalCase(caseNumber)
  const row = await inquiryByCase(store, wanted)
  if (!row) throw notFound('INQUIRY_NOT_FOUND', `No inquiry ${wanted.slice(0, 40)}. List them with: custodian inquiries list`, {caseNumber: wanted.slice(0, 40)})
  return row
}

export interface InquiryStatusResult {
  caseNumber: string
  status: InquiryStatus
  /** The day of the case's last change (UTC). */
  updated: CivilDate
}

/** The one answer to a wrong ZIP and an unknown case alike: it does not tell whether the case exists. */
const NO_MATCH = () => notFound('INQUIRY_NOT_FOUND', 'No inquiry matches that case number and home ZIP code. Check both and ask again.')

/**
 * A caller's status question: the case number and the home ZIP code given on the intake form (the first five
 * digits compare). A wrong ZIP and an unknown case get the same answer (exit 5, the same code and message),
 * and the same work is done for both: one look-up by case number, one comparison, one audit entry.
 */
export async function inquiryStatus(store: Store, operator: Operator, caseNumber: string, zip: string): Promise<InquiryStatusResult> {
  authorize(operator, 'inquiries.status')
  const given = zip.trim()
  if (!isZip(given)) throw usage(`--zip "${given.slice(0, 12)}" is not a ZIP code: 5 digits, or ZIP+4 (12345-6789).`)
  const found = await inTransaction(store, async () => {
    const row = await inquiryByCase(store, normalCase(caseNumber))
    const matches = row !== undefined && row.home_zip.slice(0, 5) === given.slice(0, 5)
    await appendAudit(store, operator.name, {action: matches ? 'inquiries.status' : 'inquiries.status.no-match', recordType: inquiryRecord.type, recordId: matches ? row.id : null})
    return matches ? row : null
  })
  if (!found) throw NO_MATCH()
  return {caseNumber: found.case_number, status: found.status, updated: found.updated_at.slice(0, 10)}
}

export interface InquirySummary {
  caseNumber: string
  status: InquiryStatus
  received: CivilDate
  firstName: string
  lastName: string
  category: string
  routedTo: string
  repeatOf: string | null
  updatedAt: string
  closedOn: CivilDate | null
}

/** The form as stored: these fields keep the table's names and types. */
type FormFields = Pick<InquiryRow, 'phone' | 'email' | 'company' | 'street' | 'city' | 'county' | 'state'>

export interface InquiryDetail extends InquirySummary, FormFields {
  homeZip: string
  contactMethod: InquiryRow['contact_method']
  workplaceZip: string | null
  description: string
  createdBy: string
  createdAt: string
  closedBy: string | null
  updates: {at: string; actor: string; status: string; note: string | null}[]
}

const summary = (r: InquiryRow): InquirySummary => ({
  caseNumber: r.case_number, status: r.status, received: r.received, firstName: r.first_name, lastName: r.last_name, category: r.category,
  routedTo: r.routed_to, repeatOf: r.repeat_of, updatedAt: r.updated_at, closedOn: r.closed_on,
})

export async function listInquiries(store: Store, operator: Operator, filter: {status?: string; routedTo?: string}): Promise<InquirySummary[]> {
  authorize(operator, 'inquiries.list')
  if (filter.status !== undefined && !(INQUIRY_STATUSES as readonly string[]).includes(filter.status)) {
    throw usage(`--status must be one of ${INQUIRY_STATUSES.join(', ')}.`)
  }
  const rows = await inquiryRows(store, {status: filter.status, routedTo: filter.routedTo?.trim().toUpperCase()})
  await inTransaction(store, () => appendAudit(store, operator.name, {action: 'inquiries.list', recordType: inquiryRecord.type, digest: sha256(rows.map((r) => r.id).join(','))}))
  return rows.map(summary)
}

async function detail(store: Store, r: InquiryRow): Promise<InquiryDetail> {
  return {
    ...summary(r), homeZip: r.home_zip, contactMethod: r.contact_method, phone: r.phone, email: r.email, company: r.company, street: r.street,
    city: r.city, county: r.county, state: r.state, workplaceZip: r.workplace_zip, description: r.description, createdBy: r.created_by,
    createdAt: r.created_at, closedBy: r.closed_by, updates: await updatesOf(store, r.id),
  }
}

export async function showInquiry(store: Store, operator: Operator, caseNumber: string): Promise<InquiryDetail> {
  authorize(operator, 'inquiries.show')
  const r = await findInquiry(store, caseNumber)
  await inTransaction(store, () => appendAudit(store, operator.name, {action: 'inquiries.show', recordType: inquiryRecord.type, recordId: r.id}))
  return detail(store, r)
}

const MAX_NOTE = 4000

function checkNote(note: string | undefined): string | null {
  if (note === undefined) return null
  const v = note.trim()
  if ([...v].length > MAX_NOTE) throw usage(`--note is ${[...v].length} characters; at most ${MAX_NOTE}.`)
  if (/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/u.test(v)) throw usage('--note holds control characters; a note is plain text.')
  return v === '' ? null : v
}

function assertNotClosed(r: InquiryRow): void {
  if (r.status === 'closed') throw conflict('INQUIRY_CLOSED', `Inquiry ${r.case_number} is closed (on ${r.closed_on}); it changes no more.`, {caseNumber: r.case_number})
}

/** A status change with its note (in-progress, referred, answered). A closed case: exit 6. */
export async function updateInquiryStatus(store: Store, operator: Operator, caseNumber: string, input: {status: string; note?: string}): Promise<InquiryDetail> {
  authorize(operator, 'inquiries.update')
  if (!(UPDATE_STATUSES as readonly string[]).includes(input.status)) throw usage(`--status must be one of ${UPDATE_STATUSES.join(', ')} (close a case with inquiries close).`)
  const note = checkNote(input.note)
  return inTransaction(store, async () => {
    const r = await findInquiry(store, caseNumber)
    assertNotClosed(r)
    const now = new Date().toISOString()
    await updateInquiry(store, r.id, {status: input.status as InquiryStatus, updated_at: now})
    await insertUpdate(store, {inquiry_ref: r.id, at: now, actor: operator.name, status: input.status, note})
    await appendAudit(store, operator.name, {action: 'inquiries.update', recordType: inquiryRecord.type, recordId: r.id}, now)
    return detail(store, {...r, status: input.status as InquiryStatus, updated_at: now})
  })
}

/**
 * Closes the case: status `closed`, and its retention clock starts (24 months from the closing date). `date`
 * (default today, UTC) is when it was closed: not before it was received, not after today. Twice: exit 6.
 */
export async function closeInquiry(store: Store, operator: Operator, caseNumber: string, input: {note?: string; date?: string}): Promise<InquiryDetail> {
  authorize(operator, 'inquiries.close')
  const note = checkNote(input.note)
  const today = todayUtc()
  const closedOn = input.date?.trim() ?? today
  if (!isRealDate(closedOn)) throw usage(`--date "${closedOn.slice(0, 20)}" is not a real date; write it as YYYY-MM-DD.`)
  if (closedOn > today) throw usage(`--date ${closedOn} is after today (${today}); a case is closed on or before the day it is recorded.`)
  return inTransaction(store, async () => {
    const r = await findInquiry(store, caseNumber)
    assertNotClosed(r)
    if (closedOn < r.received) throw usage(`--date ${closedOn} is before the case was received (${r.received}).`)
    const now = new Date().toISOString()
    await updateInquiry(store, r.id, {status: 'closed', closed_on: closedOn, closed_by: operator.name, updated_at: now})
    await insertUpdate(store, {inquiry_ref: r.id, at: now, actor: operator.name, status: 'closed', note})
    await appendAudit(store, operator.name, {action: 'inquiries.close', recordType: inquiryRecord.type, recordId: r.id}, now)
    return detail(store, {...r, status: 'closed', closed_on: closedOn, closed_by: operator.name, updated_at: now})
  })
}
