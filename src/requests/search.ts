import {type Operator, authorize, inScope} from '../auth/roles.js'
import {appendAudit, sha256} from '../audit/chain.js'
import {conflict} from '../errors.js'
import {maskSsn} from '../personnel/checks.js'
import {employeesBy} from '../personnel/queries.js'
import type {EmployeeRow} from '../personnel/service.js'
import {foldName} from '../text/names.js'
import {REGISTRY, type RecordType, type SubjectKeys, subjectKeys} from '../records/registry.js'
import {type Store, inTransaction} from '../store/index.js'
import {type DisclosureView, type DisclosureViewSource, toDisclosureView} from './disclosures.js'
import {updateRequest} from './queries.js'
import {type RequestRow, findRequest} from './service.js'
import {request as requestRecord} from '../records/types/index.js'

/**
 * Access search: who the request is about, and every record about them across the record-type registry.
 * The subject is the request's employee_id; otherwise it is resolved by the identifiers the request holds,
 * most specific first: SSN, email (case-insensitive), then the requester's name (case- and accent-insensitive).
 * Only employees in the operator's org scope are candidates.
 */
export type MatchedBy = 'employee_id' | 'ssn' | 'email' | 'name'

export interface Subject {
  employeeId: string
  /** "Last, First" while the profile exists; null once retention destroyed it. */
  name: string | null
  orgCode: string | null
  matchedBy: MatchedBy
}

export type RecordsByType = Record<RecordType, Record<string, unknown>[]>

export interface SearchResult {
  requestId: string
  subject: Subject | null
  records: RecordsByType
  disclosures: DisclosureView[]
}

type Candidate = Pick<EmployeeRow, 'employee_id' | 'last_name' | 'first_name' | 'org_code'>


/**
 * The name_key values a requester's name may stand for. "Last, First [Middle]" is unambiguous; "First
 * [Middle…] Last" is tried at every split, with and without the middle words in the first name.
 */
export function nameKeyCandidates(requester: string): string[] {
  const keys = new Set<string>()
  const comma = requester.indexOf(',')
  if (comma > 0) {
    const last = foldName(requester.slice(0, comma))
    const given = foldName(requester.slice(comma + 1)).split(' ').filter(Boolean)
    for (let i = 1; i <= given.length; i++) keys.add(`${last}|${given.slice(0, i).join(' ')}`)
    return [...keys].filter((k) => !k.startsWith('|') && !k.endsWith('|'))
  }
  const words = foldName(requester).split(' ').filter(Boolean)
  for (let i = 1; i < words.length; i++) {
    const last = words.slice(i).join(' ')
    keys.add(`${last}|${words.slice(0, i).join(' ')}`)
    keys.add(`${last}|${words[0]}`)
  }
  return [...keys]
}

async function lookup(store: Store, r: RequestRow): Promise<{matchedBy: MatchedBy; rows: Candidate[]} | null> {
  if (r.employee_id) return {matchedBy: 'employee_id', rows: await employeesBy(store, 'employee_id', [r.employee_id])}
  const tries: [MatchedBy, () => Promise<Candidate[]>][] = [
    ['ssn', () => employeesBy(store, 'ssn', r.ssn ? [r.ssn] : [])],
    ['email', () => employeesBy(store, 'email', r.email ? [r.email] : [])],
    ['name', () => employeesBy(store, 'name_key', nameKeyCandidates(r.requester))],
  ]
  for (const [matchedBy, find] of tries) {
    const rows = await find()
    if (rows.length > 0) return {matchedBy, rows}
  }
  return null
}

/** The request's subject in the operator's scope, or null when no record matches. Several matches: conflict (exit 6). */
export async function resolveSubject(store: Store, operator: Operator, r: RequestRow): Promise<Subject | null> {
  const found = await lookup(store, r)
  if (!found) return null
  if (found.matchedBy === 'employee_id' && found.rows.length === 0) {
    // The profile is gone (retention); records that outlive it (disclosures, requests) are still the subject's.
    return {employeeId: r.employee_id!, name: null, orgCode: null, matchedBy: 'employee_id'}
  }
  const rows = found.rows.filter((e) => inScope(operator, e.org_code))
  if (rows.length === 0) return null
  if (rows.length > 1) {
    throw conflict('SUBJECT_AMBIGUOUS', `The request's ${found.matchedBy} matches ${rows.length} employees; open the request again naming the subject with --employee.`, {
      candidates: rows.map((e) => e.employee_id),
    })
  }
  const e = rows[0]
  return {employeeId: e.employee_id, name: `${e.last_name}, ${e.first_name}`, orgCode: e.org_code, matchedBy: found.matchedBy}
}

