import {CsvError, parse} from 'csv-parse'
import {createHash} from 'node:crypto'
import fs from 'node:fs'

import {CustodianError, ExitCode, notFound} from '../errors.js'
import {quoteValue} from '../text/redact.js'

import {CsvParser, MAX_RECORD_CHARS, malformedCsv} from './parse.js'
import type {CodeInfo} from '../rules.js'

/** File-level problems stop an import before any row is stored (RULES.md). */
export const FILE_CODES = {
  'CSV-ENCODING': {severity: 'error', title: 'the file is not UTF-8 text (the line is named)'},
  'CSV-MALFORMED': {severity: 'error', title: 'the file is not well-formed CSV, e.g. an unclosed quote (the line where it opens is named)'},
  'CSV-EMPTY': {severity: 'error', title: 'the file has no header, or a header and no data rows'},
  'CSV-MISSING-COLUMN': {severity: 'error', title: 'a required column is missing from the header'},
  'CSV-UNKNOWN-COLUMN': {severity: 'error', title: 'the header has a column the import does not know (pass --ignore-unknown to skip it)'},
} as const satisfies Record<string, CodeInfo>

export type FileCode = keyof typeof FILE_CODES

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
  /** A rejects file of custodian's own, imported back: its cells lose the protective apostrophe. */
  fromRejects: boolean
}

/**
 * custodian's own rejects file: the rows as read, between a `row` column first and an `errors` column last. It
 * is meant to be fixed and imported back as it is.
 */
export function isRejectsHeader(cells: readonly string[]): boolean {
  return cells.length >= 3 && cells[0]!.trim().toLowerCase() === 'row' && cells.at(-1)!.trim().toLowerCase() === 'errors'
}

/** A cell as it was before a rejects file protected it from spreadsheets (neutralizeCell's apostrophe off). */
export function unneutralizeCell(value: string): string {
  return /^'[=+\-@\t\r]/.test(value) ? value.slice(1) : value
}

