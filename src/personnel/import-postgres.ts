import type {Writable} from 'node:stream'

import {from as copyFrom} from 'pg-copy-streams'

import {inScope} from '../auth/roles.js'
import {mapHeader, readCsvChunks, sha256File, unneutralizeCell} from '../csv/read.js'
import type {RowIssue, StreamKind} from '../imports/engine.js'
import {EMPLOYEE_COLUMNS_BUT_SSN, readsSsn} from '../records/ssn-postgres.js'
import {pgRows} from '../store/postgres.js'
import type {PostgresStore} from '../store/store.js'
import {nameKey} from '../text/names.js'
import {type EmployeeValues, type PersonnelCode, type PersonnelRow, HOURS_COLUMNS, PERSONNEL_COLUMNS, SSN_TAKEN_IN_IMPORT, checkPersonnelRow, toEmployeeValues} from './checks.js'
import {UPDATABLE, createdChangesJson, diffEmployee, storedColumns} from './diff.js'
import {type SsnKeys, sealSsn, ssnKeys} from '../store/ssn-vault.js'

type Stored = Record<string, string | number | null>

/**
 * PostgreSQL engine file: the personnel import, set-wise, with the outcome of the row-by-row import (import.ts,
 * which SQLite runs): the same checks, rejects in row order, history and counts. The file is read once here;
 * each row's own checks (checkPersonnelRow, PE-DUP-ROW) are made as it is read, and the rows that pass stream
 * through COPY ... FROM STDIN into a staging table. Then one query reads the stored rows of the file's
 * employees, and one asks which SSNs another employee has. What depends on the rows before (an SSN an earlier
 * row took or gave up) is decided here in row order from those answers; a few statements then insert the new
 * employees (in row order: their surrogate ids are those the row-by-row import gives), update the others and
 * write their history, in row order. All in the import's one transaction; the staging table goes at its end.
 */

/** Employees columns holding integers (the others are text). */
const INTEGER_COLUMNS = new Set<string>(['step', ...HOURS_COLUMNS])

/** A value in COPY's text format. */
const copyText = (v: string | number | null | undefined): string =>
  v === null || v === undefined ? '\\N' : typeof v === 'number' ? String(v) : v.replace(/[\\\t\n\r]/g, (c) => (c === '\\' ? '\\\\' : c === '\t' ? '\\t' : c === '\n' ? '\\n' : '\\r'))

async function write(stream: Writable, text: string): Promise<void> {
  if (!stream.write(text)) await new Promise<void>((resolve, reject) => {
    stream.once('drain', resolve)
    stream.once('error', reject)
  })
}

/** Lines of COPY text into a table, on the store's one connection (held for the COPY). */
async function copyLines(store: PostgresStore, statement: string, lines: readonly string[]): Promise<void> {
  const client = await store.pool.connect()
  try {
    const copy = client.query(copyFrom(statement))
    const done = new Promise<void>((resolve, reject) => {
      copy.on('finish', resolve)
      copy.on('error', reject)
    })
    try {
      for (let i = 0; i < lines.length; i += 1000) await write(copy, lines.slice(i, i + 1000).join(''))
      copy.end()
    } catch (error) {
      copy.destroy(error as Error)
    }
    await done
  } finally {
    client.release()
  }
}

/** A row that passed its own checks, as the file gives it. */
interface Candidate {
  row: number
  id: string
  v: EmployeeValues
  /** The keyed hash of the row's SSN (store/ssn-vault.ts), when it has one. */
  hash: string | null
}

/** The cells of some data rows (1-based, header excluded) of a CSV, read again as the import read them. */
async function cellsOfRows(file: string, wanted: ReadonlySet<number>): Promise<Map<number, string[]>> {
  const found = new Map<number, string[]>()
  if (wanted.size === 0) return found
  let row = 0
  for await (const {records} of readCsvChunks(file)) {
    for (const cells of records) {
      if (wanted.has(row)) found.set(row, cells)
      row++
    }
    if (found.size === wanted.size) break
  }
  return found
}

