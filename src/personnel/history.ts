import type BetterSqlite3 from 'better-sqlite3'

import type {Store} from '../store/index.js'

/**
 * The one writer of employee_history: every change to an employee's profile, field by field (SSNs masked
 * by the caller), with who, when, why and the import batch that made it. Kysely for the use cases; a
 * prepared statement for SQLite hot paths (imports, payroll export), the same row either way.
 */

export type EmployeeAction = 'import.insert' | 'import.update' | 'separate' | 'payroll.leave' | 'requests.amendment'

export interface FieldChange {
  field: string
  from: unknown
  to: unknown
}

export interface EmployeeHistoryEntry {
  employeeRef: number | bigint
  at: string
  actor: string
  action: EmployeeAction
  changes: readonly FieldChange[]
  reason: string | null
  batchId: number | null
}

const row = (e: EmployeeHistoryEntry) => ({
  employee_ref: Number(e.employeeRef), at: e.at, actor: e.actor, action: e.action, changes: JSON.stringify(e.changes), reason: e.reason, batch_id: e.batchId,
})

export async function appendEmployeeHistory(store: Store, entry: EmployeeHistoryEntry): Promise<void> {
  await store.db.insertInto('employee_history').values(row(entry)).execute()
}

/** For a SQLite hot path: one prepared statement, run once per entry inside the caller's transaction. */
export function employeeHistoryWriter(db: BetterSqlite3.Database): (entry: EmployeeHistoryEntry) => void {
  const insert = db.prepare('INSERT INTO employee_history (employee_ref, at, actor, action, changes, reason, batch_id) VALUES (?, ?, ?, ?, ?, ?, ?)')
  return (e) => {
    insert.run(e.employeeRef, e.at, e.actor, e.action, JSON.stringify(e.changes), e.reason, e.batchId)
  }
}