export function mapHeader(header: string[], columns: ColumnSpec[], ignoreUnknown: boolean): HeaderMap {
  const known = new Map(columns.map((c) => [c.name, c]))
  const index = new Map<string, number>()
  const unknown: string[] = []
  const fromRejects = isRejectsHeader(header)
  header.forEach((raw, i) => {
    if (fromRejects && (i === 0 || i === header.length - 1)) return // the rejects file's own row and errors
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
  return {header, index, ignored: unknown, fromRejects}
}

/** The file's SHA-256 (hex), read through one reused buffer: no garbage that grows with the file. */
export async function sha256File(path: string): Promise<string> {
  const hash = createHash('sha256')
  const fd = await fs.promises.open(path, 'r')
  try {
    const buf = Buffer.allocUnsafe(1 << 20)
    for (;;) {
      const {bytesRead} = await fd.read(buf, 0, buf.length, null)
      if (bytesRead === 0) break
      hash.update(buf.subarray(0, bytesRead))
    }
  } finally {
    await fd.close()
  }
  return hash.digest('hex')
}

/** A file to read exists, is a file and this process may read it (FILE_NOT_FOUND, FILE_UNREADABLE: exit 5); its size. */
export function assertReadableFile(path: string): number {
  let stat: fs.Stats
  try {
    stat = fs.statSync(path)
  } catch {
    throw notFound('FILE_NOT_FOUND', `File not found: ${path}`, {file: path})
  }
  if (stat.isDirectory()) throw notFound('FILE_NOT_FOUND', `${path} is a folder, not a file: give the path of the file itself.`, {file: path})
  if (!stat.isFile()) throw notFound('FILE_NOT_FOUND', `${path} is not a regular file.`, {file: path})
  try {
    fs.accessSync(path, fs.constants.R_OK)
  } catch {
    throw notFound('FILE_UNREADABLE', `Cannot read ${path}: permission denied for the user running custodian. Let that user read the file, or use a copy it can read.`, {file: path})
  }
  return stat.size
}

export interface CsvRow {
  /** 1-based data row (header excluded). */
  row: number
  cells: string[]
}

const CHUNK_BYTES = 1 << 18

/**
 * Where the first invalid UTF-8 sequence starts in the bytes, or -1 when there is none (an incomplete character
 * at the very end is left to the next chunk). Continuation bytes at the start belong to a character that began
 * in the previous chunk.
 */
export function firstInvalidUtf8(b: Uint8Array): number {
  let i = 0
  while (i < 3 && i < b.length && (b[i]! & 0xc0) === 0x80) i++
  while (i < b.length) {
    const c = b[i]!
    if (c < 0x80) {
      i++
      continue
    }
    const n = c >= 0xc2 && c <= 0xdf ? 1 : c >= 0xe0 && c <= 0xef ? 2 : c >= 0xf0 && c <= 0xf4 ? 3 : 0
    if (n === 0) return i
    for (let k = 1; k <= n; k++) {
      if (i + k >= b.length) return -1
      const d = b[i + k]!
      if ((d & 0xc0) !== 0x80) return i
      // Overlong forms, UTF-16 surrogates and code points above U+10FFFF.
      if (k === 1 && ((c === 0xe0 && d < 0xa0) || (c === 0xed && d >= 0xa0) || (c === 0xf0 && d < 0x90) || (c === 0xf4 && d >= 0x90))) return i
    }
    i += n + 1
  }
  return -1
}

/** The line (1-based) of a byte offset in a file: one more than the line feeds before it. Error paths only. */
function lineAt(file: string, offset: number): number {
  const fd = fs.openSync(file, 'r')
  try {
    const buf = Buffer.allocUnsafe(1 << 20)
    let line = 1
    for (let pos = 0; pos < offset;) {
      const n = fs.readSync(fd, buf, 0, Math.min(buf.length, offset - pos), pos)
      if (n === 0) break
      for (let i = buf.indexOf(10, 0); i !== -1 && i < n; i = buf.indexOf(10, i + 1)) line++
      pos += n
    }
    return line
  } finally {
    fs.closeSync(fd)
  }
}

/**
 * A strict UTF-8 decoder over a byte stream: invalid bytes are CSV-ENCODING naming their line (found again in
 * the file, only then) when the file is given, else their byte range.
 */
export class Utf8Text {
  private readonly decoder = new TextDecoder('utf-8', {fatal: true}) // drops a BOM
  private offset = 0

  constructor(private readonly file?: string) {}

  decode(bytes: Uint8Array): string {
    try {
      return this.decoder.decode(bytes, {stream: true})
    } catch {
      throw this.encodingError(bytes)
    } finally {
      this.offset += bytes.length
    }
  }

  end(): string {
    try {
      return this.decoder.decode()
    } catch {
      throw fileError('CSV-ENCODING', 'The file ends in the middle of a UTF-8 character. Save it as UTF-8 and import again.')
    }
  }

  private encodingError(bytes: Uint8Array): CustodianError {
    const at = firstInvalidUtf8(bytes)
    const offset = this.offset + Math.max(at, 0)
    if (this.file) {
      const line = lineAt(this.file, offset)
      return fileError('CSV-ENCODING', `The file is not valid UTF-8 at line ${line} (byte ${offset + 1}): it was probably saved as Latin-1 or Windows-1252. Save it as UTF-8 and import again.`, {line})
    }
    return fileError('CSV-ENCODING', `The file is not valid UTF-8 (bad bytes in the ${this.offset}–${this.offset + bytes.length} byte range). Save it as UTF-8 and import again.`)
  }
}

/**
 * Where a file csv-parse refused is malformed, as a person counts lines: csv-parse's own count is off in CRLF
 * files with quoted line breaks, so the file is read again by CsvParser (parse.ts), which counts physical lines
 * and names the line where an unclosed quote opens. The error path only: a good file is read once.
 */
async function locateMalformed(path: string, error: CsvError): Promise<CustodianError> {
  const parser = new CsvParser(() => undefined)
  const utf8 = new Utf8Text()
  try {
    for await (const chunk of fs.createReadStream(path, {highWaterMark: CHUNK_BYTES})) parser.push(utf8.decode(chunk as Buffer))
    parser.push(utf8.end())
    parser.end()
  } catch (found) {
    if (found instanceof CustodianError && found.code === 'CSV-MALFORMED') return found
  }
  return malformed(error)
}

/** csv-parse's failures as CSV-MALFORMED with the line and a sentence a person can act on. */
function malformed(err: Error & {code?: string; lines?: number}): CustodianError {
  const what =
    err.code === 'CSV_QUOTE_NOT_CLOSED' ? 'a quoted field is never closed'
    : err.code === 'CSV_RECORD_INCONSISTENT_FIELDS_LENGTH' ? 'the row has a different number of fields than the header'
    : err.code === 'CSV_INVALID_CLOSING_QUOTE' ? 'a quote inside a quoted field is not doubled'
    : err.code === 'CSV_MAX_RECORD_SIZE' ? `a row is longer than ${MAX_RECORD_CHARS} characters`
    : err.code === 'INVALID_OPENING_QUOTE' ? 'a quote appears inside a field that does not start with one (quote the whole field and double the quotes inside it)'
    : 'the file is not valid CSV'
  return malformedCsv(err.lines ?? 0, what)
}

/**
 * Streams a CSV file with constant memory through csv-parse: strict UTF-8 (a BOM is dropped), RFC 4180,
 * CRLF, LF or CR, ragged rows rejected, blank lines skipped. Yields the records of each chunk read (the
 * header is the first record) with the chunk's size in bytes. (The timesheet import's worker uses the
 * faster CsvParser of parse.ts instead, measured equivalent to this one in test/unit/csv/parse.test.ts.)
 */
export async function* readCsvChunks(path: string): AsyncGenerator<{records: string[][]; bytes: number}> {
  const fd = await fs.promises.open(path, 'r')
  const parser = parse({bom: false, skip_empty_lines: true, relax_column_count: false, max_record_size: MAX_RECORD_CHARS})
  // The parser is driven synchronously: write a chunk of text, then read the records it completed.
  const drain = (): string[][] => {
    const records: string[][] = []
    for (let r = parser.read() as string[] | null; r !== null; r = parser.read() as string[] | null) records.push(r)
    if (parser.errored) throw parser.errored
    return records
  }
  parser.on('error', () => undefined) // surfaced through parser.errored
  try {
    yield* chunksOf(fd, path, parser, drain)
  } catch (error) {
    throw error instanceof CsvError ? await locateMalformed(path, error) : error
  } finally {
    parser.destroy()
    await fd.close()
  }
}

/** The chunks of readCsvChunks: each read of the file, with the records csv-parse completed in it. */
async function* chunksOf(fd: fs.promises.FileHandle, file: string, parser: ReturnType<typeof parse>, drain: () => string[][]): AsyncGenerator<{records: string[][]; bytes: number}> {
  const buf = Buffer.allocUnsafe(CHUNK_BYTES)
  const utf8 = new Utf8Text(file)
  for (;;) {
    const {bytesRead} = await fd.read(buf, 0, CHUNK_BYTES, null)
    if (bytesRead === 0) {
      const flushed = new Promise<void>((resolve) => parser.once('finish', resolve).once('error', () => resolve()))
      parser.end(utf8.end())
      await flushed // the last record, if the file does not end with a line break, is read now
      const records = drain()
      if (records.length > 0) yield {records, bytes: 0}
      return
    }
    parser.write(utf8.decode(buf.subarray(0, bytesRead)))
    yield {records: drain(), bytes: bytesRead}
  }
}

/** Every record of a CSV file (see readCsvChunks): the header first (row 0), then data rows. */
export async function* readCsv(path: string): AsyncGenerator<CsvRow> {
  let row = 0
  for await (const {records} of readCsvChunks(path)) {
    for (const cells of records) yield {row: row++, cells}
  }
}
