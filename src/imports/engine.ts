import path from 'node:path'

import type {Operator} from '../auth/roles.js'
import {appendAudit} from '../audit/chain.js'
import {checksFailed, conflict, usage} from '../errors.js'
import {Rollback, type Store, inTransaction} from '../store/index.js'
import {crashPoint, prepareOutput} from '../store/outputs.js'
import {type ColumnSpec, type HeaderMap, assertReadableFile, fileError, isRejectsHeader, mapHeader, readCsvChunks, sha256File, unneutralizeCell} from '../csv/read.js'
import {CsvFileWriter} from '../csv/write.js'
import {finishBatch, priorBatch, recordRejectCodes, startBatch} from './queries.js'

/** One problem with one row: what the rejects file, --json and the human report all show. */
export interface RowIssue {
  row: number
  column: string
  code: string
  message: string
}

export interface RowOutcome {
  errors: RowIssue[]
  warnings: RowIssue[]
  /** What happened to the row when it had no errors. */
  stored?: 'inserted' | 'updated'
}

/** The per-kind part of an import: checks and stores one row, inside the import's transaction. */
export interface RowHandler {
  handle(row: number, values: Record<string, string>): RowOutcome | Promise<RowOutcome>
  /** Findings that can only be known once every row was read (e.g. a supervisor defined later). */
  finish(): RowIssue[] | Promise<RowIssue[]>
}

export interface ImportContext {
  store: Store
  operator: Operator
  batchId: number
  today: string
  now: string
}

interface KindBase {
  kind: string
  columns: readonly ColumnSpec[]
}

/** A kind whose rows are checked and stored one by one in this thread (the import engine reads the file). */
export interface RowKind extends KindBase {
  /** Called inside the transaction once the header is known. */
  begin(ctx: ImportContext & {header: HeaderMap}): RowHandler
}

/**
 * A kind that reads the file itself (e.g. with a worker thread) and counts every row into `rows`, inside the
 * transaction. It must call rows.header() with the file's header cells before any row, and hash the file's
 * bytes as it reads them (the engine checks the digest for an earlier import before it commits).
 */
export interface StreamKind extends KindBase {
  read(ctx: ImportContext & {file: string; ignoreUnknown: boolean}, rows: RowTally): Promise<{sha256: string}>
  /** Gets ready for read() while the command does its own start-up (e.g. starts a worker thread). */
  warmUp?(): void
  /**
   * Every row the kind inserts references rows it read or created in the same transaction, so the store's
   * foreign-key checks (a lookup per inserted row) are off while it imports, and back on after.
   */
  referencesByConstruction?: boolean
}

export type ImportKind = RowKind | StreamKind

export interface ImportOptions {
  file: string
  rejects?: string
  strict?: boolean
  dryRun?: boolean
  force?: boolean
  ignoreUnknown?: boolean
  today: string
  onProgress?: (bytes: number, rows: number) => void
}

export interface ImportResult {
  batchId: number | null
  file: string
  sha256: string
  rowsRead: number
  inserted: number
  updated: number
  rejected: number
  rejectsFile: string | null
  errors: RowIssue[]
  warnings: RowIssue[]
  dryRun: boolean
}

const MAX_LISTED = 100

/**
 * What happened to the rows of one import: counts, the first MAX_LISTED errors and warnings, the rejects
 * file (each rejected row as read, with its reasons) and progress. The one place an outcome is counted.
 */
export class RowTally {
  rowsRead = 0
  inserted = 0
  updated = 0
  rejected = 0
  readonly errors: RowIssue[] = []
  readonly warnings: RowIssue[] = []
  /** Rejected rows per reject code (a code counted once per row), kept with the batch for `reports imports`. */
  readonly rejectCodes = new Map<string, number>()
  /** The file's header cells, once read. */
  headerCells: string[] | undefined
  /** The rejects file being written (the temp of the --rejects output), once the header is known. */
  rejects: CsvFileWriter | undefined
  private bytes = 0

  constructor(private readonly rejectsPath: string | undefined, private readonly onProgress?: (bytes: number, rows: number) => void) {}

  header(cells: string[]): void {
    this.headerCells = cells
    // A rejects file imported back: its rows go to the new rejects file without the old row and errors.
    this.fromRejects = isRejectsHeader(cells)
    if (this.rejectsPath) this.rejects = new CsvFileWriter(this.rejectsPath, ['row', ...this.dataCells(cells), 'errors'])
  }

  private fromRejects = false

  private dataCells(cells: string[]): string[] {
    return this.fromRejects ? cells.slice(1, -1) : cells
  }

  stored(how: 'inserted' | 'updated', count = 1): void {
    this.rowsRead += count
    if (how === 'inserted') this.inserted += count
    else this.updated += count
  }

  /** A row that was read and not stored; cells are the row as read. */
  reject(row: number, cells: string[], errors: RowIssue[]): void {
    this.rowsRead++
    this.rejected++
    for (const e of errors) if (this.errors.length < MAX_LISTED) this.errors.push(e)
    for (const code of new Set(errors.map((e) => e.code))) this.rejectCodes.set(code, (this.rejectCodes.get(code) ?? 0) + 1)
    this.rejects?.write([row, ...this.dataCells(cells), errors.map((e) => `${e.code} ${e.column}: ${e.message}`).join('; ')])
  }

  warn(warnings: RowIssue[]): void {
    for (const w of warnings) if (this.warnings.length < MAX_LISTED) this.warnings.push(w)
  }

  /** Adds bytes read (callers report each chunk once its rows are counted) and tells onProgress. */
  progress(bytes: number): void {
    this.bytes += bytes
    this.onProgress?.(this.bytes, this.rowsRead)
  }