export const personnelImportPostgres: StreamKind = {
  kind: 'personnel',
  columns: PERSONNEL_COLUMNS,
  async read(ctx, rows) {
    const store = ctx.store as PostgresStore
    const query = <R>(text: string, values: unknown[] = []) => pgRows<R>(store, text, values)
    const sha256 = await sha256File(ctx.file)

    // 1. The file, once: each row's own checks; the rows that pass go to the staging table.
    const early = new Map<number, {cells: string[]; errors: RowIssue[]}>()
    const candidates: Candidate[] = []
    const seen = new Set<string>()
    let cols: (typeof UPDATABLE)[number][] = []
    let stageCols: string[] = []
    let fields: [string, number][] = []
    let fromRejects = false
    let row = 0
    // The SSN keys, read before the COPY holds the store's one connection; needed (KEY_MISSING) only when the file has an ssn column.
    const keysOrError: SsnKeys | Error = await ssnKeys(store, 'Importing personnel rows with SSNs').then((k) => k, (error: Error) => error)
    let keys: SsnKeys | null = null
    const client = await store.pool.connect()
    let copy: Writable | undefined
    let copied: Promise<void> | undefined
    try {
      for await (const {records, bytes} of readCsvChunks(ctx.file)) {
        let text = ''
        for (const cells of records) {
          if (row === 0) {
            const header = mapHeader(cells, [...PERSONNEL_COLUMNS], ctx.ignoreUnknown)
            fields = [...header.index.entries()]
            fromRejects = header.fromRejects
            cols = UPDATABLE.filter((c) => header.index.has(c))
            if (cols.includes('ssn')) {
              if (keysOrError instanceof Error) throw keysOrError
              keys = keysOrError
            }
            // SSNs are sealed here, in Node, before they reach the server (store/ssn-vault.ts).
            stageCols = ['employee_id', ...storedColumns(cols), 'name_key']
            rows.header(cells)
            const types = stageCols.map((c) => `${c} ${INTEGER_COLUMNS.has(c) ? 'int' : 'text COLLATE "C"'}`)
            // On the client held for the COPY (the store's pool has one connection).
            await client.query(`CREATE TEMP TABLE personnel_stage (row int PRIMARY KEY, ${types.join(', ')}) ON COMMIT DROP`)
            // The rows stored, once decided: the employee updated (NULL: inserted) and the history's changes.
            await client.query('CREATE TEMP TABLE personnel_decided (row int PRIMARY KEY, ref int, changes text NOT NULL) ON COMMIT DROP')
            copy = client.query(copyFrom(`COPY personnel_stage (row, ${stageCols.join(', ')}) FROM STDIN`))
            copied = new Promise<void>((resolve, reject) => {
              copy!.on('finish', resolve)
              copy!.on('error', reject)
            })
            row++
            continue
          }
          const values: Record<string, string> = {}
          for (const [name, i] of fields) values[name] = fromRejects ? unneutralizeCell(cells[i].trim()) : cells[i].trim()
          const errors: RowIssue[] = checkPersonnelRow(values as PersonnelRow, ctx.today).map((f) => ({row, column: f.column, code: f.code, message: f.message}))
          const id = (values.employee_id ?? '').toUpperCase()
          if (id !== '') {
            if (seen.has(id)) errors.push({row, column: 'employee_id', code: 'PE-DUP-ROW' satisfies PersonnelCode, message: `employee_id ${id} already appears earlier in this file; only the first row is used.`})
            else seen.add(id)
          }
          if (errors.length > 0) {
            early.set(row, {cells, errors})
          } else {
            const v = toEmployeeValues(values as PersonnelRow)
            const sealed = keys ? sealSsn(keys, v.ssn ?? null) : null
            candidates.push({row, id, v, hash: sealed?.ssn_hash ?? null})
            // last_name and first_name are required columns, so every stored row carries both.
            const params: Stored = {employee_id: id, name_key: nameKey(v.last_name ?? '', v.first_name ?? '')}
            for (const c of cols) if (c !== 'ssn') params[c] = (v[c] ?? null) as string | number | null
            if (sealed) Object.assign(params, sealed)
            text += `${row}\t${stageCols.map((c) => copyText(params[c])).join('\t')}\n`
          }
          row++
        }
        if (text !== '') await write(copy!, text)
        rows.progress(bytes)
      }
      if (copy) {
        copy.end()
        await copied
      }
    } catch (error) {
      if (copy && !copy.writableEnded) copy.destroy(error as Error)
      await copied?.catch(() => {})
      throw error
    } finally {
      client.release()
    }
    if (row <= 1) return {sha256}
    // A temporary table has no statistics until analyzed (the planner would guess a thousand rows).
    await query('ANALYZE personnel_stage')

    // 2. What the store holds: the stored row of each employee the file names (a login that may not read SSNs
    // learns only whether the stored SSN is the file's, else its last four digits; a row outside its scope, only
    // its org), and whether another employee has the file's SSN.
    const hasSsn = cols.includes('ssn')
    const reads = await readsSsn(store)
    const selected = reads ? 'e.*' : `${EMPLOYEE_COLUMNS_BUT_SSN.map((c) => `e.${c}`).join(', ')},
      ${hasSsn ? 'CASE WHEN e.id IS NOT NULL THEN custodian_ssn_is(e.id, s.ssn_hash) END' : 'NULL::boolean'} AS ssn_same,
      CASE WHEN e.id IS NULL THEN custodian_employee_org(s.employee_id) END AS hidden_org`
    // The stored row of each staged row's employee; for a login that may not read SSNs, ssn is what the row-by-row
    // import shows (the file's when the server says it is the same, else the masked last four digits).
    const stored = new Map<number, Stored>()
    const sameSsn = new Set<number>()
    // Only the rows that find an employee (or, for a login that may not read SSNs, an org outside its scope).
    const storedRows = reads
      ? `SELECT s.row AS stage_row, e.* FROM personnel_stage s JOIN employees e ON e.employee_id = s.employee_id`
      : `SELECT * FROM (SELECT s.row AS stage_row, ${selected} FROM personnel_stage s LEFT JOIN employees e ON e.employee_id = s.employee_id) x
        WHERE x.id IS NOT NULL OR x.hidden_org IS NOT NULL`
    for (const r of await query<Stored & {stage_row: number}>(storedRows)) {
      const {stage_row: at, ...rest} = r
      if (reads) {
        if (rest.id !== null) stored.set(at, rest)
        continue
      }
      const {ssn_same: same, hidden_org: hidden, ...row} = rest as Stored & {ssn_same: boolean | null; hidden_org: string | null}
      if (row.id === null) {
        // Outside the login's org scope the server shows no row; the import still refuses it (PE-SCOPE).
        if (hidden !== null) stored.set(at, {employee_id: String(row.employee_id ?? ''), org_code: hidden})
        continue
      }
      if (same === true) sameSsn.add(at)
      // Not the file's SSN: a value no keyed hash equals (the import compares hashes; it shows only the last four digits).
      stored.set(at, {...row, ssn_hash: row.ssn_last4 === null ? null : 'another'})
    }
    const taken = new Set<number>(hasSsn ? (await query<{row: number}>(
      'SELECT row FROM personnel_stage WHERE ssn_hash IS NOT NULL AND custodian_ssn_taken(ssn_hash, employee_id)')).map((r) => r.row) : [])

    // 3. Row by row, what the rows before decide: scope, and whether another employee has the SSN by then.
    const holder = new Map<string, string>() // SSN (its keyed hash) → employee_id, as the accepted rows so far set them
    const freed = new Set<string>() // keyed hashes of stored SSNs accepted rows so far changed (a login that reads SSNs)
    const changedRefs: number[] = [] // stored employees whose SSN accepted rows so far changed (one that does not)
    const late = new Map<number, RowIssue[]>()
    const accepted: {row: number; ref: number | null; changes: string; ssnChanges: boolean}[] = []
    const supervisors: {row: number; employeeId: string; supervisorId: string}[] = []
    const inserted = new Set<string>()
    const freedOnServer = async (hash: string) => changedRefs.length > 0 && (await query<{any: boolean}>(
      'SELECT coalesce(bool_or(custodian_ssn_is(id, $2)), false) AS any FROM unnest($1::int[]) AS u(id)', [changedRefs, hash]))[0].any
    for (const {row, id, v, hash} of candidates) {
      const errors: RowIssue[] = []
      const err = (column: string, code: PersonnelCode, message: string) => errors.push({row, column, code, message})
      const found = stored.get(row)
      const before = found && sameSsn.has(row) ? {...found, ssn_hash: hash} : found
      if (before && !inScope(ctx.operator, String(before.org_code))) {
        err('employee_id', 'PE-SCOPE', `employee ${id} belongs to org ${before.org_code}, outside your scope (${ctx.operator.orgPrefix}).`)
      } else if (v.org_code && !inScope(ctx.operator, v.org_code)) {
        err('org_code', 'PE-SCOPE', `org_code ${v.org_code} is outside your scope (${ctx.operator.orgPrefix}).`)
      }
      if (hash) {
        const owner = holder.get(hash)
        const isTaken = (owner !== undefined && owner !== id) || (taken.has(row) && !(reads ? freed.has(hash) : await freedOnServer(hash)))
        if (isTaken) err('ssn', 'PE-SSN-DUP', SSN_TAKEN_IN_IMPORT)
      }
      if (errors.length > 0) {
        late.set(row, errors)
        continue
      }
      const changes = diffEmployee(before, v, hash)
      const ssnChanges = before !== undefined && changes.some((c) => c.field === 'ssn')
      if (hasSsn) {
        if (ssnChanges) {
          if (reads && before.ssn_hash !== null && before.ssn_hash !== undefined) freed.add(String(before.ssn_hash))
          if (!reads) changedRefs.push(Number(before.id))
        }
        if (hash) holder.set(hash, id)
      }
      if (!before) inserted.add(id)
      if (v.supervisor_id && v.supervisor_id !== id) supervisors.push({row, employeeId: id, supervisorId: v.supervisor_id})
      accepted.push({row, ref: before ? Number(before.id) : null, changes: before ? JSON.stringify(changes) : createdChangesJson(v), ssnChanges})
    }

    // 4. The writes, set-wise: the accepted rows marked, SSNs that change cleared first (no two employees hold
    // one SSN at any moment), the stored employees updated, the new ones inserted in row order, and the history
    // in row order: an insert always, an update when something changed.
    let updated = 0
    let added = 0
    if (accepted.length > 0) {
      await copyLines(store, 'COPY personnel_decided (row, ref, changes) FROM STDIN', accepted.map((a) => `${a.row}\t${a.ref ?? '\\N'}\t${copyText(a.changes)}\n`))
      await query('ANALYZE personnel_decided')
      const ssnChanging = accepted.filter((a) => a.ssnChanges).map((a) => a.ref)
      if (ssnChanging.length > 0) await query('UPDATE employees SET ssn_hash = NULL WHERE id = ANY($1::int[])', [ssnChanging])
      const set = [...storedColumns(cols), 'name_key'].map((c) => `${c} = s.${c}`)
      updated = (await store.pool.query(`UPDATE employees e SET ${set.join(', ')}, updated_at = $1, last_batch_id = $2
        FROM personnel_decided d JOIN personnel_stage s ON s.row = d.row WHERE d.ref = e.id`, [ctx.now, ctx.batchId])).rowCount ?? 0
      const insertCols = ['employee_id', ...storedColumns(cols), 'name_key']
      added = (await store.pool.query(`INSERT INTO employees (${insertCols.join(', ')}, created_at, updated_at, last_batch_id)
        SELECT ${insertCols.map((c) => `s.${c}`).join(', ')}, $1, $1, $2 FROM personnel_decided d JOIN personnel_stage s ON s.row = d.row
        WHERE d.ref IS NULL ORDER BY d.row`, [ctx.now, ctx.batchId])).rowCount ?? 0
      await query(`INSERT INTO employee_history (employee_ref, at, actor, action, changes, reason, batch_id)
        SELECT coalesce(d.ref, e.id), $1, $2, CASE WHEN d.ref IS NULL THEN 'import.insert' ELSE 'import.update' END, d.changes, NULL, $3
        FROM personnel_decided d JOIN personnel_stage s ON s.row = d.row LEFT JOIN employees e ON d.ref IS NULL AND e.employee_id = s.employee_id
        WHERE d.ref IS NULL OR d.changes <> '[]' ORDER BY d.row`, [ctx.now, ctx.operator.name, ctx.batchId])
    }

    // 5. The rejected rows, in row order, with their cells as read.
    const reread = await cellsOfRows(ctx.file, new Set(late.keys()))
    const rejected = [...early.keys(), ...late.keys()].sort((a, b) => a - b)
    for (const r of rejected) {
      const e = early.get(r)
      if (e) rows.reject(r, e.cells, e.errors)
      else rows.reject(r, reread.get(r)!, late.get(r)!)
    }
    if (added > 0) rows.stored('inserted', added)
    if (updated > 0) rows.stored('updated', updated)

    // 6. Supervisors that are no employee once every row is in (any org: the server says only whether).
    const unknownSupervisors = supervisors.filter((p) => !inserted.has(p.supervisorId))
    if (unknownSupervisors.length > 0) {
      const known = new Set((await query<{id: string}>('SELECT id FROM unnest($1::text[]) AS u(id) WHERE custodian_employee_org(id) IS NOT NULL',
        [[...new Set(unknownSupervisors.map((p) => p.supervisorId))]])).map((r) => r.id))
      rows.warn(unknownSupervisors.filter((p) => !known.has(p.supervisorId)).map((p) => ({
        row: p.row, column: 'supervisor_id', code: 'PE-SUPERVISOR' satisfies PersonnelCode,
        message: `supervisor_id ${p.supervisorId} is not a known employee (employee ${p.employeeId} was stored; fix the supervisor later).`,
      })))
    }
    return {sha256}
  },
}
