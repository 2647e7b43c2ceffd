import {type EndMessage, type RecordBatch, readRecordBatches} from '../csv/record-batches.js'
import type {WorkerSide} from '../csv/worker-stream.js'
import {type HeaderMap, mapHeader, unneutralizeCell} from '../csv/read.js'
import {CustodianError, type ExitCode} from '../errors.js'
import type {RowIssue} from '../imports/engine.js'
import {type SsnKeys, ssnHasher} from '../store/ssn-vault.js'
import {nameKey} from '../text/names.js'
import {PERSONNEL_COLUMNS, type PersonnelRow, checkPersonnelRow, toEmployeeValues} from './checks.js'
import {UPDATABLE, createdChangesJson, storedColumns} from './diff.js'

/**
 * The first half of a SQLite personnel import, which a worker thread runs while the main thread stores
 * (import.ts): read, hash and parse the file, run each row's own checks (checkPersonnelRow: everything but
 * the PE-* codes that need the store), normalise the rows that pass (toEmployeeValues), give their SSNs
 * their keyed hash and last four digits, and write the history changes of an insert, and pack them in batches,
 * one per chunk of the file, that cross threads cheaply. The main thread does the rest, in file order:
 * PE-DUP-ROW, PE-SCOPE, PE-SSN-DUP, PE-SUPERVISOR, sealing the SSN of each row it stores (AES-256-GCM: a row's
 * costliest part, on the thread that would otherwise wait for this one), storing.
 */

export type UpdatableColumn = (typeof UPDATABLE)[number]

export interface PersonnelHeaderMessage {
  kind: 'header'
  cells: string[]
  /** The UPDATABLE columns the file has, in UPDATABLE order. */
  cols: UpdatableColumn[]
}

/** A batch of rows. */
export interface PersonnelBatch extends RecordBatch {
  /** Per row: 1 when it passed its own checks (its values are in `values`), 0 when not (its issues are in `issues`). */
  ok: Uint8Array
  /** Per row: where its record lies in `text` (start, end), to read its cells again for a rejects file. */
  at: Int32Array
  /**
   * The rows that passed, VALUES_PER_ROW(cols) values each, in order: employee_id, the stored columns
   * (storedColumns(cols): an SSN as its three columns, ssn_cipher holding the SSN itself, to be sealed by the
   * main thread), name_key, and the history changes were the row inserted (as stored: createdChangesJson).
   */
  values: (string | number | null)[]
  /** The issues of the rows that failed, in row order. */
  issues: RowIssue[]
  /** The upper-cased employee_id of each row that failed ('' when empty), in order (for PE-DUP-ROW). */
  failedIds: string[]
}

export type PersonnelMessage = PersonnelHeaderMessage | PersonnelBatch | EndMessage

export interface PersonnelReaderOptions {
  file: string
  ignoreUnknown: boolean
  today: string
  /** The store's SSN keys; null when they could not be read (`keysError` says why: thrown at the first row with an SSN). */
  keys: SsnKeys | null
  keysError: {code: string; message: string; exit: number; details: Record<string, unknown>} | null
}

/** The most rows in one batch (small: a batch lives in the worker's heap until it is posted). */
export const BATCH_ROWS = 256

/** How many values a row that passed has in PersonnelBatch.values. */
export const valuesPerRow = (cols: readonly string[]): number => storedColumns(cols).length + 3

/** Reads, checks and normalises the rows of a personnel file, hashes their SSNs and the file, posting each message on `channel`. */
export function readPersonnelRows(opts: PersonnelReaderOptions, channel: Pick<WorkerSide<unknown>, 'acquire' | 'post'>): void {
  let header: HeaderMap | undefined
  let fields: [string, number][] = []
  let cols: UpdatableColumn[] = []
  let hashSsn: ((ssn: string) => string) | null = null
  let batch: PersonnelBatch

  const storeKeys = (): SsnKeys => {
    if (opts.keys) return opts.keys
    const e = opts.keysError ?? {code: 'KEY_MISSING', message: 'Importing personnel rows with SSNs needs the store\'s key. Nothing was changed.', exit: 4, details: {}}
    throw new CustodianError(e.code, e.message, e.exit as ExitCode, e.details)
  }

  readRecordBatches<PersonnelBatch>(opts.file, {
    maxCount: BATCH_ROWS,
    header(cells) {
      header = mapHeader(cells, [...PERSONNEL_COLUMNS], opts.ignoreUnknown)
      fields = [...header.index.entries()]
      cols = UPDATABLE.filter((c) => header!.index.has(c))
      return {kind: 'header', cells, cols} satisfies PersonnelHeaderMessage
    },
    batch(firstRow, slot) {
      batch = {kind: 'lines', text: '', firstRow, count: 0, slot, bytes: 0, ok: new Uint8Array(BATCH_ROWS), at: new Int32Array(2 * BATCH_ROWS), values: [], issues: [], failedIds: []}
      return batch
    },
    record(b, cells, row, start, end) {
      const i = b.count
      b.at[2 * i] = start
      b.at[2 * i + 1] = end
      const values: Record<string, string> = {}
      for (const [name, c] of fields) values[name] = header!.fromRejects ? unneutralizeCell(cells[c].trim()) : cells[c].trim()
      const findings = checkPersonnelRow(values as PersonnelRow, opts.today)
      const id = (values.employee_id ?? '').toUpperCase()
      if (findings.length > 0) {
        for (const f of findings) b.issues.push({row, column: f.column, code: f.code, message: f.message})
        b.failedIds.push(id)
        b.ok[i] = 0
        return
      }
      b.ok[i] = 1
      const v = toEmployeeValues(values as PersonnelRow)
      // A file with an ssn column needs the store's key (KEY_MISSING) from its first row that passes.
      if (!hashSsn && 'ssn' in v) hashSsn = ssnHasher(storeKeys())
      const out = b.values
      out.push(id)
      for (const c of cols) {
        if (c !== 'ssn') out.push((v[c] ?? null) as string | number | null)
        else if (v.ssn) out.push(v.ssn, hashSsn!(v.ssn), v.ssn.slice(-4))
        else out.push(null, null, null)
      }
      // last_name and first_name are required columns, so every stored row carries both.
      out.push(nameKey(v.last_name ?? '', v.first_name ?? ''), createdChangesJson(v))
    },
  }, channel)
}
