import {type Operator, authorize, inScope} from '../auth/roles.js'
import {appendAudit} from '../audit/chain.js'
import {type CivilDate, todayUtc} from '../calendar/dates.js'
import {closureDays} from '../closures/service.js'
import {conflict, notFound, usage} from '../errors.js'
import {maskSsn, normalizeSsn} from '../personnel/checks.js'
import {sealTagged, ssnKeys} from '../store/ssn-vault.js'
import {findEmployeeInScope} from '../personnel/service.js'
import {type Store, getSetting, inTransaction, putSetting} from '../store/index.js'
import {checkAddress, checkCaseNumber, checkDate, checkEmail, checkPhone, checkRequester, checkUserId, phoneDigits} from './checks.js'
import {employeeById} from '../personnel/queries.js'
import {
  type AmendmentRow, type RequestRow, amendmentsOf, countExtensions, insertExtension, insertRequest, lastRequestNumber, requestByNumber, requestChildren,
  requestRowsWithOrg, updateRequest,
} from './queries.js'
import {REQUEST_TYPES, type RequestType, clockDays, extendDue, isOverdue, requestClocks} from './clocks.js'
import {request as requestRecord} from '../records/types/index.js'

export type {RequestRow} from './queries.js'

export interface OpenInput {
  type: RequestType
  requester: string
  email?: string
  phone?: string
  /** Mailing address for the letter (lines separated by " | "). */
  address?: string
  employeeId?: string
  ssn?: string
  /** The subject's information-system user id (USPS 550.000). */
  userId?: string
  /** An inquiry case number of the subject (DOL CRM), INQ-YYYY-NNNNNN. */
  caseNumber?: string
  /** Default: today (UTC). */
  received?: string
  verified?: string
}

export interface OpenResult {
  requestId: string
  type: RequestType
  status: 'open' | 'closed'
  received: CivilDate
  acknowledgeBy: CivilDate
  dueBy: CivilDate
  warnings: string[]
}

function intakeUsage(flag: string, problem: string | null): void {
  if (problem) throw usage(`--${flag}: ${problem}`)
}

/**
 * The next request number of the year, from a counter that only goes up: a disposal destroys requests, and a
 * number once given must never name a second request (it is on letters, appeals and the accounting). The
 * counter starts from the highest number a store made before it existed. Inside the caller's transaction.
 */
async function nextRequestId(store: Store, year: string): Promise<string> {
  const key = `requests.last_number.${year}`
  const last = await lastRequestNumber(store, year)
  const n = Math.max(Number((await getSetting(store, key)) ?? 0), last ? Number(last.split('-')[2]) : 0) + 1
  await putSetting(store, key, String(n))
  return `PA-${year}-${String(n).padStart(4, '0')}`
}

/** Opens a request numbered PA-YYYY-NNNN by received year, with its working-day clocks. */
export async function openRequest(store: Store, operator: Operator, input: OpenInput): Promise<OpenResult> {
  authorize(operator, 'requests.manage')
  if (!(REQUEST_TYPES as readonly string[]).includes(input.type)) throw usage(`--type must be one of ${REQUEST_TYPES.join(', ')}.`)
  intakeUsage('requester', checkRequester(input.requester))
  if (input.email !== undefined) intakeUsage('email', checkEmail(input.email))
  if (input.phone !== undefined) intakeUsage('phone', checkPhone(input.phone))
  if (input.address !== undefined) intakeUsage('address', checkAddress(input.address))
  if (input.userId !== undefined) intakeUsage('user-id', checkUserId(input.userId))
  if (input.caseNumber !== undefined) intakeUsage('case', checkCaseNumber(input.caseNumber))
  const today = todayUtc()
  const received = input.received?.trim() ?? today
  intakeUsage('received', checkDate(received))
  let ssn: string | null = null
  if (input.ssn !== undefined) {
    // Never echo the value: it is (or is meant to be) an SSN.
    const clear = normalizeSsn(input.ssn.trim())
    if (!clear) throw usage('--ssn is not a valid SSN: expected 9 digits (123-45-6789 or 123456789).')
    // Kept sealed with its last four digits (store/ssn-vault.ts): storing it needs the key (KEY_MISSING, exit 4).
    ssn = sealTagged(await ssnKeys(store, 'Opening a request with an SSN'), clear)
  }
  const warnings = received > today ? [`The received date ${received} is after today (${today}); the clocks run from it as given.`] : []

  return inTransaction(store, async () => {
    const employee = input.employeeId === undefined ? undefined : await findEmployeeInScope(store, operator, input.employeeId)
    const clocks = requestClocks(input.type, received, new Set((await closureDays(store)).keys()), clockDays(await getSetting(store, 'requests.clocks')))
    const requestId = await nextRequestId(store, received.slice(0, 4))
    const now = new Date().toISOString()
    const id = await insertRequest(store, {
      request_id: requestId, type: input.type, status: 'open', requester: input.requester.trim(),
      email: input.email?.trim() || null, phone: input.phone === undefined ? null : phoneDigits(input.phone), address: input.address?.trim() || null,
      employee_id: employee?.employee_id ?? null, ssn, user_id: input.userId?.trim().toLowerCase() ?? null,
      case_number: input.caseNumber?.trim().toUpperCase() ?? null, received, verified: input.verified?.trim() || null,
      acknowledge_by: clocks.acknowledgeBy, due_by: clocks.dueBy, closed_at: null, closed_on: null, close_note: null,
      created_by: operator.name, created_at: now,
    })
    await appendAudit(store, operator.name, {action: 'requests.open', recordType: requestRecord.type, recordId: id}, now)
    return {requestId, type: input.type, status: 'open' as const, received, ...clocks, warnings}
  })
}

