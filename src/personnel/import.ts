import fs from 'node:fs'

import type BetterSqlite3 from 'better-sqlite3'

import {type Operator, inScope} from '../auth/roles.js'
import {parseRecord} from '../csv/parse.js'
import {CustodianError} from '../errors.js'
import type {ImportContext, RowIssue, RowTally, StreamKind} from '../imports/engine.js'
import {type SsnKeys, encryptSsn, ssnKeys} from '../store/ssn-vault.js'
import {sqliteOf} from '../store/store.js'
import {type EmployeeValues, type PersonnelCode, PERSONNEL_COLUMNS, SSN_TAKEN_IN_IMPORT} from './checks.js'
import {diffEmployee, storedColumns} from './diff.js'
import {employeeHistoryJsonWriter} from './history.js'
import {type PersonnelBatch, type PersonnelHeaderMessage, type PersonnelReaderOptions, type UpdatableColumn, valuesPerRow} from './import-rows.js'
import {rowMessages, warmUpRowWorker} from './row-worker.js'

export {UPDATABLE, diffEmployee, storedColumns} from './diff.js'

type Stored = Record<string, string | number | null>

/**
 * SQLite personnel import: a worker thread reads, parses and checks the rows, and gives their SSNs their keyed
 * hash (import-rows.ts), while this thread decides what needs the store, in file order, seals the SSNs of the
 * rows it stores and stores them with prepared statements, in the import's one transaction. PostgreSQL imports
 * set-wise (import-postgres.ts: personnelImportPostgres), with the same outcome.
 */
export const personnelImport: StreamKind = {
  kind: 'personnel',
  columns: PERSONNEL_COLUMNS,
  warmUp() {
    warmUpRowWorker()
  },
  async read(ctx, rows) {
    sqliteOf(ctx.store, 'personnel import') // a PostgreSQL store imports with personnelImportPostgres
    // The SSN keys, read now (the worker hashes, this thread seals); KEY_MISSING only at the first row that needs them.
    const keys: SsnKeys | Error = await ssnKeys(ctx.store, 'Importing personnel rows with SSNs').then((k) => k, (error: Error) => error)
    if (keys instanceof Error && !(keys instanceof CustodianError)) throw keys
    const opts: PersonnelReaderOptions = {
      file: ctx.file, ignoreUnknown: ctx.ignoreUnknown, today: ctx.today,
      keys: keys instanceof Error ? null : keys,
      keysError: keys instanceof CustodianError ? {code: keys.code, message: keys.message, exit: keys.exit, details: keys.details} : null,
    }
    let people: PersonnelRows | undefined
    let sha256 = ''
    for await (const m of rowMessages(opts)) {
      if (m.kind === 'header') {
        rows.header(m.cells)
        people = new PersonnelRows({...ctx, fileBytes: fs.statSync(ctx.file).size, keys: opts.keys}, rows, m)
      } else if (m.kind === 'lines') {
        people!.add(m)
      } else {
        sha256 = m.sha256
        rows.progress(m.bytes)
      }
    }
    if (people) {
      const warnings = people.finish()
      if (rows.rowsRead > 0) rows.warn(warnings)
    }
    return {sha256}
  },
  // History rows reference the employees this import inserts or reads, in the same transaction.
  referencesByConstruction: true,
}

/**
 * Decides and stores checked personnel rows, one at a time, in file order: PE-DUP-ROW, PE-SCOPE, PE-SSN-DUP
 * (against the store, which holds the earlier rows of the file too), PE-SUPERVISOR once the file is read.
 */
