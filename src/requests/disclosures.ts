import type {Selectable} from 'kysely'

import {type Operator, authorize} from '../auth/roles.js'
import {appendAudit} from '../audit/chain.js'
import {type CivilDate, parseDateFlag, todayUtc} from '../calendar/dates.js'
import {notFound, usage} from '../errors.js'
import {accountDisclosure, disclosuresOf} from '../disclosures/accounting.js'
import {findEmployeeInScope} from '../personnel/service.js'
import {PROFILE, RECORD_REF_FORM, findSubjectRecord, isRecordType, parseRecordRef, registryEntry, subjectKeys} from '../records/registry.js'
import {type Store, inTransaction} from '../store/index.js'
import type {DisclosureTable} from '../store/schema.js'
import {routineUseOfSystem} from '../systems/service.js'
import {statementsOfSubject} from './queries.js'
import {disclosure as disclosureRecord, employee as employeeRecord} from '../records/types/index.js'

type DisclosureRow = Selectable<DisclosureTable>

/** One entry of the accounting of disclosures (5 U.S.C. 552a(c)): date, nature, purpose, recipient. */
export interface DisclosureView {
  date: string
  recipient: string
  address: string
  purpose: string
  routineUse: string | null
  recordType: string
  recordRef: string | null
}

/** A statement of disagreement (5 U.S.C. 552a(d)(4)), attached to the disputed record. */
export interface StatementView {
  requestId: string
  /** `<recordType>:<id>` of the disputed record. */
  record: string
  filedAt: string
  statement: string
}

export interface DisclosureListEntry extends DisclosureView {
  /** A statement of disagreement applies to the record disclosed: it goes with the record from now on. */
  disputed: boolean
}

export interface DisclosureList {
  employeeId: string
  disclosures: DisclosureListEntry[]
  /** Statements of disagreement on the subject's records, to be sent with every disclosure of those records. */
  statements: StatementView[]
}

/** The columns a view of a disclosure is made from (the registry's find returns them too). */
export type DisclosureViewSource = Pick<DisclosureRow, 'disclosed_on' | 'recipient' | 'address' | 'purpose' | 'routine_use' | 'record_type' | 'record_ref'>

export function toDisclosureView(r: DisclosureViewSource): DisclosureView {
  return {date: r.disclosed_on, recipient: r.recipient, address: r.address, purpose: r.purpose, routineUse: r.routine_use, recordType: r.record_type, recordRef: r.record_ref}
}

/**
 * The records of the subject a disclosure carried: its own record, and for a payroll batch the subject's
 * profile and timecards the batch was made from. One home for "was this record disclosed": amendment
 * notices (552a(c)(4)) and statements of disagreement (552a(d)(4)) both ask it.
 */
export function disclosureIncludes(d: {recordType: string; recordRef: string | null}, subjectEmployeeId: string, record: {type: string; id: string}): boolean {
  const isProfile = record.type === PROFILE.type
  if (d.recordType === record.type) {
    // A disclosure of the profile with no id is the subject's own profile.
    return d.recordRef === record.id || (isProfile && d.recordRef === null && record.id === subjectEmployeeId)
  }
  const carried = isRecordType(d.recordType) ? registryEntry(d.recordType).carries ?? [] : []
  return carried.includes(record.type) && (!isProfile || record.id === subjectEmployeeId)
}

/** Every statement of disagreement filed on records of the subject, oldest first. */
export async function statementsAbout(store: Store, subjectEmployeeId: string): Promise<(StatementView & {recordType: string; recordId: string})[]> {
  const rows = await statementsOfSubject(store, subjectEmployeeId)
  return rows.map((s) => ({requestId: s.request_id, record: `${s.record_type}:${s.record_id}`, recordType: s.record_type, recordId: s.record_id, filedAt: s.filed_at, statement: s.statement}))
}

function applying(statements: Awaited<ReturnType<typeof statementsAbout>>, d: DisclosureView, subject: string): StatementView[] {
  return statements.filter((s) => disclosureIncludes(d, subject, {type: s.recordType, id: s.recordId}))
    .map(({recordType: _t, recordId: _i, ...s}) => s)
}