/**
 * The request if it exists and the operator may see it: a request linked to an employee outside the
 * operator's org scope is "not found" (exit 5), like any out-of-scope look-up.
 */
export async function findRequest(store: Store, operator: Operator, requestId: string): Promise<RequestRow> {
  const id = requestId.trim().toUpperCase()
  const row = await requestByNumber(store, id)
  if (row && (await requestInScope(store, operator, row))) return row
  throw notFound('REQUEST_NOT_FOUND', `No request ${id} in your scope.`, {requestId: id})
}

/** A request is in scope when it has no subject yet, or its subject's org is in the operator's scope. */
function requestScopeAllows(operator: Operator, subject: string | null, subjectOrg: string | null | undefined): boolean {
  if (operator.orgPrefix === null || subject === null) return true
  // A subject whose profile is gone is no longer in anyone's org: only agency-wide staff see the request.
  return subjectOrg !== null && subjectOrg !== undefined && inScope(operator, subjectOrg)
}

async function requestInScope(store: Store, operator: Operator, r: RequestRow): Promise<boolean> {
  if (operator.orgPrefix === null || r.employee_id === null) return true
  const e = await employeeById(store, r.employee_id)
  return requestScopeAllows(operator, r.employee_id, e?.org_code)
}

export function assertOpen(r: RequestRow): void {
  if (r.status === 'closed') throw conflict('REQUEST_CLOSED', `Request ${r.request_id} is closed.`, {requestId: r.request_id})
}

export interface RequestSummary {
  requestId: string
  type: RequestType
  status: 'open' | 'closed'
  overdue: boolean
  requester: string
  employeeId: string | null
  received: CivilDate
  acknowledgeBy: CivilDate
  dueBy: CivilDate
  closedOn: CivilDate | null
}

function summary(r: RequestRow, asOf: CivilDate): RequestSummary {
  return {
    requestId: r.request_id, type: r.type, status: r.status, overdue: isOverdue({status: r.status, dueBy: r.due_by}, asOf),
    requester: r.requester, employeeId: r.employee_id, received: r.received, acknowledgeBy: r.acknowledge_by, dueBy: r.due_by, closedOn: r.closed_on,
  }
}

export type ListStatus = 'open' | 'overdue' | 'closed'

export async function listRequests(store: Store, operator: Operator, filter: {status?: ListStatus; asOf: CivilDate}): Promise<RequestSummary[]> {
  authorize(operator, 'requests.manage')
  // The subject's org comes with each request (one query, however many requests).
  const query = filter.status === 'overdue' ? {status: 'open' as const, dueBefore: filter.asOf} : {status: filter.status}
  const rows = (await requestRowsWithOrg(store, query)).filter((r) => requestScopeAllows(operator, r.employee_id, r.subject_org))
  await inTransaction(store, () => appendAudit(store, operator.name, {action: 'requests.list', recordType: requestRecord.type}))
  return rows.map((r) => summary(r, filter.asOf))
}

export interface RequestDetail extends RequestSummary {
  email: string | null
  phone: string | null
  userId: string | null
  caseNumber: string | null
  address: string | null
  ssn: string | null
  verified: string | null
  closeNote: string | null
  extensions: {workingDays: number; reason: string; previousDueBy: CivilDate; dueBy: CivilDate; actor: string; at: string}[]
  amendments: AmendmentView[]
  statements: {record: string; filedBy: string; filedAt: string; statement: string}[]
}

export interface AmendmentView {
  amendmentId: number
  record: string
  field: string
  currentValue: string | null
  requestedValue: string
  status: 'pending' | 'granted' | 'denied'
  reason: string | null
  decidedBy: string | null
  decidedAt: string | null
}

