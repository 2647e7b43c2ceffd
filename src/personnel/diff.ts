import {type EmployeeValues, isHoursColumn, maskSsn} from './checks.js'
import {SSN_COLUMNS} from '../store/ssn-vault.js'

/** What an import or an edit changes in an employee's profile, field by field (both engines' imports, the edits). */

type Stored = Record<string, string | number | null>

export const UPDATABLE = [
  'ssn', 'last_name', 'first_name', 'middle_name', 'email', 'pay_plan', 'grade', 'step', 'tour_of_duty',
  'scheduled_hours', 'agency_code', 'org_code', 'supervisor_id', 'service_comp_date', 'hire_date',
  'separation_date', 'annual_leave_balance', 'sick_leave_balance', 'comp_time_balance',
] as const

/** The employees columns an import of these columns writes (an SSN goes to its sealed columns, store/ssn-vault.ts). */
export const storedColumns = (cols: readonly string[]): string[] => cols.flatMap((c) => (c === 'ssn' ? [...SSN_COLUMNS] : [c]))

/**
 * The before → after of the columns the row carries, as people read them (history is shown to people, and goes
 * to the individual in a response package): SSNs masked, hours in hours (the store keeps hundredths). The stored
 * SSN is compared by its keyed hash: `ssnHash` is the keyed hash of `after.ssn` (store/ssn-vault.ts).
 */
export function diffEmployee(before: Stored | undefined, after: EmployeeValues, ssnHash?: string | null): {field: string; from: unknown; to: unknown}[] {
  const changes: {field: string; from: unknown; to: unknown}[] = []
  for (const k of UPDATABLE) {
    if (!(k in after)) continue
    if (k === 'ssn') {
      if (after.ssn && !ssnHash) throw new Error('diffEmployee: an SSN without its keyed hash')
      const fromHash = before ? (before.ssn_hash ?? null) : null
      if (fromHash === (after.ssn ? ssnHash : null)) continue
      const last4 = before ? (before.ssn_last4 ?? null) : null
      changes.push({field: k, from: maskSsn(last4 as string | null), to: maskSsn(after.ssn ?? null)})
      continue
    }
    const from = before ? (before[k] ?? null) : null
    const to = after[k] ?? null
    if (from === to) continue
    if (isHoursColumn(k)) changes.push({field: k, from: from === null ? null : (from as number) / 100, to: to === null ? null : (to as number) / 100})
    else changes.push({field: k, from, to})
  }
  return changes
}


/**
 * The changes of an employee an import creates, in the form the import's history entry keeps them
 * (personnel/history.ts: historyChanges reads it back): a JSON object of the values the row brought, as people
 * read them, in UPDATABLE order: `{"ssn":"***-**-6789","last_name":"Doe",...}`, the same changes as
 * diffEmployee(undefined, after, hash) (every one from null; a null value is no change), in a third of the bytes
 * and without building them (the SQLite import makes one per row in its worker thread).
 */
export function createdChangesJson(after: EmployeeValues): string {
  let json = ''
  for (const {field, key, shown} of CREATED_FIELDS) {
    const to = after[field]
    if (to === undefined || to === null) continue
    json += (json === '' ? '{' : ',') + key + JSON.stringify(shown === 'masked' ? maskSsn(to as string) : shown === 'hours' ? (to as number) / 100 : to)
  }
  return json === '' ? '{}' : `${json}}`
}

/** createdChangesJson's fields, in UPDATABLE order: each one's JSON key and how its value is shown (worked out once, not per row). */
const CREATED_FIELDS = UPDATABLE.map((field) => ({
  field, key: `${JSON.stringify(field)}:`, shown: field === 'ssn' ? 'masked' : isHoursColumn(field) ? 'hours' : 'as is',
}))