class PersonnelRows {
  private readonly db: BetterSqlite3.Database
  private readonly operator: Operator
  private readonly batchId: number
  private readonly now: string
  private readonly cols: readonly UpdatableColumn[]
  private readonly width: number
  /** Offsets in a row's values (-1: the file has no such column). */
  private readonly at: {org: number; supervisor: number; ssnCipher: number; ssnHash: number; insertChanges: number}
  /** The store's SSN keys (null when unreadable: then the worker failed with KEY_MISSING at the first SSN). */
  private readonly keys: SsnKeys | null
  /**
   * The insert's and the update's parameters, filled in place for each row (fill()): no arrays per row, as this
   * thread's garbage (it seals the SSNs too) sets much of the import's peak RSS.
   */
  private readonly insertArgs: unknown[]
  private readonly updateArgs: unknown[]
  /**
   * Which employee_ids the file showed already, without a set of them all: a row stored by this import is in the
   * store (an inserted one has an id above `lastOldId`, an updated one has its bit in `updatedOld`); a rejected
   * one is in `rejectedIds` (as many as the rejected rows).
   */
  private readonly lastOldId: number
  private readonly updatedOld: Uint8Array
  private readonly rejectedIds = new Set<string>()
  private readonly pendingSupervisors: {row: number; employeeId: string; supervisorId: string}[] = []
  /** The indexes dropped for the import, made again by finish() (deferIndexes). */
  private readonly deferred: string[]
  private readonly q

  constructor(ctx: ImportContext & {fileBytes: number; keys: SsnKeys | null}, private readonly rows: RowTally, header: PersonnelHeaderMessage) {
    this.operator = ctx.operator
    this.keys = ctx.keys
    this.batchId = ctx.batchId
    this.now = ctx.now
    this.cols = header.cols
    this.width = valuesPerRow(header.cols)
    const stored = storedColumns(header.cols)
    const pos = (c: string) => (stored.includes(c) ? 1 + stored.indexOf(c) : -1)
    this.at = {org: pos('org_code'), supervisor: pos('supervisor_id'), ssnCipher: pos('ssn_cipher'), ssnHash: pos('ssn_hash'), insertChanges: 2 + stored.length}
    const db = sqliteOf(ctx.store, 'personnel import')
    this.db = db
    // The rest of the command (its audit entry) needs no more: the process ends with the import.
    db.pragma(`cache_size = -${IMPORT_CACHE_KB}`)
    this.lastOldId = db.prepare('SELECT coalesce(max(id), 0) FROM employees').pluck().get() as number
    this.deferred = deferIndexes(db, this.lastOldId, ctx.fileBytes)
    this.updatedOld = new Uint8Array((this.lastOldId >> 3) + 1)
    const insertCols = ['employee_id', ...stored, 'name_key', 'created_at', 'updated_at', 'last_batch_id']
    // employee_id, then the stored columns and name_key (fill()), then the times and the batch; the update's id last.
    const filled = () => Array.from({length: stored.length + 1}, () => null)
    this.insertArgs = [null, ...filled(), this.now, this.now, this.batchId]
    this.updateArgs = [...filled(), this.now, this.batchId, null]
    this.q = {
      byId: db.prepare('SELECT * FROM employees WHERE employee_id = ?'),
      refOf: db.prepare('SELECT id FROM employees WHERE employee_id = ?').pluck(),
      exists: db.prepare('SELECT 1 FROM employees WHERE employee_id = ?').pluck(),
      insert: db.prepare(`INSERT INTO employees (${insertCols.join(', ')}) VALUES (${insertCols.map(() => '?').join(', ')})`),
      update: db.prepare(`UPDATE employees SET ${[...stored, 'name_key', 'updated_at', 'last_batch_id'].map((c) => `${c} = ?`).join(', ')} WHERE id = ?`),
      history: employeeHistoryJsonWriter(db),
    }
  }

  /** Whether the employee of this stored row was stored by this import (so its employee_id came earlier in the file). */
  private storedHere(ref: number): boolean {
    return ref > this.lastOldId || (this.updatedOld[ref >> 3] & (1 << (ref & 7))) !== 0
  }

  /** Whether the employee_id came earlier in the file (the first sighting is remembered). */
  private seenBefore(id: string, ref: number | undefined): boolean {
    if (this.rejectedIds.has(id) || (ref !== undefined && this.storedHere(ref))) return true
    return false
  }

  private dupRow(row: number, id: string): RowIssue {
    return {row, column: 'employee_id', code: 'PE-DUP-ROW' satisfies PersonnelCode, message: `employee_id ${id} already appears earlier in this file; only the first row is used.`}
  }