export type {AmendmentRow} from './queries.js'

/** SSN values are shown masked everywhere but in the subject's own response package. */
export function amendmentView(a: AmendmentRow): AmendmentView {
  const shown = (v: string | null) => (a.field === 'ssn' ? maskSsn(v) : v)
  return {
    amendmentId: a.id, record: `${a.record_type}:${a.record_id}`, field: a.field, currentValue: shown(a.current_value),
    requestedValue: shown(a.requested_value) ?? '', status: a.status, reason: a.decision_reason, decidedBy: a.decided_by, decidedAt: a.decided_at,
  }
}

export async function showRequest(store: Store, operator: Operator, requestId: string, asOf: CivilDate): Promise<RequestDetail> {
  authorize(operator, 'requests.manage')
  const r = await findRequest(store, operator, requestId)
  const {extensions, amendments, statements} = await requestChildren(store, r.id)
  await inTransaction(store, () => appendAudit(store, operator.name, {action: 'requests.show', recordType: requestRecord.type, recordId: r.id}))
  return {
    ...summary(r, asOf), email: r.email, phone: r.phone, userId: r.user_id, caseNumber: r.case_number, address: r.address, ssn: maskSsn(r.ssn), verified: r.verified, closeNote: r.close_note,
    extensions: extensions.map((e) => ({workingDays: e.working_days, reason: e.reason, previousDueBy: e.previous_due_by, dueBy: e.due_by, actor: e.actor, at: e.at})),
    amendments: amendments.map(amendmentView),
    statements: statements.map((s) => ({record: `${s.record_type}:${s.record_id}`, filedBy: s.filed_by, filedAt: s.filed_at, statement: s.statement})),
  }
}

export interface ExtendResult {
  requestId: string
  previousDueBy: CivilDate
  dueBy: CivilDate
  workingDays: number
  extensions: number
}

/** Moves dueBy by n working days (counted from the current dueBy); every extension is kept with its reason. */
export async function extendRequest(store: Store, operator: Operator, requestId: string, workingDays: number, reason: string): Promise<ExtendResult> {
  authorize(operator, 'requests.manage')
  if (!Number.isInteger(workingDays) || workingDays < 1 || workingDays > 100) throw usage('--working-days must be a whole number from 1 to 100.')
  if (reason.trim() === '') throw usage('--reason must say why the request needs more time (e.g. unusual circumstances).')
  return inTransaction(store, async () => {
    const r = await findRequest(store, operator, requestId)
    assertOpen(r)
    const dueBy = extendDue(r.due_by, workingDays, new Set((await closureDays(store)).keys()))
    const now = new Date().toISOString()
    await insertExtension(store, {
      request_ref: r.id, working_days: workingDays, reason: reason.trim(), previous_due_by: r.due_by, due_by: dueBy, actor: operator.name, at: now,
    })
    await updateRequest(store, r.id, {due_by: dueBy})
    await appendAudit(store, operator.name, {action: 'requests.extend', recordType: requestRecord.type, recordId: r.id}, now)
    const n = await countExtensions(store, r.id)
    return {requestId: r.request_id, previousDueBy: r.due_by, dueBy, workingDays, extensions: n}
  })
}

export interface CloseResult {
  requestId: string
  status: 'closed'
  closedOn: CivilDate
  note: string | null
}

/** Closes a request (final agency action: the retention clock of the request file starts). */
export async function closeRequest(store: Store, operator: Operator, requestId: string, opts: {note?: string; date?: string}): Promise<CloseResult> {
  authorize(operator, 'requests.manage')
  const closedOn = opts.date?.trim() ?? todayUtc()
  intakeUsage('date', checkDate(closedOn))
  return inTransaction(store, async () => {
    const r = await findRequest(store, operator, requestId)
    assertOpen(r)
    if (closedOn < r.received) throw usage(`--date ${closedOn} is before the request was received (${r.received}).`)
    const pending = (await amendmentsOf(store, r.id, {pending: true})).length
    if (pending > 0) throw conflict('AMENDMENT_PENDING', `Request ${r.request_id} has ${pending} amendment(s) awaiting a decision; decide them first (requests decide).`)
    const now = new Date().toISOString()
    const note = opts.note?.trim() || null
    await updateRequest(store, r.id, {status: 'closed', closed_at: now, closed_on: closedOn, close_note: note})
    await appendAudit(store, operator.name, {action: 'requests.close', recordType: requestRecord.type, recordId: r.id}, now)
    return {requestId: r.request_id, status: 'closed' as const, closedOn, note}
  })
}
