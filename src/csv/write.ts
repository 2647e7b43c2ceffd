import {stringify} from 'csv-stringify'
import fs from 'node:fs'
import path from 'node:path'
import {once} from 'node:events'

/**
 * A text cell that a spreadsheet would run as a formula gets a leading apostrophe (RULES.md, exported CSV).
 */
export function neutralizeCell(value: string): string {
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value
}

function tempPathFor(target: string): string {
  return path.join(path.dirname(target), `.${path.basename(target)}.${process.pid}.${Date.now()}.tmp`)
}

/** Writes data to target atomically: a 0600 temp file beside it, fsync, rename. */
export function writeFileAtomic(target: string, data: string | Uint8Array): void {
  const tmp = tempPathFor(target)
  const fd = fs.openSync(tmp, 'wx', 0o600)
  try {
    fs.writeFileSync(fd, data)
    fs.fsyncSync(fd)
  } catch (error) {
    fs.closeSync(fd)
    fs.rmSync(tmp, {force: true})
    throw error
  }
  fs.closeSync(fd)
  try {
    fs.renameSync(tmp, target)
  } catch (error) {
    fs.rmSync(tmp, {force: true})
    throw error
  }
}

/**
 * A CSV written row by row (constant memory) to a 0600 temp file that only becomes `target` on commit().
 * Every cell is formula-neutralised; RFC 4180 quoting, UTF-8, header row.
 */
export class AtomicCsvWriter {
  private readonly tmp: string
  private readonly out: fs.WriteStream
  private readonly csv: ReturnType<typeof stringify>
  private finished = false

  constructor(readonly target: string, header: string[]) {
    this.tmp = tempPathFor(target)
    this.out = fs.createWriteStream(this.tmp, {flags: 'wx', mode: 0o600})
    this.csv = stringify({eof: true, record_delimiter: 'unix'})
    this.csv.pipe(this.out)
    this.write(header)
  }

  /** Validates that the target's folder exists and is writable before work starts. */
  static assertWritable(target: string): void {
    fs.accessSync(path.dirname(path.resolve(target)), fs.constants.W_OK)
  }

  write(cells: (string | number | null | undefined)[]): void {
    this.csv.write(cells.map((c) => (c === null || c === undefined ? '' : typeof c === 'number' ? String(c) : neutralizeCell(c))))
  }

  async commit(): Promise<void> {
    await this.end()
    const fd = fs.openSync(this.tmp, 'r')
    fs.fsyncSync(fd)
    fs.closeSync(fd)
    fs.renameSync(this.tmp, this.target)
  }

  async discard(): Promise<void> {
    await this.end().catch(() => undefined)
    fs.rmSync(this.tmp, {force: true})
  }

  private async end(): Promise<void> {
    if (this.finished) return
    this.finished = true
    const closed = once(this.out, 'close')
    this.csv.end()
    await closed
  }
}