/**
 * Resolves the request's subject and, the first time, links the request to them (request.employee_id):
 * from then on the request follows that person, and retention keeps their records while it is open.
 * Call it inside the caller's transaction.
 */
export async function linkSubject(store: Store, operator: Operator, request: RequestRow): Promise<Subject | null> {
  const subject = await resolveSubject(store, operator, request)
  if (subject && request.employee_id === null) {
    await updateRequest(store, request.id, {employee_id: subject.employeeId})
    request.employee_id = subject.employeeId
  }
  return subject
}

/** Every record of every registered type about the subject, as stored (unmasked: callers decide what to show). */
export async function recordsAbout(store: Store, subject: SubjectKeys): Promise<RecordsByType> {
  const out = {} as RecordsByType
  for (const entry of REGISTRY) out[entry.type] = await entry.find(store, subject)
  return out
}

/**
 * Replaces every `ssn` value in a tree of records: the one SSN in `reveal` is written whole (the subject's
 * own, in their own package), any other is masked.
 */
export function redactSsns<T>(value: T, reveal: string | null = null): T {
  if (Array.isArray(value)) return value.map((v) => redactSsns(v, reveal)) as T
  if (value === null || typeof value !== 'object') return value
  const shown = (v: string) => (reveal !== null && v === reveal ? `${v.slice(0, 3)}-${v.slice(3, 5)}-${v.slice(5)}` : maskSsn(v))
  // An SSN is held under the key `ssn`, or as a value of a change or an amendment of the field `ssn`.
  const ssnKeys = (value as {field?: unknown}).field === 'ssn' ? ['from', 'to', 'current_value', 'requested_value'] : []
  const out: Record<string, unknown> = {}
  for (const [k, v] of Object.entries(value)) {
    if ((k === 'ssn' || ssnKeys.includes(k)) && typeof v === 'string') out[k] = shown(v)
    else out[k] = redactSsns(v, reveal)
  }
  return out as T
}

export interface Gathered {
  request: RequestRow
  subject: Subject | null
  records: RecordsByType
  disclosures: DisclosureView[]
}

/**
 * Resolves the subject (linking it to the request, so retention keeps the subject's records while the request
 * is open) and gathers every record about them. Call it inside the caller's transaction.
 */
export async function gather(store: Store, operator: Operator, requestId: string): Promise<Gathered> {
  const request = await findRequest(store, operator, requestId)
  const subject = await linkSubject(store, operator, request)
  // The request's own email and phone too: systems that retrieve by them (contacts, accounts) find their records.
  const records = await recordsAbout(store, subjectKeys({
    employeeIds: subject ? [subject.employeeId] : [], emails: request.email ? [request.email.toLowerCase()] : [],
    phones: request.phone ? [request.phone.replaceAll(/\D/g, '')] : [],
  }))
  // The accounting is the subject's disclosure records, oldest first, as the registry found them.
  const disclosures = (records.disclosure as unknown as DisclosureViewSource[]).map(toDisclosureView)
  return {request, subject, records, disclosures}
}

/** A digest of what was found (record types and surrogate ids): the audit entry names no person. */
export function foundDigest(records: RecordsByType): string {
  return sha256(Object.entries(records).map(([type, rows]) => `${type}:${rows.map((x) => x.id).join(',')}`).join(';'))
}

export async function searchRequest(store: Store, operator: Operator, requestId: string): Promise<SearchResult> {
  authorize(operator, 'requests.manage')
  const g = await inTransaction(store, async () => {
    const found = await gather(store, operator, requestId)
    await appendAudit(store, operator.name, {action: 'requests.search', recordType: requestRecord.type, recordId: found.request.id, digest: foundDigest(found.records)})
    return found
  })
  return {requestId: g.request.request_id, subject: g.subject, records: redactSsns(g.records), disclosures: g.disclosures}
}
