import {createHash} from 'node:crypto'
import {describe, expect, it} from 'vitest'

import {buildCsvFile} from '../../../src/payroll/csvfile.js'
import {buildNfcFile} from '../../../src/payroll/nfc.js'
import {type VerifyReport, verifyNfc} from '../../../src/payroll/verify.js'
import {DETAILS, HEADER} from './batch.js'
import {prng} from '../../helpers/prng.js'

const GOLDEN_SHA256 = 'f18a29f146581c9bd255c9333f3c7e37f4e3ce8219d9e0c9a05f870d95342c29'

const GOLDEN = buildNfcFile(HEADER, DETAILS).content
/** Lines 1..9: H, E1001 REG, E1001 ADMIN, E1001 HOL, E1002 REG, E1002 SL, E1003 REG, E1003 OT, T. */
const LINES = GOLDEN.split('\n').slice(0, -1)
const file = (lines: string[]) => Buffer.from(lines.map((l) => `${l}\n`).join(''), 'latin1')
/** Replaces positions from..to (1-based, inclusive) of a record. */
const put = (line: string, from: number, value: string) => line.slice(0, from - 1) + value + line.slice(from - 1 + value.length)
const lineNumbers = (r: VerifyReport) => [...new Set(r.problems.map((p) => p.line))]
const messages = (r: VerifyReport, line: number) => r.problems.filter((p) => p.line === line).map((p) => p.message).join('\n')

const randomBytes = (rand: () => number, n: number) => Buffer.from(Array.from({length: n}, () => Math.floor(rand() * 256)))

function assertShape(r: VerifyReport): void {
  expect(typeof r.ok).toBe('boolean')
  expect(r.ok).toBe(r.problems.length === 0)
  expect(r.problems.length).toBeLessThanOrEqual(200)
  for (const p of r.problems) {
    expect(Number.isInteger(p.line) && p.line >= 1).toBe(true)
    expect(p.message.length).toBeGreaterThan(10)
  }
}

describe('verifyNfc on the golden file', () => {
  it('is the golden file of nfc.test.ts', () => {
    expect(createHash('sha256').update(GOLDEN).digest('hex')).toBe(GOLDEN_SHA256)
    expect(LINES).toHaveLength(9)
  })

  it('verifies ok and recomputes the controls', () => {
    expect(verifyNfc(Buffer.from(GOLDEN, 'latin1'))).toEqual({ok: true, records: 7, totalHours: 135.75, hashTotal: 2345679009, problems: []})
  })
})

