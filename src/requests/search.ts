import {type Operator, authorize, inScope} from '../auth/roles.js'
import {appendAudit, sha256} from '../audit/chain.js'
import {conflict} from '../errors.js'
import {maskSsn} from '../personnel/checks.js'
import {employeesBy} from '../personnel/queries.js'
import {hashSsn, openTagged, ssnKeys} from '../store/ssn-vault.js'
import type {EmployeeRow} from '../personnel/service.js'
import {foldName} from '../text/names.js'
import {REGISTRY, type RecordType, type SubjectKeys, subjectKeys} from '../records/registry.js'
import {SYSTEM_IDS} from '../records/kit.js'
import {type Store, inTransaction} from '../store/index.js'
import {type DisclosureView, type DisclosureViewSource, toDisclosureView} from './disclosures.js'
import {updateRequest} from './queries.js'
import {type RequestRow, findRequest} from './service.js'
import {request as requestRecord} from '../records/types/index.js'

/**
 * Access search: who the request is about, and every record about them across the record-type registry.
 * A request names its subject by any identifier a system retrieves by (employee_id, SSN, email, phone, user id,
 * case number). The employee, if any, is the request's employee_id; otherwise it is resolved by the
 * identifiers the request holds, most specific first: SSN, email (case-insensitive), an employee_id a record
 * found by the request's identifiers links (an account's), then, when no identifier found anything, the
 * requester's name (case- and accent-insensitive). Only employees in the operator's org scope are candidates.
 * Every system is then searched by every identifier, widened once through what the records found link.
 */
export type MatchedBy = 'employee_id' | 'ssn' | 'email' | 'name' | 'user_id' | 'phone' | 'case_number'

export interface Subject {
  /** The subject's employee_id; null for a subject who is no employee (an account, a member of the public). */
  employeeId: string | null
  /** "Last, First" while the profile exists (else the name a record found gives); null once retention destroyed it. */
  name: string | null
  orgCode: string | null
  matchedBy: MatchedBy
  /** Every identifier the systems were searched by (the request's, its employee's, and what the records found link). */
  identifiers: SubjectKeys
}

export type RecordsByType = Record<RecordType, Record<string, unknown>[]>

export interface SearchResult {
  requestId: string
  subject: Subject | null
  /** Every system of records searched: every system in the registry. */
  systems: string[]
  records: RecordsByType
  disclosures: DisclosureView[]
}

type Candidate = Pick<EmployeeRow, 'employee_id' | 'last_name' | 'first_name' | 'org_code' | 'email'>

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

/** The identifiers a request holds, in the form they are stored in. */
export function requestKeys(r: Pick<RequestRow, 'employee_id' | 'email' | 'phone' | 'user_id' | 'case_number'>): SubjectKeys {
  const one = (v: string | null) => (v ? [v] : [])
  return subjectKeys({
    employeeIds: one(r.employee_id?.toUpperCase() ?? null), emails: one(r.email?.toLowerCase() ?? null), phones: one(r.phone),
    userIds: one(r.user_id?.toLowerCase() ?? null), caseNumbers: one(r.case_number?.toUpperCase() ?? null),
  })
}

/** The keys of `a` and `b` together, each value once. */
export function mergeKeys(a: SubjectKeys, b: Partial<SubjectKeys>): SubjectKeys {
  const out = {...a}
  for (const k of Object.keys(a) as (keyof SubjectKeys)[]) out[k] = [...new Set([...a[k], ...(b[k] ?? [])])]
  return out
}

const sameKeys = (a: SubjectKeys, b: SubjectKeys) => (Object.keys(a) as (keyof SubjectKeys)[]).every((k) => a[k].length === b[k].length)

/** What the records found link (registry `links`): employee_ids apart, which only the subject resolution admits (org scope). */
function linksOf(records: RecordsByType): {keys: SubjectKeys; employeeIds: string[]; names: string[]} {
  let keys = subjectKeys()
  const employeeIds = new Set<string>()
  const names: string[] = []
  for (const entry of REGISTRY) {
    if (!entry.links) continue
    for (const record of records[entry.type]) {
      const {name, employeeIds: linked = [], ...rest} = entry.links(record)
      for (const id of linked) employeeIds.add(id.toUpperCase())
      if (name) names.push(name)
      keys = mergeKeys(keys, rest)
    }
  }
  return {keys, employeeIds: [...employeeIds], names}
}

/** The identifier of the request a subject who is no employee was found by: the most specific it holds. */
function nonEmployeeMatch(r: RequestRow): MatchedBy {
  return r.user_id ? 'user_id' : r.case_number ? 'case_number' : r.email ? 'email' : 'phone'
}

