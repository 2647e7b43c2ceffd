import {CustodianError, ExitCode} from '../errors.js'

/** The most characters one record may hold: a longer one is CSV-MALFORMED (and memory stays bounded). */
export const MAX_RECORD_CHARS = 1 << 20

const QUOTE = 34
const COMMA = 44
const LF = 10
const CR = 13

/** Line breaks of the file, found at its first one outside quotes: LF or CRLF (either ends a line), or lone CR. */
const enum Breaks {
  unknown,
  lf,
  cr,
  /** The text is one record (parseRecord): no character breaks it. */
  none,
}

/** Receives each record: its cells, and where its text lies (`text.slice(start, end)`, line break excluded). */
export type RecordSink = (cells: string[], text: string, start: number, end: number) => void

export function malformedCsv(line: number, what: string): CustodianError {
  return new CustodianError('CSV-MALFORMED', `The CSV is malformed at line ${line}: ${what}. Fix the file and import again.`, ExitCode.checksFailed, {line})
}

/**
 * An incremental RFC 4180 parser over decoded text: commas, double quotes (a quoted field may hold commas,
 * doubled quotes and line breaks), LF, CRLF or CR line breaks, blank lines skipped, every record as wide as
 * the first. Problems are CSV-MALFORMED with the physical line. Lines without a quote take a fast path
 * (indexOf and slice, no per-character loop): that is where a large import spends its parsing time.
 */
export class CsvParser {
  /** The physical line (1-based) the parser is at. */
  private line = 1
  private breaks = Breaks.unknown
  private width = -1
  private pending = ''

  constructor(private readonly sink: RecordSink, oneRecord = false) {
    if (oneRecord) this.breaks = Breaks.none
  }

  /** Parses every complete record of the text so far; an incomplete last one waits for more text. */
  push(chunk: string): void {
    const text = this.pending === '' ? chunk : this.pending + chunk
    const pos = this.parse(text, false)
    this.pending = pos < text.length ? text.slice(pos) : ''
    if (this.pending.length > MAX_RECORD_CHARS) throw malformedCsv(this.line, `a row is longer than ${MAX_RECORD_CHARS} characters`)
  }

  /** The end of the text: the last record needs no line break. */
  end(): void {
    if (this.pending !== '') this.parse(this.pending, true)
    this.pending = ''
  }

  /** Parses text from its start; returns where the first incomplete record starts (text.length if none). */
  private parse(text: string, final: boolean): number {
    let pos = 0
    let quote = -1 // the next quote at or after pos (text.length + 1: none)
    const n = text.length
    while (pos < n) {
      if (this.breaks === Breaks.lf) {
        const nl = text.indexOf('\n', pos)
        if (quote < pos) {
          quote = text.indexOf('"', pos)
          if (quote === -1) quote = n + 1
        }
        if (nl !== -1 && quote > nl) {
          if (nl - pos > MAX_RECORD_CHARS) throw malformedCsv(this.line, `a row is longer than ${MAX_RECORD_CHARS} characters`)
          const end = nl > pos && text.charCodeAt(nl - 1) === CR ? nl - 1 : nl
          if (end > pos) this.record(splitLine(text, pos, end), text, pos, end)
          this.line++
          pos = nl + 1
          continue
        }
      }
      const next = this.slowRecord(text, pos, final)
      if (next === -1) return pos
      pos = next
    }
    return pos
  }

  private record(cells: string[], text: string, start: number, end: number): void {
    if (this.width === -1) this.width = cells.length
    else if (cells.length !== this.width) throw malformedCsv(this.line, `the row has ${cells.length} fields but the header has ${this.width}`)
    this.sink(cells, text, start, end)
  }

  /** Is there a line break at i? Its length (0: none, -1: cannot tell before more text). Fixes the kind at the first. */
  private breakAt(text: string, i: number, final: boolean): number {
    const c = text.charCodeAt(i)
    if (this.breaks === Breaks.none) return 0
    if (c === LF) {
      if (this.breaks === Breaks.unknown) this.breaks = Breaks.lf
      return this.breaks === Breaks.lf ? 1 : 0
    }
    if (c !== CR) return 0
    if (i + 1 >= text.length && !final) return -1
    const crlf = text.charCodeAt(i + 1) === LF
    if (this.breaks === Breaks.unknown) this.breaks = crlf || i + 1 >= text.length ? Breaks.lf : Breaks.cr
    if (this.breaks === Breaks.cr) return 1
    return crlf ? 2 : i + 1 >= text.length ? 1 : 0
  }

