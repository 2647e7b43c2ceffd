import fs from 'node:fs'

import {type Operator, authorize} from '../auth/roles.js'
import {appendAudit} from '../audit/chain.js'
import {todayUtc} from '../calendar/dates.js'
import {CustodianError, checksFailed, conflict, notFound, usage} from '../errors.js'
import {type PersonnelColumn, maskSsn} from '../personnel/checks.js'
import {disclosuresOf} from '../disclosures/accounting.js'
import {employeeById} from '../personnel/queries.js'
import {applyEmployeeEdit, checkEmployeeEdit} from '../personnel/service.js'
import {RECORD_REF_FORM, REGISTRY, parseRecordRef} from '../records/registry.js'
import {type Store, inTransaction} from '../store/index.js'
import {type DisclosureView, disclosureIncludes, toDisclosureView} from './disclosures.js'
import {amendmentsById, amendmentsOf, decideAmendment, deniedRecords, insertAmendment, insertStatement} from './queries.js'
import {linkSubject} from './search.js'
import {type AmendmentView, type RequestRow, amendmentView, assertOpen, findRequest} from './service.js'
import {request as requestRecord} from '../records/types/index.js'

/**
 * Amendment of records (5 U.S.C. 552a(d)(2)-(4)): the correction asked for, the decision, and the
 * individual's statement of disagreement after a denial.
 *
 * Which fields of which record types an individual may ask to amend here: each record type module says
 * (`amendable`). Other record types are corrected through their own path (a timecard through `timecards
 * amend`, which keeps every version). A granted amendment is applied through the profile's own edit path
 * (personnel: the same checks as an import, a history row, an audit entry).
 */
export const AMENDABLE: Readonly<Partial<Record<string, readonly PersonnelColumn[]>>> = Object.fromEntries(
  REGISTRY.filter((e) => e.amendable).map((e) => [e.type, e.amendable as readonly PersonnelColumn[]]),
)

export interface AmendInput {
  /** `<recordType>:<id>`, e.g. employee:E1001. */
  record: string
  field: string
  value: string
}

export interface AmendResult {
  requestId: string
  amendment: AmendmentView
}

function parseRecord(record: string): {type: string; id: string} {
  const ref = parseRecordRef(record)
  if (!ref || ref.id === '') throw usage(`--record "${record}" must be ${RECORD_REF_FORM}.`)
  return {type: ref.type, id: ref.id.toUpperCase()}
}

function assertAmendmentRequest(r: RequestRow): void {
  if (r.type !== 'amendment') throw usage(`Request ${r.request_id} is an ${r.type} request; amendments belong to an amendment request (requests open --type amendment).`)
}

/** The subject of the request (linked on first use); the record amended must be theirs. */
async function subjectOf(store: Store, operator: Operator, r: RequestRow): Promise<string> {
  if (r.employee_id) return r.employee_id
  const subject = await linkSubject(store, operator, r)
  if (!subject) throw notFound('SUBJECT_NOT_FOUND', `No employee in your scope matches request ${r.request_id}; open it with --employee.`)
  return subject.employeeId
}

/** States the correction asked for; the value must pass the same edit checks an import applies. */
export async function amendRequest(store: Store, operator: Operator, requestId: string, input: AmendInput): Promise<AmendResult> {
  authorize(operator, 'requests.manage')
  const record = parseRecord(input.record)
  const fields = AMENDABLE[record.type]
  if (!fields) throw usage(`${record.type} records are not amended through a request; amendable record types: ${Object.keys(AMENDABLE).join(', ')}.`)
  const field = input.field.trim().toLowerCase() as PersonnelColumn
  if (!fields.includes(field)) throw usage(`--field ${input.field} is not amendable on ${record.type} records; amendable fields: ${fields.join(', ')}.`)
  return inTransaction(store, async () => {
    const r = await findRequest(store, operator, requestId)
    assertOpen(r)
    assertAmendmentRequest(r)
    const subject = await subjectOf(store, operator, r)
    if (record.id !== subject) throw usage(`Request ${r.request_id} is about ${subject}; it cannot amend the record ${record.type}:${record.id} of someone else.`)
    const employee = await employeeById(store, record.id)
    if (!employee) throw notFound('RECORD_NOT_FOUND', `No ${record.type} record ${record.id}.`)
    const [finding] = await checkEmployeeEdit(store, employee, field, input.value, todayUtc())
    if (finding) throw checksFailed(finding.code, finding.message)
    const current = employee[field as keyof typeof employee]
    const now = new Date().toISOString()
    const id = await insertAmendment(store, {
      request_ref: r.id, record_type: record.type, record_id: record.id, field, current_value: current === null ? null : field === 'ssn' ? maskSsn(String(current)) : String(current),
      requested_value: field === 'ssn' ? input.value.replaceAll('-', '').trim() : input.value.trim(), status: 'pending',
      decision_reason: null, decided_by: null, decided_at: null, created_by: operator.name, created_at: now,
    })
    await appendAudit(store, operator.name, {action: 'requests.amend', recordType: requestRecord.type, recordId: r.id}, now)
    const [row] = await amendmentsById(store, [id])
    return {requestId: r.request_id, amendment: amendmentView(row)}
  })
}

export interface DecideResult {
  requestId: string
  decision: 'granted' | 'denied'
  amendments: AmendmentView[]
  /** Earlier recipients of the amended records (accounting of disclosures) who must be told (552a(c)(4)). Empty on a denial. */
  notify: DisclosureView[]
}