  /** Calls onProgress with the totals. */
  flushProgress(): void {
    this.onProgress?.(this.bytes, this.rowsRead)
  }
}

/**
 * Streams a CSV through a kind's row handler in ONE transaction: either every valid row is stored and the
 * batch recorded, or (file-level problem, --strict with rejects, --dry-run, crash, kill) nothing is.
 * The same content (sha256) twice is a conflict unless --force.
 */
export async function runImport(store: Store, operator: Operator, kind: ImportKind, opts: ImportOptions): Promise<ImportResult> {
  assertReadableFile(opts.file)
  if (opts.rejects && path.resolve(opts.rejects) === path.resolve(opts.file)) throw usage('--rejects must not be the file being imported.')
  const streams = 'read' in kind
  let sha256 = streams ? '' : await sha256File(opts.file)
  const refuseRepeat = async () => {
    if (opts.dryRun || opts.force) return
    const prior = await priorBatch(store, kind.kind, sha256)
    if (prior) {
      throw conflict('ALREADY_IMPORTED', `This file's content was already imported as batch ${prior.id} on ${prior.imported_at.slice(0, 10)}; pass --force to import it again.`, {batchId: prior.id, sha256})
    }
  }

  // The rejects file is known to the store before its first byte is written (store/outputs.ts).
  const rejects = opts.rejects ? await prepareOutput(store, opts.rejects, {label: '--rejects', kind: 'file', replace: true, purpose: `${kind.kind}.import`}) : undefined
  const now = new Date().toISOString()
  const rows = new RowTally(rejects?.tmp, opts.onProgress)
  const unchecked = streams && kind.referencesByConstruction === true
  try {
    const result = await inTransaction(store, async () => {
      // Checked inside the write lock: two imports of the same file at once store it once.
      if (!streams) await refuseRepeat()
      const batchId = await startBatch(store, {kind: kind.kind, file_name: path.basename(opts.file), sha256, imported_at: now, actor: operator.name})
      const ctx = {store, operator, batchId, today: opts.today, now}
      if (streams) {
        sha256 = (await kind.read({...ctx, file: opts.file, ignoreUnknown: Boolean(opts.ignoreUnknown)}, rows)).sha256
        await refuseRepeat()
      } else {
        await handleRows(kind, ctx, opts, rows)
      }
      if (!rows.headerCells) throw fileError('CSV-EMPTY', `${opts.file} is empty: it has no header row.`)
      if (rows.rowsRead === 0) throw fileError('CSV-EMPTY', `${opts.file} has a header but no data rows.`)
      rows.flushProgress()

      const result: ImportResult = {
        batchId: null, file: opts.file, sha256, rowsRead: rows.rowsRead, inserted: rows.inserted, updated: rows.updated, rejected: rows.rejected,
        rejectsFile: opts.rejects ?? null, errors: rows.errors, warnings: rows.warnings, dryRun: Boolean(opts.dryRun),
      }
      await rows.rejects?.close()
      if (opts.dryRun || (opts.strict && result.rejected > 0)) throw new Rollback(result)
      await finishBatch(store, batchId, {sha256, rows_read: result.rowsRead, inserted: result.inserted, updated: result.updated, rejected: result.rejected})
      await recordRejectCodes(store, batchId, rows.rejectCodes)
      await appendAudit(store, operator.name, {action: `${kind.kind}.import`, recordType: 'import_batch', recordId: batchId, digest: sha256}, now)
      await rejects?.commitWith()
      crashPoint('import:before-commit')
      result.batchId = batchId
      return result
    }, unchecked ? {foreignKeys: false} : {})
    if (result.batchId === null) {
      // Rolled back: a dry run, or --strict with rejected rows. The rejects file is still wanted: it says why
      // nothing was (or would be) stored.
      await rejects?.publish()
      if (!opts.dryRun) throw checksFailed('IMPORT_REJECTED', `${result.rejected} of ${result.rowsRead} rows failed the checks; with --strict nothing was stored.`, {...result})
      return result
    }
    crashPoint('import:after-commit')
    await rejects?.publish()
    return result
  } catch (error) {
    await rows.rejects?.abandon()
    await rejects?.discard()
    throw error
  }
}

/** The engine's own loop for a RowKind: reads the file and hands each row, trimmed, to the kind's handler. */
async function handleRows(kind: RowKind, ctx: ImportContext, opts: ImportOptions, rows: RowTally): Promise<void> {
  let handler: RowHandler | undefined
  let fields: [string, number][] = []
  let fromRejects = false
  let row = 0
  for await (const {records, bytes} of readCsvChunks(opts.file)) {
    for (const cells of records) {
      if (!handler) {
        const header = mapHeader(cells, [...kind.columns], Boolean(opts.ignoreUnknown))
        fields = [...header.index.entries()]
        fromRejects = header.fromRejects
        handler = kind.begin({...ctx, header})
        rows.header(cells)
        row++
        continue
      }
      const values: Record<string, string> = {}
      for (const [name, i] of fields) values[name] = fromRejects ? unneutralizeCell(cells[i].trim()) : cells[i].trim()
      const outcome = await handler.handle(row, values)
      rows.warn(outcome.warnings)
      if (outcome.errors.length > 0) rows.reject(row, cells, outcome.errors)
      else if (outcome.stored) rows.stored(outcome.stored)
      else rows.rowsRead++
      row++
    }
    rows.progress(bytes)
  }
  if (handler && rows.rowsRead > 0) rows.warn(await handler.finish())
}