/** The accounting the individual is entitled to see, oldest first, with the statements that go with it. Reading it is audited. */
export async function listDisclosures(store: Store, operator: Operator, employeeId: string): Promise<DisclosureList> {
  authorize(operator, 'disclosures.list')
  const employee = await findEmployeeInScope(store, operator, employeeId)
  const rows = await disclosuresOf(store, employee.employee_id)
  const statements = await statementsAbout(store, employee.employee_id)
  await inTransaction(store, () => appendAudit(store, operator.name, {action: 'disclosures.list', recordType: employeeRecord.type, recordId: employee.id}))
  return {
    employeeId: employee.employee_id,
    disclosures: rows.map(toDisclosureView).map((d) => ({...d, disputed: applying(statements, d, employee.employee_id).length > 0})),
    statements: statements.map(({recordType: _t, recordId: _i, ...s}) => s),
  }
}

export interface RecordDisclosureInput {
  employeeId: string
  recipient: string
  address: string
  purpose: string
  routineUse?: string
  /** Default: today (UTC). */
  date?: string
  /** `<recordType>[:<id>]`; default: the subject's profile. */
  record?: string
}

export interface RecordDisclosureResult extends DisclosureView {
  disclosureId: number
  employeeId: string
  /** Statements of disagreement on the disclosed record: send them with it (5 U.S.C. 552a(d)(4)). */
  statements: StatementView[]
}

/** Accounts one disclosure outside the agency (date, nature, purpose, recipient name and address). */
export async function recordDisclosure(store: Store, operator: Operator, input: RecordDisclosureInput): Promise<RecordDisclosureResult> {
  authorize(operator, 'disclosures.record')
  const text = (flag: string, v: string | undefined, max = 500) => {
    const s = (v ?? '').trim()
    if (s === '') throw usage(`--${flag} is required and may not be empty.`)
    if (s.length > max) throw usage(`--${flag} is longer than ${max} characters.`)
    return s
  }
  const recipient = text('recipient', input.recipient, 200)
  const address = text('address', input.address)
  const purpose = text('purpose', input.purpose)
  const routineUseFlag = input.routineUse === undefined ? null : text('routine-use', input.routineUse, 50)
  const date: CivilDate = input.date === undefined ? todayUtc() : parseDateFlag('date', input.date)
  return inTransaction(store, async () => {
    const employee = await findEmployeeInScope(store, operator, input.employeeId)
    const ref = parseRecordRef(input.record?.trim() || `${PROFILE.type}:${employee.employee_id}`)
    if (!ref) throw usage(`--record "${input.record}" must be ${RECORD_REF_FORM}.`)
    const recordType = ref.type
    let recordRef = ref.id || (registryEntry(recordType).idIsSubject ? employee.employee_id : null)
    if (ref.id) {
      // A record named by id must be one the person has: a mistyped id must not be accounted.
      const record = await findSubjectRecord(store, subjectKeys({employeeIds: [employee.employee_id]}), ref)
      if (!record) {
        throw notFound('RECORD_NOT_FOUND', `${employee.employee_id} has no ${recordType} record ${ref.id}. Their records are listed by: custodian requests search <requestId>.`, {record: `${recordType}:${ref.id}`})
      }
      recordRef = registryEntry(recordType).refOf(record)
    }
    // A routine use is one of the system that holds the disclosed record (5 U.S.C. 552a(b)(3)).
    const routineUse = routineUseFlag === null ? null : await routineUseOfSystem(store, registryEntry(recordType).system, routineUseFlag)
    const now = new Date().toISOString()
    const id = await accountDisclosure(store, {
      employee_ref: employee.id, subject_employee_id: employee.employee_id, disclosed_on: date, recipient, address, purpose,
      routine_use: routineUse, record_type: recordType, record_ref: recordRef, created_by: operator.name, created_at: now,
    })
    await appendAudit(store, operator.name, {action: 'disclosures.record', recordType: disclosureRecord.type, recordId: id}, now)
    const view: DisclosureView = {date, recipient, address, purpose, routineUse, recordType, recordRef}
    return {disclosureId: id, employeeId: employee.employee_id, ...view, statements: applying(await statementsAbout(store, employee.employee_id), view, employee.employee_id)}
  })
}