  private reject(batch: PersonnelBatch, i: number, issues: RowIssue[]): void {
    this.rows.reject(batch.firstRow + i, parseRecord(batch.text.slice(batch.at[2 * i], batch.at[2 * i + 1])), issues)
  }

  /** Decides and stores one batch of rows, in row order. */
  add(batch: PersonnelBatch): void {
    const {issues, values} = batch
    let issue = 0
    let failed = 0
    let p = 0
    for (let i = 0; i < batch.count; i++) {
      const row = batch.firstRow + i
      if (batch.ok[i] === 0) {
        const own: RowIssue[] = []
        while (issue < issues.length && issues[issue].row === row) own.push(issues[issue++])
        const id = batch.failedIds[failed++]
        if (id !== '') {
          if (this.seenBefore(id, this.q.refOf.get(id) as number | undefined)) own.push(this.dupRow(row, id))
          else this.rejectedIds.add(id)
        }
        this.reject(batch, i, own)
        continue
      }
      this.row(batch, i, row, values, p)
      p += this.width
    }
    this.rows.progress(batch.bytes)
  }

  private row(batch: PersonnelBatch, i: number, row: number, values: PersonnelBatch['values'], p: number): void {
    const id = values[p] as string
    const before = this.q.byId.get(id) as Stored | undefined
    if (this.seenBefore(id, before?.id as number | undefined)) {
      this.reject(batch, i, [this.dupRow(row, id)])
      return
    }
    const errors: RowIssue[] = []
    const err = (column: string, code: PersonnelCode, message: string) => errors.push({row, column, code, message})
    const org = this.at.org === -1 ? null : (values[p + this.at.org] as string | null)
    if (before && !inScope(this.operator, String(before.org_code))) {
      err('employee_id', 'PE-SCOPE', `employee ${id} belongs to org ${before.org_code}, outside your scope (${this.operator.orgPrefix}).`)
    } else if (org && !inScope(this.operator, org)) {
      err('org_code', 'PE-SCOPE', `org_code ${org} is outside your scope (${this.operator.orgPrefix}).`)
    }
    if (errors.length > 0) {
      this.rejectedIds.add(id)
      this.reject(batch, i, errors)
      return
    }

    // PE-SSN-DUP is found by the write: the unique index on ssn_hash refuses an SSN another employee has (in the
    // store or earlier in this file), and SQLite backs out the one statement (not a look-up per row beforehand).
    const hash = this.at.ssnHash === -1 ? null : (values[p + this.at.ssnHash] as string | null)
    let ref: number
    try {
      if (before) {
        ref = before.id as number
        const args = this.updateArgs
        this.fill(args, 0, values, p)
        args[args.length - 1] = ref
        this.q.update.run(args)
      } else {
        this.insertArgs[0] = id
        this.fill(this.insertArgs, 1, values, p)
        ref = Number(this.q.insert.run(this.insertArgs).lastInsertRowid)
      }
    } catch (error) {
      if (!isSsnTaken(error)) throw error
      this.rejectedIds.add(id)
      this.reject(batch, i, [{row, column: 'ssn', code: 'PE-SSN-DUP' satisfies PersonnelCode, message: SSN_TAKEN_IN_IMPORT}])
      return
    }
    const supervisor = this.at.supervisor === -1 ? null : (values[p + this.at.supervisor] as string | null)
    if (supervisor && supervisor !== id && this.q.exists.get(supervisor) === undefined) {
      this.pendingSupervisors.push({row, employeeId: id, supervisorId: supervisor})
    }
    if (before) {
      this.updatedOld[ref >> 3] |= 1 << (ref & 7)
      const changes = diffEmployee(before, this.after(id, values, p), hash)
      if (changes.length > 0) this.q.history.add(ref, this.now, this.operator.name, 'import.update', JSON.stringify(changes), this.batchId)
      this.rows.stored('updated')
      return
    }
    this.q.history.add(ref, this.now, this.operator.name, 'import.insert', values[p + this.at.insertChanges] as string, this.batchId)
    this.rows.stored('inserted')
  }