/**
 * Grants or denies the request's pending amendments. A grant changes the record through the same path as
 * any edit (employee_history row, audit) and lists the recipients to tell; a denial needs a reason.
 */
export async function decideRequest(store: Store, operator: Operator, requestId: string, opts: {grant: boolean; reason?: string; amendmentId?: number}): Promise<DecideResult> {
  authorize(operator, 'requests.manage')
  const reason = opts.reason?.trim() ?? ''
  if (!opts.grant && reason === '') throw usage('A denial needs --reason: the individual is told why, and may appeal it and file a statement of disagreement.')
  return inTransaction(store, async () => {
    const r = await findRequest(store, operator, requestId)
    assertOpen(r)
    const pending = (await amendmentsOf(store, r.id, {pending: true})).filter((a) => opts.amendmentId === undefined || a.id === opts.amendmentId)
    if (pending.length === 0) {
      throw conflict('NO_PENDING_AMENDMENT', `Request ${r.request_id} has no ${opts.amendmentId === undefined ? '' : `amendment ${opts.amendmentId} `}awaiting a decision (state one with requests amend).`)
    }
    const now = new Date().toISOString()
    const decision = opts.grant ? 'granted' : 'denied'
    const notify = new Map<string, DisclosureView>()
    for (const a of pending) {
      if (opts.grant) {
        const employee = await employeeById(store, a.record_id)
        if (!employee) throw notFound('RECORD_NOT_FOUND', `No ${a.record_type} record ${a.record_id}.`)
        const field = a.field as PersonnelColumn
        // Checked again: the record or the store may have changed since the amendment was stated.
        const [finding] = await checkEmployeeEdit(store, employee, field, a.requested_value, todayUtc())
        if (finding) throw checksFailed(finding.code, `Amendment ${a.id} can no longer be applied: ${finding.message}`)
        await applyEmployeeEdit(store, operator, employee, field, a.requested_value, {action: 'requests.amendment', reason: `${r.request_id}: ${reason || 'amendment granted'}`, at: now})
        const disclosed = await disclosuresOf(store, a.record_id, {onOrBefore: now.slice(0, 10)})
        for (const d of disclosed.map(toDisclosureView)) {
          if (disclosureIncludes(d, a.record_id, {type: a.record_type, id: a.record_id})) notify.set(`${d.recipient}\u0000${d.address}`, d)
        }
      }
      await decideAmendment(store, a.id, {status: decision, decision_reason: reason || null, decided_by: operator.name, decided_at: now})
    }
    await appendAudit(store, operator.name, {action: `requests.${opts.grant ? 'grant' : 'deny'}`, recordType: requestRecord.type, recordId: r.id}, now)
    const decided = await amendmentsById(store, pending.map((a) => a.id))
    return {requestId: r.request_id, decision, amendments: decided.map(amendmentView), notify: [...notify.values()]}
  })
}

export interface DisagreeResult {
  requestId: string
  statements: {record: string; filedAt: string}[]
}

const MAX_STATEMENT = 20_000

/**
 * The statement as plain text: a file of at most MAX_STATEMENT characters (its size is checked before it is
 * read), valid UTF-8, with no control characters other than line breaks and tabs.
 */
function readStatement(file: string): string {
  let bytes: Buffer
  try {
    const stat = fs.statSync(file)
    if (!stat.isFile()) throw new Error('not a file')
    if (stat.size > MAX_STATEMENT * 4) throw usage(`The statement file ${file} is ${stat.size} bytes; a statement is at most ${MAX_STATEMENT} characters.`)
    bytes = fs.readFileSync(file)
  } catch (error) {
    if (error instanceof CustodianError) throw error
    throw notFound('FILE_NOT_FOUND', `Cannot read the statement file ${file}.`)
  }
  let text: string
  try {
    text = new TextDecoder('utf-8', {fatal: true, ignoreBOM: false}).decode(bytes).trim()
  } catch {
    throw usage(`The statement file ${file} is not UTF-8 text; save it as UTF-8 and file it again.`)
  }
  if (text === '') throw usage(`The statement file ${file} is empty.`)
  if (/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/.test(text)) throw usage(`The statement file ${file} holds control characters; a statement is plain text.`)
  if (text.length > MAX_STATEMENT) throw usage(`The statement is ${text.length} characters; at most ${MAX_STATEMENT} are kept.`)
  return text
}

/** Files the individual's statement of disagreement on every record whose amendment this request denied. */
export async function fileDisagreement(store: Store, operator: Operator, requestId: string, statementFile: string): Promise<DisagreeResult> {
  authorize(operator, 'requests.manage')
  const text = readStatement(statementFile)
  return inTransaction(store, async () => {
    const r = await findRequest(store, operator, requestId)
    const denied = await deniedRecords(store, r.id)
    if (denied.length === 0) throw conflict('NOT_DENIED', `Request ${r.request_id} has no denied amendment; a statement of disagreement follows a denial.`)
    const now = new Date().toISOString()
    for (const d of denied) {
      await insertStatement(store, {request_ref: r.id, record_type: d.record_type, record_id: d.record_id, statement: text, filed_by: operator.name, filed_at: now})
    }
    await appendAudit(store, operator.name, {action: 'requests.disagree', recordType: requestRecord.type, recordId: r.id}, now)
    return {requestId: r.request_id, statements: denied.map((d) => ({record: `${d.record_type}:${d.record_id}`, filedAt: now}))}
  })
}
