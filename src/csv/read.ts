import {CsvError, parse} from 'csv-parse'
import {createHash} from 'node:crypto'
import fs from 'node:fs'
import {Transform, type TransformCallback} from 'node:stream'
import {pipeline} from 'node:stream/promises'

import {CustodianError, ExitCode, notFound} from '../cli/errors.js'
import {quoteValue} from '../records/redact.js'

/** File-level problems stop an import before any row is stored (RULES.md). */
export type FileCode = 'CSV-UNKNOWN-COLUMN' | 'CSV-MISSING-COLUMN' | 'CSV-EMPTY' | 'CSV-MALFORMED' | 'CSV-ENCODING'

export function fileError(code: FileCode, message: string, details: Record<string, unknown> = {}): CustodianError {
  return new CustodianError(code, message, ExitCode.checksFailed, details)
}

export interface ColumnSpec {
  name: string
  required: boolean
}

/** Where each known column sits in the file; header names are trimmed and case-insensitive. */
export interface HeaderMap {
  /** The file's own header cells, as written. */
  header: string[]
  /** Known column name → index in the file's rows (absent columns are missing). */
  index: Map<string, number>
  /** Columns the file has that we skip (--ignore-unknown). */
  ignored: string[]
}

export function mapHeader(header: string[], columns: ColumnSpec[], ignoreUnknown: boolean): HeaderMap {
  const known = new Map(columns.map((c) => [c.name, c]))
  const index = new Map<string, number>()
  const unknown: string[] = []
  header.forEach((raw, i) => {
    const name = raw.trim().toLowerCase()
    if (name === '' && header.length > 1 && i === header.length - 1) return // a trailing comma
    if (!known.has(name)) {
      unknown.push(raw)
      return
    }
    if (index.has(name)) throw fileError('CSV-MALFORMED', `Column "${name}" appears twice in the header (columns ${index.get(name)! + 1} and ${i + 1}).`, {line: 1, column: name})
    index.set(name, i)
  })
  if (unknown.length > 0 && !ignoreUnknown) {
    throw fileError('CSV-UNKNOWN-COLUMN', `Unknown column${unknown.length > 1 ? 's' : ''}: ${unknown.slice(0, 5).map((u) => `"${quoteValue(u)}"`).join(', ')}${unknown.length > 5 ? ` and ${unknown.length - 5} more` : ''}. Expected: ${columns.map((c) => c.name).join(', ')}. Rename them, or pass --ignore-unknown to skip them.`, {columns: unknown.slice(0, 20), unknownCount: unknown.length})
  }
  const missing = columns.filter((c) => c.required && !index.has(c.name)).map((c) => c.name)
  if (missing.length > 0) {
    throw fileError('CSV-MISSING-COLUMN', `Required column${missing.length > 1 ? 's' : ''} missing: ${missing.join(', ')}.`, {columns: missing})
  }
  return {header, index, ignored: unknown}
}

export async function sha256File(path: string): Promise<string> {
  const hash = createHash('sha256')
  await pipeline(fs.createReadStream(path), hash)
  return hash.digest('hex')
}

export function assertReadableFile(path: string): number {
  let stat: fs.Stats
  try {
    stat = fs.statSync(path)
  } catch {
    throw notFound('FILE_NOT_FOUND', `File not found: ${path}`, {file: path})
  }
  if (!stat.isFile()) throw notFound('FILE_NOT_FOUND', `${path} is not a regular file.`, {file: path})
  return stat.size
}

/** Decodes UTF-8 strictly (a BOM is dropped); invalid bytes are CSV-ENCODING with the byte offset. */
class Utf8Decoder extends Transform {
  private readonly decoder = new TextDecoder('utf-8', {fatal: true})
  private offset = 0
  constructor(private readonly onBytes?: (n: number) => void) {
    super({readableObjectMode: false, decodeStrings: true, encoding: 'utf8'})
  }
  override _transform(chunk: Buffer, _enc: BufferEncoding, cb: TransformCallback): void {
    try {
      const text = this.decoder.decode(chunk, {stream: true})
      this.offset += chunk.length
      this.onBytes?.(chunk.length)
      cb(null, text)
    } catch {
      cb(fileError('CSV-ENCODING', `The file is not valid UTF-8 (bad bytes in the ${this.offset}–${this.offset + chunk.length} byte range). Save it as UTF-8 and import again.`))
    }
  }
  override _flush(cb: TransformCallback): void {
    try {
      cb(null, this.decoder.decode())
    } catch {
      cb(fileError('CSV-ENCODING', 'The file ends in the middle of a UTF-8 character. Save it as UTF-8 and import again.'))
    }
  }
}

export interface CsvRow {
  /** 1-based data row (header excluded). */
  row: number
  cells: string[]
}

const MAX_RECORD_BYTES = 1 << 20

function malformed(err: Error & {code?: string; lines?: number}): CustodianError {
  const line = err.lines
  const what =
    err.code === 'CSV_QUOTE_NOT_CLOSED' ? 'a quoted field is never closed'
    : err.code === 'CSV_RECORD_INCONSISTENT_FIELDS_LENGTH' ? 'the row has a different number of fields than the header'
    : err.code === 'CSV_INVALID_CLOSING_QUOTE' ? 'a quote inside a quoted field is not doubled'
    : err.code === 'CSV_MAX_RECORD_SIZE' ? `a row is larger than ${MAX_RECORD_BYTES} bytes`
    : err.code === 'INVALID_OPENING_QUOTE' ? 'a quote appears inside a field that does not start with one (quote the whole field and double the quotes inside it)'
    : err.message
  return fileError('CSV-MALFORMED', `The CSV is malformed at line ${line ?? '?'}: ${what}. Fix the file and import again.`, {line: line ?? null})
}

/**
 * Streams a CSV file with constant memory: strict UTF-8, RFC 4180 (quoted commas, quotes and line breaks),
 * CRLF or LF, ragged rows rejected. Yields the header first (row 0), then data rows. Blank lines are skipped.
 */
export async function* readCsv(path: string, onBytes?: (n: number) => void): AsyncGenerator<CsvRow> {
  const parser = parse({
    bom: true,
    skip_empty_lines: true,
    relax_column_count: false,
    max_record_size: MAX_RECORD_BYTES,
  })
  const done = pipeline(fs.createReadStream(path, {highWaterMark: 1 << 20}), new Utf8Decoder(onBytes), parser)
  let settled: unknown = null
  done.catch((error) => {
    settled = error
  })
  let row = 0
  try {
    for await (const cells of parser as AsyncIterable<string[]>) {
      yield {row: row++, cells}
    }
  } catch (error) {
    throw toFileError(settled ?? error)
  } finally {
    parser.destroy()
  }
  try {
    await done
  } catch (error) {
    throw toFileError(error)
  }
}

function toFileError(error: unknown): unknown {
  if (error instanceof CustodianError) return error
  const e = error as Error & {code?: string}
  if (e instanceof CsvError || (typeof e?.code === 'string' && e.code.startsWith('CSV_'))) return malformed(e)
  return error
}
