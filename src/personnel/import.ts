import type {Operator} from '../auth/roles.js'
import {inScope} from '../auth/roles.js'
import type {ImportKind, RowHandler, RowIssue} from '../imports/engine.js'
import {nameKey} from '../text/names.js'
import type {Store} from '../store/index.js'
import {
  type EmployeeValues, type PersonnelCode, type PersonnelRow, PERSONNEL_COLUMNS, checkPersonnelRow, isHoursColumn, maskSsn, toEmployeeValues,
} from './checks.js'
import {type EmployeeHistoryEntry, employeeHistoryWriter} from './history.js'
import {sqliteOf} from '../store/store.js'
import {SSN_COLUMNS, type SsnKeys, sealSsn, ssnKeys} from '../store/ssn-vault.js'

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

export const personnelImport: ImportKind = {
  kind: 'personnel',
  columns: PERSONNEL_COLUMNS,
  begin({store, operator, batchId, today, header, now}) {
    const cols = UPDATABLE.filter((c) => header.index.has(c))
    // PostgreSQL imports set-wise (import-postgres.ts: personnelImportPostgres), with the same outcome.
    if (store.engine === 'postgres') throw new Error('personnelImport is the SQLite import; a PostgreSQL store imports with personnelImportPostgres')
    const keys = cols.includes('ssn') ? () => ssnKeys(store, 'Importing personnel rows with SSNs') : null
    return new PersonnelRows(sqlitePersonnelData(store, cols), operator, batchId, today, cols, now, keys)
  },
}

/** What the personnel import asks of the store, inside the import's transaction. */
export interface PersonnelImportData {
  /** Whether this is the first row of the file with the employee_id. */
  firstSighting(id: string): boolean | Promise<boolean>
  /**
   * The stored row of the employee_id (undefined: none). `ssnHash`: the keyed hash of the file's SSN for it,
   * when the file has the column.
   */
  stored(id: string, ssnHash?: string | null): Stored | undefined | Promise<Stored | undefined>
  /** Whether another employee (in the store or earlier in the file) has the SSN of this keyed hash. */
  ssnTaken(ssnHash: string, id: string): boolean | Promise<boolean>
  exists(id: string): boolean | Promise<boolean>
  /** Inserts the employee (the import's columns, name_key, times, batch); its surrogate id. */
  insert(params: Stored): number | Promise<number>
  update(params: Stored): void | Promise<void>
  history(entry: EmployeeHistoryEntry): void | Promise<void>
}

/** Prepared statements on the store's one connection (the import hot path). */
function sqlitePersonnelData(store: Store, cols: readonly string[]): PersonnelImportData {
  const db = sqliteOf(store, 'personnel import')
  db.exec('CREATE TEMP TABLE IF NOT EXISTS import_seen (key TEXT PRIMARY KEY) WITHOUT ROWID; DELETE FROM temp.import_seen;')
  const byId = db.prepare('SELECT * FROM employees WHERE employee_id = ?')
  const exists = db.prepare('SELECT 1 FROM employees WHERE employee_id = ?').pluck()
  const ssnOwner = db.prepare('SELECT employee_id FROM employees WHERE ssn_hash = ? AND employee_id <> ?').pluck()
  const markSeen = db.prepare('INSERT OR IGNORE INTO temp.import_seen (key) VALUES (?)')
  const insertCols = ['employee_id', ...storedColumns(cols), 'name_key', 'created_at', 'updated_at', 'last_batch_id']
  const insert = db.prepare(`INSERT INTO employees (${insertCols.join(', ')}) VALUES (${insertCols.map((c) => `@${c}`).join(', ')})`)
  const update = db.prepare(`UPDATE employees SET ${[...storedColumns(cols), 'name_key', 'updated_at', 'last_batch_id'].map((c) => `${c} = @${c}`).join(', ')} WHERE id = @id`)
  return {
    firstSighting: (id) => markSeen.run(id).changes > 0,
    stored: (id) => byId.get(id) as Stored | undefined,
    ssnTaken: (ssnHash, id) => ssnOwner.get(ssnHash, id) !== undefined,
    exists: (id) => exists.get(id) !== undefined,
    insert: (params) => Number(insert.run(params).lastInsertRowid),
    update(params) {
      update.run(params)
    },
    history: employeeHistoryWriter(db),
  }
}