async function lookup(store: Store, r: RequestRow, linked: string[], foundAny: boolean): Promise<{matchedBy: MatchedBy; rows: Candidate[]} | null> {
  if (r.employee_id) return {matchedBy: 'employee_id', rows: await employeesBy(store, 'employee_id', [r.employee_id])}
  const tries: [MatchedBy, () => Promise<Candidate[]>][] = [
    // By the SSN's keyed hash (store/ssn-vault.ts): the key is needed (KEY_MISSING) only when the request gave one.
    ['ssn', async () => employeesBy(store, 'ssn_hash', r.ssn ? [await ssnKeys(store, 'Searching by SSN').then((k) => hashSsn(k, openTagged(k, r.ssn!)))] : [])],
    ['email', () => employeesBy(store, 'email', r.email ? [r.email] : [])],
    [nonEmployeeMatch(r), () => employeesBy(store, 'employee_id', linked)],
    // The name is the weakest key: only when none of the request's identifiers found a record.
    ['name', () => (foundAny ? Promise.resolve([]) : employeesBy(store, 'name_key', nameKeyCandidates(r.requester)))],
  ]
  for (const [matchedBy, find] of tries) {
    const rows = await find()
    if (rows.length > 0) return {matchedBy, rows}
  }
  return null
}

/** Whether the records hold any record besides the request itself (found by the user id or case number it keeps). */
const anyRecord = (records: RecordsByType, r: RequestRow) =>
  Object.entries(records).some(([type, list]) => list.some((x) => type !== requestRecord.type || x.id !== r.id))

/**
 * The request's subject in the operator's scope and every record about them, or a null subject when no
 * record matches. Several employees match: conflict (exit 6).
 */
export async function resolveSubject(store: Store, operator: Operator, r: RequestRow): Promise<{subject: Subject | null; records: RecordsByType}> {
  const given = requestKeys(r)
  // What the request's own identifiers find, and the employees those records link.
  const first = await recordsAbout(store, {...given, employeeIds: []})
  const firstLinks = linksOf(first)
  const found = await lookup(store, r, firstLinks.employeeIds, anyRecord(first, r))
  let employee: Omit<Subject, 'identifiers'> | null = null
  if (found?.matchedBy === 'employee_id' && found.rows.length === 0) {
    // The profile is gone (retention); records that outlive it (disclosures, requests) are still the subject's.
    employee = {employeeId: r.employee_id!, name: null, orgCode: null, matchedBy: 'employee_id'}
  } else if (found) {
    const rows = found.rows.filter((e) => inScope(operator, e.org_code))
    if (rows.length > 1) {
      throw conflict('SUBJECT_AMBIGUOUS', `The request's ${found.matchedBy} matches ${rows.length} employees; open the request again naming the subject with --employee.`, {
        candidates: rows.map((e) => e.employee_id),
      })
    }
    const e = rows[0]
    if (e) employee = {employeeId: e.employee_id, name: `${e.last_name}, ${e.first_name}`, orgCode: e.org_code, matchedBy: found.matchedBy}
    if (e?.email) given.emails = [...new Set([...given.emails, e.email.toLowerCase()])]
  }
  // Every system, by the request's identifiers and the employee's, widened once through what the records link.
  let keys = mergeKeys({...given, employeeIds: []}, {...firstLinks.keys, employeeIds: employee ? [employee.employeeId!] : []})
  let records = await recordsAbout(store, keys)
  const wider = mergeKeys(keys, linksOf(records).keys)
  if (!sameKeys(wider, keys)) records = await recordsAbout(store, (keys = wider))
  if (employee) return {subject: {...employee, identifiers: keys}, records}
  if (!anyRecord(records, r)) return {subject: null, records}
  return {subject: {employeeId: null, name: linksOf(records).names[0] ?? null, orgCode: null, matchedBy: nonEmployeeMatch(r), identifiers: keys}, records}
}

/**
 * Resolves the request's subject and, the first time, links the request to them (request.employee_id, and
 * the user id of the one account found): from then on the request follows that person, and retention keeps
 * their records while it is open. Call it inside the caller's transaction.
 */
export async function linkSubject(store: Store, operator: Operator, request: RequestRow): Promise<{subject: Subject | null; records: RecordsByType}> {
  const found = await resolveSubject(store, operator, request)
  const subject = found.subject
  let linked = false
  if (subject?.employeeId && request.employee_id === null) {
    await updateRequest(store, request.id, {employee_id: subject.employeeId})
    request.employee_id = subject.employeeId
    linked = true
  }
  if (subject && request.user_id === null && subject.identifiers.userIds.length === 1) {
    await updateRequest(store, request.id, {user_id: subject.identifiers.userIds[0]})
    request.user_id = subject.identifiers.userIds[0]
    linked = true
  }
  // Linked now, the request itself is one of the subject's records.
  return linked ? {subject, records: await recordsAbout(store, subject!.identifiers)} : found
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
  const {subject, records} = await linkSubject(store, operator, request)
  // The accounting is the subject's disclosure records, oldest first, as the registry found them.
  const disclosures = (records.disclosure as unknown as DisclosureViewSource[]).map(toDisclosureView)
  return {request, subject, records, disclosures}
}

/** Every system of records a search looks in: every system of the registry (records/kit.ts SYSTEM_IDS). */
export const searchedSystems = (): string[] => [...SYSTEM_IDS]

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
  return {requestId: g.request.request_id, subject: g.subject, systems: searchedSystems(), records: redactSsns(g.records), disclosures: g.disclosures}
}
