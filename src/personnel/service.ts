import {type Operator, authorize, inScope} from '../auth/roles.js'
import {appendAudit, sha256} from '../audit/chain.js'
import {isRealDate} from '../calendar/dates.js'
import {conflict, notFound, usage} from '../errors.js'
import {type Store, inTransaction} from '../store/index.js'
import {nameKey} from '../text/names.js'
import {dashedSsn, decryptSsn, hashSsn, sealSsn, ssnKeys} from '../store/ssn-vault.js'
import {type Finding, type PersonnelColumn, type PersonnelRow, checkPersonnelRow, maskSsn, toEmployeeValues} from './checks.js'
import {type EmployeeAction, appendEmployeeHistory} from './history.js'
import {diffEmployee} from './diff.js'
import {type EmployeeRow, employeeById, employeeRows, ssnTakenByOther, updateEmployee} from './queries.js'
import {employee as employeeRecord} from '../records/types/index.js'

export type {EmployeeRow} from './queries.js'

/** An employee as shown (CLI.md, personnel show): camelCase CSV columns, hours as numbers, SSN masked. */
export interface EmployeeView {
  employeeId: string
  ssn: string | null
  lastName: string
  firstName: string
  middleName: string | null
  email: string | null
  payPlan: string
  grade: string | null
  step: number | null
  tourOfDuty: string
  scheduledHours: number
  agencyCode: string
  orgCode: string
  supervisorId: string | null
  serviceCompDate: string | null
  hireDate: string | null
  separationDate: string | null
  annualLeaveBalance: number
  sickLeaveBalance: number
  compTimeBalance: number
  status: 'active' | 'separated'
}

export const hours = (hundredths: number): number => hundredths / 100

export function employeeStatus(e: Pick<EmployeeRow, 'separation_date'>, asOf: string): 'active' | 'separated' {
  return e.separation_date !== null && e.separation_date <= asOf ? 'separated' : 'active'
}

/** The view of an employee: the SSN masked from its last four digits, or `revealed` (the decrypted SSN, dashed). */
export function toEmployeeView(e: EmployeeRow, opts: {revealed?: string | null; asOf: string}): EmployeeView {
  return {
    employeeId: e.employee_id,
    ssn: opts.revealed ?? maskSsn(e.ssn_last4),
    lastName: e.last_name,
    firstName: e.first_name,
    middleName: e.middle_name,
    email: e.email,
    payPlan: e.pay_plan,
    grade: e.grade,
    step: e.step,
    tourOfDuty: e.tour_of_duty,
    scheduledHours: hours(e.scheduled_hours),
    agencyCode: e.agency_code,
    orgCode: e.org_code,
    supervisorId: e.supervisor_id,
    serviceCompDate: e.service_comp_date,
    hireDate: e.hire_date,
    separationDate: e.separation_date,
    annualLeaveBalance: hours(e.annual_leave_balance),
    sickLeaveBalance: hours(e.sick_leave_balance),
    compTimeBalance: hours(e.comp_time_balance),
    status: employeeStatus(e, opts.asOf),
  }
}

/** The employee if it exists and is in the operator's scope; otherwise "not found" (exit 5), never a hint. */
export async function findEmployeeInScope(store: Store, operator: Operator, employeeId: string): Promise<EmployeeRow> {
  const id = employeeId.trim().toUpperCase()
  const row = await employeeById(store, id)
  if (!row || !inScope(operator, row.org_code)) throw notFound('EMPLOYEE_NOT_FOUND', `No employee ${id} in your scope.`, {employeeId: id})
  return row
}

export async function showEmployee(store: Store, operator: Operator, employeeId: string, opts: {revealSsn?: boolean; asOf: string}): Promise<EmployeeView> {
  authorize(operator, 'personnel.show')
  if (opts.revealSsn) authorize(operator, 'personnel.reveal-ssn')
  const row = await findEmployeeInScope(store, operator, employeeId)
  // Revealing needs the key (KEY_MISSING, exit 4, before anything is written); the masked form does not.
  const keys = opts.revealSsn ? await ssnKeys(store, 'Revealing an SSN') : null
  const revealed = keys && row.ssn_cipher ? dashedSsn(decryptSsn(keys, row.ssn_cipher)) : null
  await inTransaction(store, () =>
    appendAudit(store, operator.name, {action: opts.revealSsn ? 'personnel.reveal-ssn' : 'personnel.show', recordType: employeeRecord.type, recordId: row.id}))
  return toEmployeeView(row, {revealed, asOf: opts.asOf})
}

export interface ListFilter {
  org?: string
  status?: 'active' | 'separated'
  asOf: string
}

export async function listEmployees(store: Store, operator: Operator, filter: ListFilter): Promise<EmployeeView[]> {
  authorize(operator, 'personnel.list')
  const org = filter.org?.trim().toUpperCase()
  const rows = await employeeRows(store, {orgPrefixes: [org, operator.orgPrefix].filter((p): p is string => Boolean(p)), status: filter.status, asOf: filter.asOf})
  await inTransaction(store, () =>
    appendAudit(store, operator.name, {action: 'personnel.list', recordType: employeeRecord.type, digest: sha256(rows.map((r) => r.id).join(','))}))
  return rows.map((r) => toEmployeeView(r, {asOf: filter.asOf}))
}