describe('verifyNfc catches tampering', () => {
  it('one digit changed in hours', () => {
    const lines = [...LINES]
    lines[4] = put(lines[4], 62, '003300') // E1002 REG 32.00 → 33.00
    const r = verifyNfc(file(lines))
    expect(r.ok).toBe(false)
    expect(lineNumbers(r)).toEqual([9])
    expect(messages(r, 9)).toMatch(/total hours, 135\.75, do not match the detail records, which add up to 136\.75/)
    expect(messages(r, 9)).toMatch(/SHA-256 digest does not match/)
    expect(r.totalHours).toBe(136.75)
  })

  it('one record removed', () => {
    const lines = LINES.filter((_, i) => i !== 2) // E1001 ADMIN
    const r = verifyNfc(file(lines))
    expect(lineNumbers(r)).toEqual([8])
    const m = messages(r, 8)
    expect(m).toMatch(/says 7 detail records, but the file has 6/)
    expect(m).toMatch(/total hours/)
    expect(m).toMatch(/hash total, 2345679009, does not match .* 2222222220/)
    expect(m).toMatch(/digest/)
    expect(r.records).toBe(6)
  })

  it('two records swapped', () => {
    const lines = [...LINES]
    ;[lines[3], lines[4]] = [lines[4], lines[3]] // E1002 REG now before E1001 HOL
    const r = verifyNfc(file(lines))
    expect(lineNumbers(r)).toEqual([5, 9])
    expect(messages(r, 5)).toMatch(/out of order after line 4 \(employee E1002/)
    expect(messages(r, 9)).toMatch(/digest/)
  })

  it('two records of one transaction code swapped are caught by the digest', () => {
    const lines = [...LINES]
    ;[lines[2], lines[3]] = [lines[3], lines[2]] // ADMIN/HOL (both TC 66): order alone cannot tell
    const r = verifyNfc(file(lines))
    expect(lineNumbers(r)).toEqual([9])
    expect(messages(r, 9)).toMatch(/digest/)
  })

  it('trailer edited', () => {
    const lines = [...LINES]
    lines[8] = put(lines[8], 9, '000004')
    let r = verifyNfc(file(lines))
    expect(r.problems).toEqual([{line: 9, message: 'The control record says 4 employees, but the detail records name 3 distinct employee ids.'}])

    lines[8] = put(LINES[8], 41, 'f'.repeat(8))
    r = verifyNfc(file(lines))
    expect(lineNumbers(r)).toEqual([9])
    expect(messages(r, 9)).toMatch(/digest does not match the detail records \(computed 0a4793506627/)

    lines[8] = put(LINES[8], 26, '00000234567900X')
    r = verifyNfc(file(lines))
    expect(r.problems).toEqual([{line: 9, message: 'Hash total (positions 26–40) is "00000234567900X"; expected 15 digits.'}])
  })

  it('a line one character short', () => {
    const lines = [...LINES]
    lines[5] = lines[5].slice(0, 119)
    const r = verifyNfc(file(lines))
    expect(lineNumbers(r)).toEqual([6, 9])
    expect(messages(r, 6)).toBe('The record is 119 characters long (1 too short); every record must be exactly 120 characters.')
    expect(messages(r, 9)).toMatch(/digest/)
  })

  it('a CRLF file', () => {
    const r = verifyNfc(Buffer.from(GOLDEN.replaceAll('\n', '\r\n'), 'latin1'))
    expect(r.ok).toBe(false)
    expect(lineNumbers(r)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9])
    for (let line = 1; line <= 9; line++) expect(messages(r, line)).toMatch(/carriage return \(CRLF line ending\)/)
    expect(r.records).toBe(7)
  })

  it('an empty file', () => {
    expect(verifyNfc(Buffer.alloc(0))).toEqual({
      ok: false, records: 0, totalHours: 0, hashTotal: 0,
      problems: [{line: 1, message: 'The file is empty; an interchange file holds a header record, detail records and a control record.'}],
    })
  })

  it('random bytes', () => {
    const r = verifyNfc(randomBytes(prng(7), 4096))
    assertShape(r)
    expect(r.ok).toBe(false)
    expect(r.problems[0].line).toBe(1)
  })

  it('a CSV file', () => {
    const r = verifyNfc(Buffer.from(buildCsvFile(HEADER, DETAILS).content, 'utf8'))
    expect(r.ok).toBe(false)
    const m = messages(r, 1)
    expect(m).toMatch(/must start with a header record \(H\), but line 1 is a record of unknown type "e"/)
    expect(m).toMatch(/characters long/)
    expect(r.records).toBe(0)
  })

  it('a file with no trailer', () => {
    const r = verifyNfc(file(LINES.slice(0, 8)))
    expect(lineNumbers(r)).toEqual([8])
    expect(messages(r, 8)).toMatch(/The last line is a detail record \(D\); the file must end with a control record \(T\)/)
    expect(messages(r, 8)).toMatch(/no control record \(T\), so the record count.*cannot be checked/)
    expect(r.records).toBe(7)
  })

  it('a missing final newline', () => {
    const r = verifyNfc(Buffer.from(GOLDEN.slice(0, -1), 'latin1'))
    expect(r.problems).toEqual([{line: 9, message: 'The file does not end with a newline; the last record, like every other, must be followed by \\n.'}])
  })

  it('NUL bytes and non-ASCII', () => {
    const lines = [...LINES]
    lines[2] = put(lines[2], 100, '\u0000')
    let r = verifyNfc(file(lines))
    expect(messages(r, 3)).toMatch(/Position 100 holds the control character 0x00/)

    const utf8 = Buffer.from(GOLDEN.replace('NUNEZ,ZOE A', 'NÚÑEZ,ZOË A'), 'utf8') // line 2: 3 letters of 2 bytes each
    r = verifyNfc(utf8)
    expect(messages(r, 2)).toMatch(/Position 24 holds the non-ASCII byte 0xC3 \(6 bytes on this line are not printable ASCII\)/)
    expect(messages(r, 2)).toMatch(/123 characters long \(3 too long\)/)
  })

  it('a second header, a control record in the middle, an unknown record type', () => {
    const r = verifyNfc(file([LINES[0], LINES[1], LINES[0], LINES[8], 'X'.padEnd(120), ...LINES.slice(2)]))
    expect(messages(r, 3)).toMatch(/A header record \(H\) after line 1/)
    expect(messages(r, 4)).toMatch(/control record \(T\) before the end of the file/)
    expect(messages(r, 5)).toMatch(/unknown type "X"; every line between the header and the control record must be a detail record/)
  })

  it('field formats', () => {
    const lines = [...LINES]
    lines[0] = put(put(put(lines[0], 14, '20260230'), 22, '202628'), 42, '002')
    lines[1] = put(put(put(put(lines[1], 55, 'X'), 60, '99'), 88, 'Z'), 53, '3 ')
    lines[2] = put(put(lines[2], 2, '12345678A'), 89, '00')
    lines[3] = put(put(put(lines[3], 11, 'e1001'), 100, 'junk'), 23, 'Núñez')
    const r = verifyNfc(file(lines))
    expect(messages(r, 1)).toMatch(/Pay period start \(positions 14–21\) is "20260230"; expected a real date/)
    expect(messages(r, 1)).toMatch(/Pay period number .* "202628"/)
    expect(messages(r, 1)).toMatch(/Format version \(positions 42–44\) is "002"/)
    expect(messages(r, 2)).toMatch(/Tour \(position 55\) is "X"; expected F \(full-time\), P \(part-time\) or I/)
    expect(messages(r, 2)).toMatch(/Transaction code 99 \(positions 60–61\) is not in the hour-type table/)
    expect(messages(r, 2)).toMatch(/Correction flag \(position 88\) is "Z"; expected O \(original\) or C \(correction\)/)
    expect(messages(r, 2)).toMatch(/Step \(positions 53–54\) is "3 "/)
    expect(messages(r, 3)).toMatch(/SSN \(positions 2–10\) is neither 9 digits nor 9 spaces/)
    expect(messages(r, 3)).toMatch(/Card version \(positions 89–90\) is 00/)
    expect(messages(r, 4)).toMatch(/Employee id \(positions 11–22\) is "e1001       "; text fields hold only upper-case/)
    expect(messages(r, 4)).toMatch(/Filler \(positions 91–120\) must be spaces but holds "junk"/)
    expect(messages(r, 4)).toMatch(/Name \(positions 23–48\) contains other characters; text fields hold only upper-case/)
    lines[3] = put(LINES[3], 49, ' G')
    expect(messages(verifyNfc(file(lines)), 4)).toBe('Pay plan (positions 49–50) starts with a space; text fields are left-justified.')
    // Neither the SSN nor the name is echoed.
    expect(r.problems.map((p) => p.message).join('\n')).not.toMatch(/12345678|Núñez|NUNEZ/)
  })

  it('caps the problems at 200 and says how many more', () => {
    const r = verifyNfc(Buffer.from('X\n'.repeat(1000)))
    expect(r.problems).toHaveLength(200)
    expect(r.problems[199].message).toMatch(/^…and \d+ more problems/)
    const more = Number(/and (\d+) more/.exec(r.problems[199].message)![1])
    expect(more).toBeGreaterThan(1000)
  })
})

describe('verifyNfc never throws', () => {
  it.each([
    ['empty', Buffer.alloc(0)],
    ['a newline', Buffer.from('\n')],
    ['blank lines', Buffer.from('\n\n\n')],
    ['NUL bytes', Buffer.alloc(1000)],
    ['one H', Buffer.from('H')],
    ['one T', Buffer.from('T'.padEnd(120) + '\n')],
    ['one D', Buffer.from('D')],
    ['a lone CR', Buffer.from('\r')],
    ['UTF-16', Buffer.from(GOLDEN, 'utf16le')],
    ['1 MB of garbage', randomBytes(prng(42), 1 << 20)],
    ['1 MB without a newline', Buffer.alloc(1 << 20, 0x41)],
  ])('%s', (_, buf) => {
    const r = verifyNfc(buf)
    assertShape(r)
    expect(r.ok).toBe(false)
  })

  it('non-Buffer input', () => {
    for (const v of [undefined, null, 42, 'text', GOLDEN, new Uint8Array([72, 10]), {}]) {
      assertShape(verifyNfc(v as unknown as Buffer))
    }
    expect(verifyNfc(GOLDEN as unknown as Buffer).ok).toBe(true)
  })

  it('the golden file truncated at every position', () => {
    const golden = Buffer.from(GOLDEN, 'latin1')
    for (let n = 0; n < golden.length; n++) {
      const r = verifyNfc(golden.subarray(0, n))
      assertShape(r)
      expect(r.ok).toBe(false)
    }
  })

  it('500 seeded random mutations of the golden file', () => {
    const rand = prng(20260126)
    const int = (n: number) => Math.floor(rand() * n)
    const golden = Buffer.from(GOLDEN, 'latin1')
    // Byte mutations start after the header's content: the header carries no digest, so a change to, say, the
    // batch id that keeps a valid format cannot be detected and is not a verify failure.
    const from = 120
    let unchanged = 0
    for (let i = 0; i < 500; i++) {
      let buf = Buffer.from(golden)
      const steps = 1 + int(3)
      for (let s = 0; s < steps; s++) {
        const lines = buf.toString('latin1').split('\n')
        const at = from + int(Math.max(1, buf.length - from))
        switch (int(8)) {
          case 0: // overwrite a byte with any value
            if (at < buf.length) buf[at] = int(256)
            break
          case 1: // overwrite a byte with a digit
            if (at < buf.length) buf[at] = 0x30 + int(10)
            break
          case 2: // delete a byte
            buf = Buffer.concat([buf.subarray(0, at), buf.subarray(at + 1)])
            break
          case 3: // insert a byte
            buf = Buffer.concat([buf.subarray(0, at), Buffer.from([int(256)]), buf.subarray(at)])
            break
          case 4: // delete a line
            lines.splice(int(lines.length), 1)
            buf = Buffer.from(lines.join('\n'), 'latin1')
            break
          case 5: // duplicate a line
            {
              const k = int(lines.length)
              lines.splice(k, 0, lines[k])
              buf = Buffer.from(lines.join('\n'), 'latin1')
            }
            break
          case 6: // swap two lines
            {
              const a = int(lines.length)
              const b = int(lines.length)
              ;[lines[a], lines[b]] = [lines[b], lines[a]]
              buf = Buffer.from(lines.join('\n'), 'latin1')
            }
            break
          default: // truncate
            buf = buf.subarray(0, at)
        }
      }
      let r: VerifyReport | undefined
      expect(() => {
        r = verifyNfc(buf)
      }).not.toThrow()
      assertShape(r!)
      if (buf.equals(golden)) {
        unchanged++
        expect(r!.ok).toBe(true)
      } else {
        expect(r!.ok, `mutation ${i} went unnoticed`).toBe(false)
      }
    }
    expect(unchanged).toBeLessThan(50)
  })
})
