import path from 'node:path'

import type {Operator} from '../auth/roles.js'
import {appendAudit} from '../audit/chain.js'
import {checksFailed, conflict, usage} from '../cli/errors.js'
import type {Store} from '../store/index.js'
import {type ColumnSpec, type HeaderMap, assertReadableFile, fileError, mapHeader, readCsv, sha256File} from './read.js'
import {AtomicCsvWriter} from './write.js'

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
  handle(row: number, values: Record<string, string>): RowOutcome
  /** Findings that can only be known once every row was read (e.g. a supervisor defined later). */
  finish(): RowIssue[]
}

export interface ImportKind {
  kind: string
  columns: readonly ColumnSpec[]
  /** Called inside the transaction once the header is known. */
  begin(ctx: {store: Store; operator: Operator; batchId: number; today: string; header: HeaderMap; now: string}): RowHandler
}

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
 * Streams a CSV through a kind's row handler in ONE transaction: either every valid row is stored and the
 * batch recorded, or (file-level problem, --strict with rejects, --dry-run, crash, kill) nothing is.
 * The same content (sha256) twice is a conflict unless --force.
 */
export async function runImport(store: Store, operator: Operator, kind: ImportKind, opts: ImportOptions): Promise<ImportResult> {
  assertReadableFile(opts.file)
  if (opts.rejects) {
    if (path.resolve(opts.rejects) === path.resolve(opts.file)) throw usage('--rejects must not be the file being imported.')
    try {
      AtomicCsvWriter.assertWritable(opts.rejects)
    } catch {
      throw usage(`Cannot write the rejects file ${opts.rejects}: its folder does not exist or is not writable.`)
    }
  }
  const sha256 = await sha256File(opts.file)
  if (!opts.dryRun && !opts.force) {
    const prior = await store.db.selectFrom('import_batches').select(['id', 'imported_at']).where('kind', '=', kind.kind).where('sha256', '=', sha256).executeTakeFirst()
    if (prior) {
      throw conflict('ALREADY_IMPORTED', `This file's content was already imported as batch ${prior.id} on ${prior.imported_at.slice(0, 10)}; pass --force to import it again.`, {batchId: prior.id, sha256})
    }
  }

  const now = new Date().toISOString()
  const result: ImportResult = {
    batchId: null, file: opts.file, sha256, rowsRead: 0, inserted: 0, updated: 0, rejected: 0,
    rejectsFile: opts.rejects ?? null, errors: [], warnings: [], dryRun: Boolean(opts.dryRun),
  }
  let rejects: AtomicCsvWriter | undefined
  let committed = false
  store.sqlite.exec('BEGIN IMMEDIATE')
  try {
    const batchId = Number(store.sqlite
      .prepare('INSERT INTO import_batches (kind, file_name, sha256, imported_at, actor, rows_read, inserted, updated, rejected) VALUES (?, ?, ?, ?, ?, 0, 0, 0, 0)')
      .run(kind.kind, path.basename(opts.file), sha256, now, operator.name).lastInsertRowid)
    let header: HeaderMap | undefined
    let handler: RowHandler | undefined
    let fields: [string, number][] = []
    let bytes = 0
    const progress = opts.onProgress
    for await (const {row, cells} of readCsv(opts.file, progress ? (n) => { bytes += n } : undefined)) {
      if (!header) {
        header = mapHeader(cells, [...kind.columns], Boolean(opts.ignoreUnknown))
        fields = [...header.index.entries()]
        handler = kind.begin({store, operator, batchId, today: opts.today, header, now})
        if (opts.rejects) rejects = new AtomicCsvWriter(opts.rejects, ['row', ...cells, 'errors'])
        continue
      }
      const values: Record<string, string> = {}
      for (const [name, i] of fields) values[name] = cells[i].trim()
      const outcome = handler!.handle(row, values)
      result.rowsRead++
      for (const w of outcome.warnings) if (result.warnings.length < MAX_LISTED) result.warnings.push(w)
      if (outcome.errors.length > 0) {
        result.rejected++
        for (const e of outcome.errors) if (result.errors.length < MAX_LISTED) result.errors.push(e)
        rejects?.write([row, ...cells, outcome.errors.map((e) => `${e.code} ${e.column}: ${e.message}`).join('; ')])
      } else if (outcome.stored === 'inserted') result.inserted++
      else if (outcome.stored === 'updated') result.updated++
      if (progress && (row & 1023) === 0) progress(bytes, result.rowsRead)
    }
    if (!header) throw fileError('CSV-EMPTY', `${opts.file} is empty: it has no header row.`)
    if (result.rowsRead === 0) throw fileError('CSV-EMPTY', `${opts.file} has a header but no data rows.`)
    for (const w of handler!.finish()) if (result.warnings.length < MAX_LISTED) result.warnings.push(w)
    progress?.(bytes, result.rowsRead)

    if (opts.strict && result.rejected > 0) {
      store.sqlite.exec('ROLLBACK')
      await rejects?.commit()
      rejects = undefined
      throw checksFailed('IMPORT_REJECTED', `${result.rejected} of ${result.rowsRead} rows failed the checks; with --strict nothing was stored.`, {...result})
    }
    if (opts.dryRun) {
      store.sqlite.exec('ROLLBACK')
    } else {
      store.sqlite
        .prepare('UPDATE import_batches SET rows_read = ?, inserted = ?, updated = ?, rejected = ? WHERE id = ?')
        .run(result.rowsRead, result.inserted, result.updated, result.rejected, batchId)
      await appendAudit(store, operator.name, {action: `${kind.kind}.import`, recordType: 'import_batch', recordId: batchId, digest: sha256}, now)
      result.batchId = batchId
      store.sqlite.exec('COMMIT')
    }
    committed = true
    await rejects?.commit()
    return result
  } catch (error) {
    if (store.sqlite.inTransaction) store.sqlite.exec('ROLLBACK')
    if (!committed) await rejects?.discard()
    throw error
  }
}