export interface SeparateResult {
  employeeId: string
  separationDate: string
  status: 'active' | 'separated'
}

/** Records a separation (starts the retention clock of the employee's profile). */
export async function separateEmployee(store: Store, operator: Operator, employeeId: string, date: string, asOf: string): Promise<SeparateResult> {
  authorize(operator, 'personnel.separate')
  if (!isRealDate(date)) throw usage(`--date "${date}" is not a real date; write it as YYYY-MM-DD.`)
  return inTransaction(store, async () => {
    const row = await findEmployeeInScope(store, operator, employeeId)
    if (row.hire_date && date < row.hire_date) throw usage(`--date ${date} is before the employee's hire date ${row.hire_date}.`)
    if (row.separation_date === date) throw conflict('ALREADY_SEPARATED', `Employee ${row.employee_id} is already separated as of ${date}.`)
    const now = new Date().toISOString()
    await updateEmployee(store, row.id, {separation_date: date, updated_at: now})
    await appendEmployeeHistory(store, {
      employeeRef: row.id, at: now, actor: operator.name, action: 'separate', changes: [{field: 'separation_date', from: row.separation_date, to: date}], reason: null, batchId: null,
    })
    await appendAudit(store, operator.name, {action: 'personnel.separate', recordType: employeeRecord.type, recordId: row.id}, now)
    return {employeeId: row.employee_id, separationDate: date, status: employeeStatus({separation_date: date}, asOf)}
  })
}

/** A stored employee as an import row would carry it (the input of the personnel edit checks). */
function toPersonnelRow(e: EmployeeRow): PersonnelRow {
  const h = (n: number) => (n / 100).toFixed(2)
  return {
    // The stored SSN stays sealed: only an edit of the ssn field checks one (the new value).
    employee_id: e.employee_id, ssn: '', last_name: e.last_name, first_name: e.first_name, middle_name: e.middle_name ?? '',
    email: e.email ?? '', pay_plan: e.pay_plan, grade: e.grade ?? '', step: e.step === null ? '' : String(e.step), tour_of_duty: e.tour_of_duty,
    scheduled_hours: h(e.scheduled_hours), agency_code: e.agency_code, org_code: e.org_code, supervisor_id: e.supervisor_id ?? '',
    service_comp_date: e.service_comp_date ?? '', hire_date: e.hire_date ?? '', separation_date: e.separation_date ?? '',
    annual_leave_balance: h(e.annual_leave_balance), sick_leave_balance: h(e.sick_leave_balance), comp_time_balance: h(e.comp_time_balance),
  }
}

/**
 * The findings a one-field edit of a stored employee would get from the same checks an import runs
 * (row checks on the edited row, limited to that column, plus SSN-DUP). Empty: the edit may be applied.
 */
export async function checkEmployeeEdit(store: Store, e: EmployeeRow, field: PersonnelColumn, value: string, today: string): Promise<Finding[]> {
  const row = {...toPersonnelRow(e), [field]: value.trim()}
  const findings = checkPersonnelRow(row, today).filter((f) => f.column === field && f.severity === 'error')
  if (findings.length === 0 && field === 'ssn') {
    const ssn = toEmployeeValues(row).ssn
    if (ssn && (await ssnTakenByOther(store, hashSsn(await ssnKeys(store, 'Changing an SSN'), ssn), e.id, e.employee_id))) findings.push({code: 'PE-SSN-DUP', column: 'ssn', severity: 'error', message: 'ssn already belongs to another employee.'})
  }
  return findings
}

export interface EmployeeEdit {
  employeeId: string
  changes: {field: string; from: unknown; to: unknown}[]
}

/**
 * Applies a one-field edit that passed checkEmployeeEdit: the row, its name search key, a history row with
 * the field-level change (SSNs masked) and an audit entry (no values). Call it inside the caller's transaction.
 */
export async function applyEmployeeEdit(store: Store, operator: Operator, e: EmployeeRow, field: PersonnelColumn, value: string, opts: {action: EmployeeAction; reason: string; at?: string}): Promise<EmployeeEdit> {
  const v = toEmployeeValues({...toPersonnelRow(e), [field]: value.trim()})
  // An SSN is stored sealed (store/ssn-vault.ts): its columns, and its keyed hash to compare with the stored one.
  const sealed = field === 'ssn' ? sealSsn(await ssnKeys(store, 'Changing an SSN'), v.ssn ?? null) : null
  const changes = diffEmployee(e as unknown as Record<string, string | number | null>, {employee_id: e.employee_id, [field]: v[field as keyof typeof v]}, sealed?.ssn_hash)
  if (changes.length === 0) return {employeeId: e.employee_id, changes}
  const now = opts.at ?? new Date().toISOString()
  const next = {...e, [field]: v[field as keyof typeof v] ?? null}
  const values = sealed ?? {[field]: next[field as keyof typeof next]}
  await updateEmployee(store, e.id, {...values, name_key: nameKey(next.last_name, next.first_name), updated_at: now})
  await appendEmployeeHistory(store, {employeeRef: e.id, at: now, actor: operator.name, action: opts.action, changes, reason: opts.reason, batchId: null})
  await appendAudit(store, operator.name, {action: opts.action, recordType: employeeRecord.type, recordId: e.id}, now)
  return {employeeId: e.employee_id, changes}
}