  /**
   * Puts the row's stored columns and name key in `args` from `at`, its SSN sealed: the worker sends the SSN
   * itself in the ssn_cipher column, and it is sealed here, only for a row that is stored.
   */
  private fill(args: unknown[], at: number, values: PersonnelBatch['values'], p: number): void {
    const n = this.at.insertChanges - 1
    for (let k = 0; k < n; k++) args[at + k] = values[p + 1 + k]
    const cipher = this.at.ssnCipher === -1 ? -1 : at + this.at.ssnCipher - 1
    if (cipher !== -1 && args[cipher] !== null) args[cipher] = encryptSsn(this.keys!, args[cipher] as string)
  }

  /** The row's values as diffEmployee takes them: its SSN by its last four digits (all a masked change shows). */
  private after(id: string, values: PersonnelBatch['values'], p: number): EmployeeValues {
    const after: Record<string, unknown> = {employee_id: id}
    let k = p + 1
    for (const c of this.cols) {
      if (c === 'ssn') {
        after.ssn = values[k + 2]
        k += 3
      } else {
        after[c] = values[k++]
      }
    }
    return after as unknown as EmployeeValues
  }

  /** The PE-SUPERVISOR warnings, once every row is stored; the deferred indexes made again. */
  finish(): RowIssue[] {
    this.q.history.flush()
    for (const ddl of this.deferred) this.db.exec(ddl)
    const unknown: RowIssue[] = []
    for (const p of this.pendingSupervisors) {
      if (this.q.exists.get(p.supervisorId) !== undefined) continue
      unknown.push({row: p.row, column: 'supervisor_id', code: 'PE-SUPERVISOR' satisfies PersonnelCode, message: `supervisor_id ${p.supervisorId} is not a known employee (employee ${p.employeeId} was stored; fix the supervisor later).`})
    }
    return unknown
  }
}

/** Whether a write failed on the unique index of SSN hashes: the SSN belongs to another employee. */
const isSsnTaken = (error: unknown): boolean =>
  error instanceof Error && (error as {code?: string}).code === 'SQLITE_CONSTRAINT_UNIQUE' && error.message.includes('employees.ssn_hash')

/**
 * The store's page cache during a SQLite personnel import, in KiB (the store's default is 16 MB). The import
 * appends to employees and employee_history and reads two unique indexes, one of them (the SSN's keyed hash) at
 * random: a larger cache barely shortens it (the pages come from the operating system's cache), and a bulk load
 * keeps it full of dirty pages. ~12 MB less peak RSS.
 */
const IMPORT_CACHE_KB = 4000

/** Bytes of a personnel row, about (the generated files' rows are ~147): to guess a file's rows from its size. */
const ROW_BYTES = 150
/** A file of fewer rows (by its size) than this never defers indexes. */
const DEFER_MIN_ROWS = 20_000

/**
 * A bulk load into a store that holds fewer employees than the file brings: the employees indexes the import does
 * not read through (org, name key, email, separation: not the unique employee_id and SSN hash ones, which the
 * checks ask) are dropped, and made again once the rows are in (one sort each, instead of a random B-tree insert
 * per row and index: the largest cost of the import). Inside the import's transaction, so a failure or a roll-back
 * keeps them as they were. The CREATE statements, as the store has them; [] when not worth it.
 */
function deferIndexes(db: BetterSqlite3.Database, storedEmployees: number, fileBytes: number): string[] {
  const rows = fileBytes / ROW_BYTES
  if (rows < DEFER_MIN_ROWS || rows < storedEmployees) return []
  const indexes = db.prepare(`SELECT name, sql FROM sqlite_schema WHERE type = 'index' AND tbl_name = 'employees' AND sql IS NOT NULL
    AND sql NOT LIKE 'CREATE UNIQUE%' ORDER BY name`).all() as {name: string; sql: string}[]
  for (const {name} of indexes) db.exec(`DROP INDEX "${name.replaceAll('"', '""')}"`)
  return indexes.map((i) => i.sql)
}
