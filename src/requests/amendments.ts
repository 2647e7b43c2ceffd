import fs from 'node:fs'

import {type Operator, authorize} from '../auth/roles.js'
import {appendAudit} from '../audit/chain.js'
import {CustodianError, conflict, notFound, usage} from '../errors.js'
import {disclosuresOf} from '../disclosures/accounting.js'
import {RECORD_REF_FORM, REGISTRY, type RecordType, parseRecordRef, registryEntry} from '../records/registry.js'
import {type Store, inTransaction} from '../store/index.js'
import {type DisclosureView, disclosureIncludes, toDisclosureView} from './disclosures.js'
import {amendmentsById, amendmentsOf, decideAmendment, deniedRecords, insertAmendment, insertStatement} from './queries.js'
import {linkSubject} from './search.js'
import {type AmendmentRow, type AmendmentView, type RequestRow, amendmentView, assertOpen, findRequest} from './service.js'
import {request as requestRecord} from '../records/types/index.js'

/**
 * Amendment of records (5 U.S.C. 552a(d)(2)-(4)): the correction asked for, the decision, and the
 * individual's statement of disagreement after a denial.
 *
 * Any field a record type shows the individual may be named: each record type module says which
 * (`amendable`) and how a correction is checked and applied (`amender`: a profile through its edit path, a
 * timecard line through `timecards amend`'s new version, an account's name, email or department, a
 * stakeholder contact's shown fields, an inquiry's intake fields).
 */
export const AMENDABLE: Readonly<Partial<Record<string, readonly string[]>>> = Object.fromEntries(
  REGISTRY.filter((e) => e.amendable && e.amender).map((e) => [e.type, e.amendable!]),
)

export interface AmendInput {
  /** `<recordType>:<id>`, e.g. employee:E1001, timecard:17, account:dwhitfield. */
  record: string
  field: string
  value: string
}

export interface AmendResult {
  requestId: string
  amendment: AmendmentView
}

function parseRecord(record: string): {type: RecordType; id: string} {
  const ref = parseRecordRef(record)
  if (!ref || ref.id === '') throw usage(`--record "${record}" must be ${RECORD_REF_FORM}.`)
  return {type: ref.type, id: ref.id}
}

function assertAmendmentRequest(r: RequestRow): void {
  if (r.type !== 'amendment') throw usage(`Request ${r.request_id} is an ${r.type} request; amendments belong to an amendment request (requests open --type amendment).`)
}

/** The record `<type>:<id>` among the records about the request's subject (resolved and linked on first use). */
async function subjectRecord(store: Store, operator: Operator, r: RequestRow, ref: {type: RecordType; id: string}): Promise<Record<string, unknown>> {
  const {subject, records} = await linkSubject(store, operator, r)
  if (!subject) throw notFound('SUBJECT_NOT_FOUND', `No record in your scope matches request ${r.request_id}; open it with --employee, --email, --phone, --user-id or --case.`)
  const entry = registryEntry(ref.type)
  const own = records[ref.type]
  const record = own.find((x) => entry.refOf(x).toUpperCase() === ref.id.toUpperCase())
  if (!record) {
    const theirs = own.map((x) => `${ref.type}:${entry.refOf(x)}`)
    throw usage(`Request ${r.request_id}'s subject has no record ${ref.type}:${ref.id}; a request amends its subject's own records${theirs.length > 0 ? ` (${theirs.slice(0, 10).join(', ')}${theirs.length > 10 ? ', ...' : ''})` : ''}.`)
  }
  return record
}

const amenderOf = async (type: RecordType) => (await registryEntry(type).amender!()).default

/** States the correction asked for; the value must pass the checks of the record type's own edit path. */
export async function amendRequest(store: Store, operator: Operator, requestId: string, input: AmendInput): Promise<AmendResult> {
  authorize(operator, 'requests.manage')
  const ref = parseRecord(input.record)
  if (!AMENDABLE[ref.type]) throw usage(`${ref.type} records are not amended through a request; amendable record types: ${Object.keys(AMENDABLE).join(', ')}.`)
  const amender = await amenderOf(ref.type)
  return inTransaction(store, async () => {
    const r = await findRequest(store, operator, requestId)
    assertOpen(r)
    assertAmendmentRequest(r)
    const record = await subjectRecord(store, operator, r, ref)
    const checked = await amender.check(store, record, input.field, input.value)
    const now = new Date().toISOString()
    const id = await insertAmendment(store, {
      request_ref: r.id, record_type: ref.type, record_id: registryEntry(ref.type).refOf(record), field: checked.field, current_value: checked.current,
      requested_value: checked.requested, status: 'pending', decision_reason: null, decided_by: null, decided_at: null, created_by: operator.name, created_at: now,
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
 * Grants or denies the request's pending amendments. A grant changes the record through its type's own edit
 * path (history naming the request, audit) and lists the recipients to tell; a denial needs a reason.
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
    if (opts.grant) {
      // Each record's granted amendments are applied together, by its type's own edit path.
      const byRecord = new Map<string, AmendmentRow[]>()
      for (const a of pending) byRecord.set(`${a.record_type}:${a.record_id}`, [...(byRecord.get(`${a.record_type}:${a.record_id}`) ?? []), a])
      for (const [name, amendments] of byRecord) {
        const ref = parseRecord(name)
        const record = await subjectRecord(store, operator, r, ref)
        try {
          await (await amenderOf(ref.type)).apply(store, operator, record, amendments.map((a) => ({field: a.field, value: a.requested_value})), {reason: `${r.request_id}: ${reason || 'amendment granted'}`, at: now})
        } catch (error) {
          if (error instanceof CustodianError) error.message = `The amendment of ${name} (${amendments.map((a) => a.id).join(', ')}) was not applied: ${error.message}`
          throw error
        }
        // The accounting of disclosures is kept by employee: the records disclosed were the employee's.
        if (r.employee_id) {
          const disclosed = await disclosuresOf(store, r.employee_id, {onOrBefore: now.slice(0, 10)})
          for (const d of disclosed.map(toDisclosureView)) {
            if (disclosureIncludes(d, r.employee_id, {type: ref.type, id: ref.id})) notify.set(`${d.recipient}\u0000${d.address}`, d)
          }
        }
      }
    }
    for (const a of pending) await decideAmendment(store, a.id, {status: decision, decision_reason: reason || null, decided_by: operator.name, decided_at: now})
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