/** Checks and upserts personnel rows, one at a time, in file order. */
class PersonnelRows implements RowHandler {
  private readonly pendingSupervisors: {row: number; employeeId: string; supervisorId: string}[] = []

  constructor(private readonly data: PersonnelImportData, private readonly operator: Operator, private readonly batchId: number, private readonly today: string,
    private readonly cols: readonly (typeof UPDATABLE)[number][], private readonly now: string,
    /** The SSN keys, when the file has an ssn column (KEY_MISSING at the first row without them). */
    private readonly ssnKeys: (() => Promise<SsnKeys>) | null = null) {}

  private keys?: SsnKeys

  async handle(row: number, values: Record<string, string>) {
    const issues = checkPersonnelRow(values as PersonnelRow, this.today)
    const errors: RowIssue[] = issues.map((f) => ({row, column: f.column, code: f.code, message: f.message}))
    const warnings: RowIssue[] = []
    const id = (values.employee_id ?? '').toUpperCase()
    const err = (column: string, code: PersonnelCode, message: string) => errors.push({row, column, code, message})

    if (id !== '' && !(await this.data.firstSighting(id))) {
      err('employee_id', 'PE-DUP-ROW', `employee_id ${id} already appears earlier in this file; only the first row is used.`)
    }
    if (errors.length > 0) return {errors, warnings}

    const v = toEmployeeValues(values as PersonnelRow)
    if (this.ssnKeys && !this.keys) this.keys = await this.ssnKeys()
    const sealed = this.keys && 'ssn' in v ? sealSsn(this.keys, v.ssn ?? null) : null
    const before = await this.data.stored(id, sealed ? sealed.ssn_hash : undefined)
    if (before && !inScope(this.operator, String(before.org_code))) {
      err('employee_id', 'PE-SCOPE', `employee ${id} belongs to org ${before.org_code}, outside your scope (${this.operator.orgPrefix}).`)
    } else if (v.org_code && !inScope(this.operator, v.org_code)) {
      err('org_code', 'PE-SCOPE', `org_code ${v.org_code} is outside your scope (${this.operator.orgPrefix}).`)
    }
    if (sealed?.ssn_hash && (await this.data.ssnTaken(sealed.ssn_hash, id))) {
      err('ssn', 'PE-SSN-DUP', 'ssn already belongs to another employee (in the store or earlier in this file).')
    }
    if (errors.length > 0) return {errors, warnings}

    if (v.supervisor_id && v.supervisor_id !== id && !(await this.data.exists(v.supervisor_id))) {
      this.pendingSupervisors.push({row, employeeId: id, supervisorId: v.supervisor_id})
    }
    const params: Stored = {employee_id: id, updated_at: this.now, last_batch_id: this.batchId}
    for (const c of this.cols) if (c !== 'ssn') params[c] = (v[c] ?? null) as string | number | null
    if (sealed) Object.assign(params, sealed)
    // last_name and first_name are required columns, so every stored row carries both.
    params.name_key = nameKey(v.last_name ?? '', v.first_name ?? '')
    const changes = diffEmployee(before, v, sealed?.ssn_hash)
    if (before) {
      params.id = before.id
      await this.data.update(params)
      if (changes.length > 0) await this.data.history({employeeRef: before.id as number, at: this.now, actor: this.operator.name, action: 'import.update', changes, reason: null, batchId: this.batchId})
      return {errors, warnings, stored: 'updated' as const}
    }
    params.created_at = this.now
    const ref = await this.data.insert(params)
    await this.data.history({employeeRef: ref, at: this.now, actor: this.operator.name, action: 'import.insert', changes, reason: null, batchId: this.batchId})
    return {errors, warnings, stored: 'inserted' as const}
  }

  async finish(): Promise<RowIssue[]> {
    const unknown: RowIssue[] = []
    for (const p of this.pendingSupervisors) {
      if (await this.data.exists(p.supervisorId)) continue
      unknown.push({row: p.row, column: 'supervisor_id', code: 'PE-SUPERVISOR' satisfies PersonnelCode, message: `supervisor_id ${p.supervisorId} is not a known employee (employee ${p.employeeId} was stored; fix the supervisor later).`})
    }
    return unknown
  }
}
