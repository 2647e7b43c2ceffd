import fs from 'node:fs'

import {type Operator, authorize} from '../auth/roles.js'
import {assertReadableFile} from '../csv/read.js'
import {notFound} from '../errors.js'
import {looksLikePayrollCsv, verifyPayrollCsv} from './verify-csv.js'
import type {PayrollFormat} from './batch-file.js'
import {type VerifyReport, verifyNfcChunks} from './verify.js'

/** Each read of an NFC file: the checks keep this one buffer, whatever the file's size. */
const READ_SIZE = 1024 * 1024

/** The bytes of an open file from its start, in reads of READ_SIZE into one reused buffer. */
function* chunksOf(fd: number, buffer: Buffer): Generator<Buffer> {
  let position = 0
  for (;;) {
    const n = fs.readSync(fd, buffer, 0, buffer.length, position)
    if (n === 0) return
    position += n
    yield n === buffer.length ? buffer : buffer.subarray(0, n)
  }
}

/**
 * `payroll verify`: checks an interchange file (NFC fixed-width, or the CSV format with its control file); never
 * throws on bad content. An NFC file is read in fixed-size reads and checked as a stream (verify.ts), so memory
 * does not grow with the file; no store is read (the operator's role is checked here).
 */
export async function verifyFile(operator: Operator, file: string): Promise<VerifyReport & {file: string; format: PayrollFormat}> {
  authorize(operator, 'payroll.verify')
  assertReadableFile(file)
  let fd: number
  try {
    fd = fs.openSync(file, 'r')
  } catch (error) {
    // (assertReadableFile found it and could read it: gone or changed since)
    throw notFound('FILE_UNREADABLE', `Cannot open ${file} (${(error as NodeJS.ErrnoException).code ?? 'unknown error'}).`, {file})
  }
  try {
    const start = Buffer.alloc(64)
    const n = fs.readSync(fd, start, 0, start.length, 0)
    if (looksLikePayrollCsv(start.subarray(0, n))) {
      let control: string | null = null
      try {
        control = fs.readFileSync(`${file}.control.json`, 'utf8')
      } catch {
        // Reported as a problem: the totals cannot be checked.
      }
      return {file, format: 'csv', ...verifyPayrollCsv(fs.readFileSync(fd), control)}
    }
    const buffer = Buffer.allocUnsafe(READ_SIZE)
    return {file, format: 'nfc', ...verifyNfcChunks(() => chunksOf(fd, buffer))}
  } finally {
    fs.closeSync(fd)
  }
}
