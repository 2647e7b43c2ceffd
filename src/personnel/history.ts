import type BetterSqlite3 from 'better-sqlite3'
import {sql} from 'kysely'

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

/**
 * An 'import.insert' entry (both engines' imports) keeps its changes in a compact form: one JSON object of the
 * values the row brought, `{"field": to, ...}` in field order (every change of a created employee is from
 * null): diff.ts createdChangesJson, about 400 bytes an employee instead of the array form's 860 (a bulk load
 * writes one per employee: most of its bytes). Every other entry, and the inserts stored before, keep the
 * array of FieldChange. historyChanges reads either as the array: an entry's changes as stored → FieldChange[].
 */
export function historyChanges(stored: string): FieldChange[] {
  const parsed = JSON.parse(stored) as FieldChange[] | Record<string, unknown>
  if (Array.isArray(parsed)) return parsed
  return Object.entries(parsed).map(([field, to]) => ({field, from: null, to}))
}

/** For a SQLite hot path: one prepared statement, run once per entry inside the caller's transaction. */
export function employeeHistoryWriter(db: BetterSqlite3.Database): (entry: EmployeeHistoryEntry) => void {
  const insert = db.prepare('INSERT INTO employee_history (employee_ref, at, actor, action, changes, reason, batch_id) VALUES (?, ?, ?, ?, ?, ?, ?)')
  return (e) => {
    insert.run(e.employeeRef, e.at, e.actor, e.action, JSON.stringify(e.changes), e.reason, e.batchId)
  }
}

/**
 * For a SQLite hot path (payroll export), set-wise: one entry per row of `source` (a table with seq,
 * employee_ref, leave_changes (the changes' JSON, as JSON.stringify writes them) and leave_reason), in seq
 * order, all with the same time, actor, action and batch.
 */
export function employeeHistorySetWriter(db: BetterSqlite3.Database, source: string): (entry: Pick<EmployeeHistoryEntry, 'at' | 'actor' | 'action' | 'batchId'>) => void {
  const insert = db.prepare(`INSERT INTO employee_history (employee_ref, at, actor, action, changes, reason, batch_id)
    SELECT employee_ref, ?, ?, ?, leave_changes, leave_reason, ? FROM ${source} ORDER BY seq`)
  return (e) => {
    insert.run(e.at, e.actor, e.action, e.batchId)
  }
}

/** Entries a statement of employeeHistoryJsonWriter inserts (one statement per entry was a tenth of a bulk load's time). */
const JSON_ENTRIES_PER_INSERT = 16

/**
 * For the SQLite personnel import, inside its transaction: entries with their changes given as their JSON (the
 * import's worker thread writes it: createdChangesJson for an insert, JSON.stringify of the FieldChange[] as
 * employeeHistoryWriter writes it for an update), kept back and inserted JSON_ENTRIES_PER_INSERT a statement, in
 * the order given; flush() inserts the rest (before the transaction ends).
 */
export function employeeHistoryJsonWriter(db: BetterSqlite3.Database): {
  add(employeeRef: number | bigint, at: string, actor: string, action: EmployeeAction, changesJson: string, batchId: number | null): void
  flush(): void
} {
  const statement = (entries: number) => db.prepare(`INSERT INTO employee_history (employee_ref, at, actor, action, changes, reason, batch_id)
    VALUES ${Array.from({length: entries}, () => '(?, ?, ?, ?, ?, NULL, ?)').join(', ')}`)
  const full = statement(JSON_ENTRIES_PER_INSERT)
  const args: unknown[] = []
  return {
    add(employeeRef, at, actor, action, changesJson, batchId) {
      args.push(employeeRef, at, actor, action, changesJson, batchId)
      if (args.length === 6 * JSON_ENTRIES_PER_INSERT) {
        full.run(args)
        args.length = 0
      }
    },
    flush() {
      if (args.length > 0) statement(args.length / 6).run(args)
      args.length = 0
    },
  }
}

/** For a PostgreSQL hot path: many entries in one INSERT ... SELECT FROM unnest(...) per chunk. */
export async function insertEmployeeHistory(store: Store, entries: readonly EmployeeHistoryEntry[]): Promise<void> {
  for (let i = 0; i < entries.length; i += 5000) {
    const part = entries.slice(i, i + 5000).map(row)
    await sql`INSERT INTO employee_history (employee_ref, at, actor, action, changes, reason, batch_id)
      SELECT * FROM unnest(${part.map((r) => r.employee_ref)}::int[], ${part.map((r) => r.at)}::text[], ${part.map((r) => r.actor)}::text[],
        ${part.map((r) => r.action)}::text[], ${part.map((r) => r.changes)}::text[], ${part.map((r) => r.reason)}::text[], ${part.map((r) => r.batch_id)}::int[])`.execute(store.db)
  }
}
