import {stringify} from 'csv-stringify'
import fs from 'node:fs'

/**
 * A text cell that a spreadsheet would run as a formula gets a leading apostrophe (RULES.md, exported CSV).
 */
export function neutralizeCell(value: string): string {
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value
}

/**
 * A CSV written row by row (constant memory) to a new 0600 file — the temp of an Output (store/outputs.ts),
 * which puts it in place. Every cell is formula-neutralised; RFC 4180 quoting, UTF-8, header row.
 */
export class CsvFileWriter {
  private readonly out: fs.WriteStream
  private readonly csv: ReturnType<typeof stringify>
  private failure: Error | undefined
  private finished = false

  constructor(readonly file: string, header: string[]) {
    this.out = fs.createWriteStream(file, {flags: 'wx', mode: 0o600})
    this.out.on('error', (error) => {
      this.failure ??= error
    })
    this.csv = stringify({eof: true, record_delimiter: 'unix'})
    this.csv.pipe(this.out)
    this.write(header)
  }

  write(cells: (string | number | null | undefined)[]): void {
    if (this.failure) return
    this.csv.write(cells.map((c) => (c === null || c === undefined ? '' : typeof c === 'number' ? String(c) : neutralizeCell(c))))
  }

  /** Ends the file and makes its bytes durable; throws the first write error (a full disk, say). */
  async close(): Promise<void> {
    await this.end()
    if (this.failure) throw this.failure
    const fd = fs.openSync(this.file, 'r')
    try {
      fs.fsyncSync(fd)
    } finally {
      fs.closeSync(fd)
    }
  }

  /** Ends the stream without caring how (the Output removes the file). */
  async abandon(): Promise<void> {
    await this.end().catch(() => undefined)
  }

  private async end(): Promise<void> {
    if (this.finished) return
    this.finished = true
    if (this.out.destroyed || this.out.closed) return
    const closed = new Promise<void>((resolve) => {
      this.out.once('close', resolve)
    })
    this.csv.end()
    await closed
  }
}