  /**
   * One record character by character (quotes, CR line breaks, the first line): returns the position after
   * its line break, or -1 when the text ends before the record does and more may come.
   */
  private slowRecord(text: string, start: number, final: boolean): number {
    const n = text.length
    const cells: string[] = []
    let lines = 0 // line breaks inside quoted fields
    let i = start
    for (;;) {
      if (i - start > MAX_RECORD_CHARS) throw malformedCsv(this.line, `a row is longer than ${MAX_RECORD_CHARS} characters`)
      if (i >= n) {
        // Only at the start of a record (after a comma the field is taken at once).
        if (!final) return -1
        return n
      }
      if (text.charCodeAt(i) === QUOTE) {
        const quoteLine = this.line + lines
        let value = ''
        let from = i + 1
        for (;;) {
          const q = text.indexOf('"', from)
          if (q === -1 || (q + 1 >= n && !final)) {
            if (!final) return -1
            // Named where the quote opens: the end of the file says nothing about where the mistake is.
            if (q === -1) throw malformedCsv(quoteLine, 'a quoted field opens on this line and is never closed')
          }
          lines += countBreaks(text, from, q, this.breaks)
          if (text.charCodeAt(q + 1) === QUOTE) {
            value += text.slice(from, q + 1)
            from = q + 2
            continue
          }
          value += text.slice(from, q)
          i = q + 1
          break
        }
        cells.push(value)
        if (i >= n) {
          // The end of the text ends the record, or more may come.
          if (!final) return -1
          this.line += lines
          this.record(cells, text, start, i)
          return n
        }
        if (text.charCodeAt(i) === COMMA) {
          i++
          if (i >= n && final) {
            cells.push('')
            this.line += lines
            this.record(cells, text, start, i)
            return n
          }
          continue
        }
        const br = this.breakAt(text, i, final)
        if (br === -1) return -1
        if (br === 0) throw malformedCsv(this.line + lines, 'a quote inside a quoted field is not doubled')
        this.line += lines
        this.record(cells, text, start, i)
        this.line++
        return i + br
      }
      // An unquoted field: up to a comma or a line break.
      let j = i
      let br = 0
      while (j < n) {
        const c = text.charCodeAt(j)
        if (c === COMMA) break
        if (c === LF || c === CR) {
          br = this.breakAt(text, j, final)
          if (br === -1) return -1
          if (br > 0) break
        }
        if (c === QUOTE) throw malformedCsv(this.line + lines, 'a quote appears inside a field that does not start with one')
        j++
      }
      if (j >= n && !final) return -1
      if (br === 0 && j < n) {
        // a comma
        cells.push(text.slice(i, j))
        i = j + 1
        if (i >= n && final) {
          cells.push('')
          this.line += lines
          this.record(cells, text, start, i)
          return n
        }
        continue
      }
      if (j === start) {
        // A blank line.
        this.line++
        return j + br
      }
      cells.push(text.slice(i, j))
      this.line += lines
      this.record(cells, text, start, j)
      if (br > 0) this.line++
      return j + br
    }
  }
}

/** The cells of an unquoted line text[start, end). */
function splitLine(text: string, start: number, end: number): string[] {
  const cells: string[] = []
  let a = start
  for (;;) {
    const c = text.indexOf(',', a)
    if (c === -1 || c >= end) {
      cells.push(text.slice(a, end))
      return cells
    }
    cells.push(text.slice(a, c))
    a = c + 1
  }
}

function countBreaks(text: string, from: number, to: number, breaks: Breaks): number {
  const ch = breaks === Breaks.cr ? '\r' : '\n'
  let count = 0
  for (let i = text.indexOf(ch, from); i !== -1 && i < to; i = text.indexOf(ch, i + 1)) count++
  return count
}

/** The cells of one complete record's text (as given to a RecordSink), parsed again. */
export function parseRecord(text: string): string[] {
  let out: string[] = []
  const p = new CsvParser((cells) => {
    out = cells
  }, true)
  p.push(text)
  p.end()
  return out
}
