import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {describe, expect, it} from 'vitest'

import {buildNfcFile} from '../../../src/payroll/nfc.js'
import {verifyFile} from '../../../src/payroll/verify-file.js'
import {verifyNfc, verifyNfcChunks} from '../../../src/payroll/verify.js'
import type {Operator} from '../../../src/auth/roles.js'
import {DETAILS, HEADER} from './batch.js'
import {verifyNfc as referenceVerify} from './verify-reference.js'
import {prng} from '../../helpers/prng.js'

// The streaming verifier (verify.ts) against the whole-file verifier it replaced (verify-reference.ts, kept
// here unchanged as the reference): the same report, problem for problem and in the same order, for every
// input below, whether the bytes come in one piece or in chunks of any size.

const GOLDEN = buildNfcFile(HEADER, DETAILS).content
const LINES = GOLDEN.split('\n').slice(0, -1)
const file = (lines: string[], end = '\n') => Buffer.from(lines.join('\n') + end, 'latin1')


/** The bytes in pieces of `size` (the last one shorter), as a file read in fixed-size reads gives them. */
function* pieces(buf: Buffer, size: number): Generator<Buffer> {
  for (let i = 0; i < buf.length; i += size) yield buf.subarray(i, i + size)
}

function expectSame(buf: Buffer, sizes: number[] = [1, 7, 121, 4096]): void {
  const expected = referenceVerify(buf)
  expect(verifyNfc(buf)).toEqual(expected)
  for (const size of sizes) expect(verifyNfcChunks(() => pieces(buf, size))).toEqual(expected)
}

/** A larger valid-looking file: many employees, records in order, controls as the reference computes them. */
function bigFile(employees: number): string[] {
  const details = []
  for (let i = 0; i < employees; i++) {
    for (const [tc, type, acct] of [['01', 'REG', 'ACCT-1'], ['01', 'REG', 'ACCT-2'], ['66', 'HOL', 'ACCT-9'], ['66', 'ADMIN', 'ACCT-1']] as const) {
      details.push({...DETAILS[0], ssn: String(100000000 + i * 7919).slice(0, 9), employeeId: `E${String(i).padStart(6, '0')}`, transactionCode: tc, hourType: type, hours: 800 + i, accountingCode: acct})
    }
  }
  return buildNfcFile(HEADER, details).content.split('\n').slice(0, -1)
}

describe('the streaming verifier gives the reference report', () => {
  it('on the golden file and a larger file', () => {
    expectSame(file(LINES))
    const big = bigFile(300)
    expect(referenceVerify(file(big)).ok).toBe(true)
    expectSame(file(big), [1, 120, 121, 122, 5000])
  })

  it('on hand-made defects: CRLF, empty lines, no final newline, no trailer, misplaced records, unknown types', () => {
    expectSame(Buffer.from(GOLDEN.replace(/\n/g, '\r\n'), 'latin1'))
    expectSame(file(LINES, ''))
    expectSame(file([...LINES.slice(0, 3), '', ...LINES.slice(3)]))
    expectSame(file(LINES.slice(0, -1)))
    expectSame(file([LINES[0], LINES[8], ...LINES.slice(1, 8), LINES[0], LINES[8]]))
    expectSame(file([LINES[1], 'X', ...LINES.slice(2)]))
    expectSame(file([LINES[0]]))
    expectSame(file([LINES[8]]))
    expectSame(Buffer.alloc(0))
    expectSame(Buffer.from('\n'))
    expectSame(Buffer.from('\n\n\n'))
  })

  it('on records out of order, repeated, and employees out of order (counted again from the start)', () => {
    const big = bigFile(40)
    const swapped = [...big]
    ;[swapped[5], swapped[90]] = [swapped[90], swapped[5]]
    expectSame(file(swapped))
    const repeated = [...big]
    repeated[3] = repeated[2]
    expectSame(file(repeated))
    const restart = [...big]
    ;[restart[1], restart[2]] = [restart[2], restart[1]]
    expectSame(file(restart))
    // Employee ids that only differ in trailing bytes a text field does not allow (the slow path's ids).
    const odd = [...big]
    odd[10] = odd[10].slice(0, 16) + '\t' + odd[10].slice(17)
    expectSame(file(odd))
  })

  it('on lines longer than the verifier keeps (a detail record, a control record, garbage with control bytes)', () => {
    const long = (first: string, n: number, fill = 'A') => first + fill.repeat(n)
    expectSame(file([LINES[0], long(LINES[1], 70_000), ...LINES.slice(2)]), [1000, 65_536, 100_000])
    expectSame(file([...LINES.slice(0, 8), long(LINES[8], 200_000)]), [4096, 65_536, 1 << 20])
    expectSame(file([LINES[0], long('D', 80_000, '\u0001x') + '\r', ...LINES.slice(1)]), [4096, 65_535, 65_537])
    expectSame(file([LINES[0], 'Q' + 'é'.repeat(70_000) + '\r', ...LINES.slice(1)], ''), [4096, 1 << 20])
    expectSame(Buffer.from(long('D123456789E1', 300_000, '9')), [4096, 1 << 20])
  })

  it('on more than 200 problems (the first 199 kept and a count)', () => {
    const lines = [...LINES.slice(0, 8)]
    for (let i = 0; i < 150; i++) lines.push(LINES[1].slice(0, 60) + 'XX' + LINES[1].slice(62), 'H')
    lines.push(LINES[8])
    expectSame(file(lines), [1, 333, 4096])
  })

  it('on 400 seeded random mutations of a file and 50 of random bytes', () => {
    const rand = prng(20)
    const base = file(bigFile(20))
    for (let n = 0; n < 400; n++) {
      const buf = Buffer.from(base)
      const edits = 1 + Math.floor(rand() * 4)
      for (let k = 0; k < edits; k++) {
        const at = Math.floor(rand() * buf.length)
        const choice = rand()
        buf[at] = choice < 0.3 ? 0x20 : choice < 0.5 ? 0x30 + Math.floor(rand() * 10) : choice < 0.6 ? 0x0a : choice < 0.7 ? 0x0d : Math.floor(rand() * 256)
      }
      const cut = rand() < 0.2 ? Math.floor(rand() * buf.length) : buf.length
      expectSame(buf.subarray(0, cut), [1 + Math.floor(rand() * 300)])
    }
    for (let n = 0; n < 50; n++) {
      const buf = Buffer.from(Array.from({length: Math.floor(rand() * 2000)}, () => (rand() < 0.1 ? 0x0a : Math.floor(rand() * 256))))
      expectSame(buf, [1 + Math.floor(rand() * 200)])
    }
  })
})

describe('verifyFile reads an NFC file in fixed-size reads', () => {
  const operator = {name: 'payroll', role: 'payroll'} as unknown as Operator
  it('gives the reference report for a file larger than one read', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'custodian-verify-'))
    try {
      const lines = bigFile(2500) // 10,000 records: more than one 1 MiB read
      const tampered = [...lines]
      tampered[7000] = tampered[7000].slice(0, 62) + '9' + tampered[7000].slice(63)
      for (const [name, content] of [['ok.nfc', file(lines)], ['bad.nfc', file(tampered, '')]] as const) {
        expect(content.length).toBeGreaterThan(1024 * 1024)
        const p = path.join(dir, name)
        fs.writeFileSync(p, content)
        expect(await verifyFile(operator, p)).toEqual({file: p, format: 'nfc', ...referenceVerify(content)})
      }
    } finally {
      fs.rmSync(dir, {recursive: true, force: true})
    }
  })
})
