import {createHash} from 'node:crypto'
import {describe, expect, it} from 'vitest'

import {
  type DetailRecord,
  RECORD_LENGTH,
  buildNfcFile,
  computeControls,
  formatDetail,
  formatHeader,
  formatTrailer,
  nfcNumber,
  nfcText,
  sortDetails,
} from '../../../src/payroll/nfc.js'
import {prng} from '../../helpers/prng.js'
import {DETAILS, HEADER, smith} from './batch.js'

const sha256 = (s: string) => createHash('sha256').update(s, 'latin1').digest('hex')

// ---- The golden file, written field by field from FORMATS.md. ----
const FILLER_30 = ''.padEnd(30)

const H =
  'H' + //                      1      record type
  'AG' + //                     2–3    agency code
  'B000000001' + //             4–13   batch id
  '20260111' + //               14–21  pay period start
  '202601' + //                 22–27  pay period number
  '20260126140509' + //         28–41  created, UTC
  '001' + //                    42–44  format version
  ''.padEnd(76) //              45–120

// E1001 Núñez, Zoë Ángela: REG, then TC 66 twice — ADMIN before HOL (hour type order beats accounting code).
const D1 = 'D' + '123456789' + 'E1001'.padEnd(12) + 'NUNEZ,ZOE A'.padEnd(26) + 'GS' + '07' + '03' + 'F' + '0080' + '01' + '006400' + 'ACCT-100'.padEnd(20) + 'O' + '01' + FILLER_30
const D2 = 'D' + '123456789' + 'E1001'.padEnd(12) + 'NUNEZ,ZOE A'.padEnd(26) + 'GS' + '07' + '03' + 'F' + '0080' + '66' + '000800' + 'ACCT-200'.padEnd(20) + 'O' + '01' + FILLER_30
const D3 = 'D' + '123456789' + 'E1001'.padEnd(12) + 'NUNEZ,ZOE A'.padEnd(26) + 'GS' + '07' + '03' + 'F' + '0080' + '66' + '000800' + 'ACCT-100'.padEnd(20) + 'O' + '01' + FILLER_30
// E1002 Smith, John (no SSN, no middle name), part-time.
const D4 = 'D' + '         ' + 'E1002'.padEnd(12) + 'SMITH,JOHN'.padEnd(26) + 'WG' + '05' + '02' + 'P' + '0040' + '01' + '003200' + 'ACCT-100'.padEnd(20) + 'O' + '01' + FILLER_30
const D5 = 'D' + '         ' + 'E1002'.padEnd(12) + 'SMITH,JOHN'.padEnd(26) + 'WG' + '05' + '02' + 'P' + '0040' + '62' + '000800' + 'ACCT-100'.padEnd(20) + 'O' + '01' + FILLER_30
// E1003: name truncated at 26 (the middle initial is lost), no grade or step, intermittent, correction version 2.
const D6 = 'D' + '987654321' + 'E1003'.padEnd(12) + 'VANDENBERGHE-CASTELLANOS,M' + 'ES' + '  ' + '  ' + 'I' + '0000' + '01' + '001250' + 'ACCT-300'.padEnd(20) + 'C' + '02' + FILLER_30
const D7 = 'D' + '987654321' + 'E1003'.padEnd(12) + 'VANDENBERGHE-CASTELLANOS,M' + 'ES' + '  ' + '  ' + 'I' + '0000' + '21' + '000325' + 'ACCT-300'.padEnd(20) + 'C' + '02' + FILLER_30

const DETAIL_LINES = [D1, D2, D3, D4, D5, D6, D7]
// sha256 of D1..D7, each followed by \n (checked against node:crypto below).
const DIGEST = '0a4793506627a7f5e8124ff93df3f1e383188c605071dcb8220dc1df0ee59623'

const T =
  'T' + //                      1
  '0000007' + //                2–8    detail records
  '000003' + //                 9–14   employees
  '00000013575' + //            15–25  hours: 64+8+8+32+8+12.50+3.25 = 135.75
  '000002345679009' + //        26–40  3 × 123456789 + 0 + 0 + 2 × 987654321
  DIGEST + //                   41–104
  ''.padEnd(16) //              105–120

const GOLDEN = [H, ...DETAIL_LINES, T].map((l) => `${l}\n`).join('')
/** sha256 of the whole golden file; verify.test.ts builds the same file and checks this value. */
const GOLDEN_SHA256 = 'f18a29f146581c9bd255c9333f3c7e37f4e3ce8219d9e0c9a05f870d95342c29'

describe('golden batch', () => {
  it('has hand-written lines of exactly 120 characters', () => {
    for (const l of [H, ...DETAIL_LINES, T]) expect(l).toHaveLength(RECORD_LENGTH)
    expect(sha256(DETAIL_LINES.map((l) => `${l}\n`).join(''))).toBe(DIGEST)
    expect(sha256(GOLDEN)).toBe(GOLDEN_SHA256)
  })

  it('buildNfcFile writes it byte for byte', () => {
    const {content, controls} = buildNfcFile(HEADER, DETAILS)
    expect(content.split('\n')).toEqual([H, ...DETAIL_LINES, T, ''])
    expect(content).toBe(GOLDEN)
    expect(controls).toEqual({records: 7, employees: 3, totalHours: 13575, hashTotal: 2345679009, digest: DIGEST})
  })

  it('formats each record on its own', () => {
    expect(formatHeader(HEADER)).toBe(H)
    expect(sortDetails(DETAILS).map(formatDetail)).toEqual(DETAIL_LINES)
    expect(formatTrailer({records: 7, employees: 3, totalHours: 13575, hashTotal: 2345679009, digest: DIGEST})).toBe(T)
  })

  it('is reproducible from the same inputs in any order', () => {
    expect(buildNfcFile(HEADER, [...DETAILS].reverse()).content).toBe(GOLDEN)
  })
})

describe('nfcText', () => {
  it.each([
    ['Zoë', 5, 'ZOE  '],
    ['Núñez', 5, 'NUNEZ'],
    ['Zoe\u0308', 3, 'ZOE'], // already decomposed
    ['Ångström', 8, 'ANGSTROM'],
    ["O'Brien", 8, "O'BRIEN "],
    ['St. John-Smith, Jr', 18, 'ST. JOHN-SMITH, JR'],
    ['a_b@c#d', 7, 'A B C D'],
    ['tab\there', 8, 'TAB HERE'],
    ['line\nbreak', 10, 'LINE BREAK'],
    ['O’Brien', 7, 'O BRIEN'], // typographic apostrophe is outside the allowed set
    ['a😀b', 4, 'A B '], // one code point, one space
    ['straße', 7, 'STRASSE'],
    ['Łukasz', 6, 'UKASZ '], // Ł has no decomposition: replaced, then the field is left-justified
    ['  padded  ', 8, 'PADDED  '],
    ['ABCDEFG', 3, 'ABC'],
    ['', 4, '    '],
    ['   ', 2, '  '],
    ['anything', 0, ''],
  ])('%j in %i → %j', (value, length, expected) => {
    expect(nfcText(value, length)).toBe(expected)
  })

  it('always returns exactly `length` ASCII characters', () => {
    for (const v of ['', 'x', 'Ünïcödé ñame', '\u0000\u0001', '\uD800', 'x'.repeat(300), '中文名字']) {
      const out = nfcText(v, 26)
      expect(out).toHaveLength(26)
      expect(out).toMatch(/^[A-Z0-9 ,\-.']*$/)
    }
  })

  it('gives what the FORMATS.md rule gives, for values already clean and values that are not (seeded)', () => {
    // The rule written out in full, without the shortcuts nfc.ts takes for values it leaves as they are.
    const rule = (v: string, n: number) => v.normalize('NFD').replace(/\p{M}/gu, '').toUpperCase().normalize('NFD').replace(/\p{M}/gu, '')
      .replace(/[^A-Z0-9 ,\-.']/gu, ' ').trim().slice(0, n).padEnd(n, ' ')
    const alphabet = ['A', 'Z', '0', '9', ' ', ',', '-', '.', "'", 'a', 'z', 'é', '_', '\t', 'ß']
    const random = prng(20)
    for (let i = 0; i < 2000; i++) {
      const value = Array.from({length: Math.floor(random() * 8)}, () => alphabet[Math.floor(random() * (i % 2 === 0 ? 9 : alphabet.length))]).join('')
      expect(nfcText(value, 6), JSON.stringify(value)).toBe(rule(value, 6))
    }
  })

  it('rejects a bad length', () => {
    expect(() => nfcText('x', -1)).toThrow(RangeError)
    expect(() => nfcText('x', 1.5)).toThrow(RangeError)
  })
})

describe('nfcNumber', () => {
  it.each([
    [0, 3, '000'],
    [5, 2, '05'],
    [99, 2, '99'],
    [123, 3, '123'],
    [13575, 11, '00000013575'],
  ])('%i in %i → %j', (value, length, expected) => {
    expect(nfcNumber(value, length)).toBe(expected)
  })

  it.each([
    [100, 2],
    [-1, 3],
    [1.5, 3],
    [Number.NaN, 3],
    [Number.POSITIVE_INFINITY, 20],
    [1, 0],
    [2 ** 53, 20],
  ])('throws RangeError for %d in %i', (value, length) => {
    expect(() => nfcNumber(value, length)).toThrow(RangeError)
  })
})

describe('sortDetails', () => {
  const rec = (employeeId: string, transactionCode: string, hourType: string, accountingCode: string, version = 1): DetailRecord => ({
    ...smith, employeeId, transactionCode, hourType, accountingCode, version, hours: 100,
  })
  const key = (d: DetailRecord) => `${d.employeeId}/${d.transactionCode}/${d.hourType}/${d.accountingCode}/${d.version}`

  it('orders by employee_id, transaction code, hour type, accounting code', () => {
    const input = [
      rec('E9', '01', 'REG', 'A'),
      rec('E10', '61', 'AL', 'A'), // TC 61 after TC 21 although AL < OT
      rec('E10', '21', 'OT', 'B'),
      rec('E10', '21', 'OT', 'A'),
      rec('E10', '66', 'HOL', 'A'),
      rec('E10', '66', 'ADMIN', 'Z'), // ADMIN before HOL although Z > A
      rec('E10', '01', 'REG', 'A', 2),
      rec('E10', '01', 'REG', 'A', 1),
    ]
    expect(sortDetails(input).map(key)).toEqual([
      'E10/01/REG/A/1',
      'E10/01/REG/A/2',
      'E10/21/OT/A/1',
      'E10/21/OT/B/1',
      'E10/61/AL/A/1',
      'E10/66/ADMIN/Z/1',
      'E10/66/HOL/A/1',
      'E9/01/REG/A/1', // code-unit order: 'E10' < 'E9'
    ])
  })

  it('does not modify its input', () => {
    const input = [rec('B', '01', 'REG', 'A'), rec('A', '01', 'REG', 'A')]
    sortDetails(input)
    expect(input.map((d) => d.employeeId)).toEqual(['B', 'A'])
  })
})

describe('formatDetail', () => {
  const base: DetailRecord = {...smith, transactionCode: '01', hourType: 'REG', hours: 800, accountingCode: 'ACCT-1'}
  const name = (d: Partial<DetailRecord>) => formatDetail({...base, ...d}).slice(22, 48)

  it('writes the name as LAST,FIRST M with the middle initial only', () => {
    expect(name({lastName: 'de la Cruz', firstName: 'Ana María', middleName: 'Lucía'})).toBe('DE LA CRUZ,ANA MARIA L'.padEnd(26))
    expect(name({middleName: null})).toBe('SMITH,JOHN'.padEnd(26))
    expect(name({middleName: ''})).toBe('SMITH,JOHN'.padEnd(26))
    expect(name({middleName: 'Éric'})).toBe('SMITH,JOHN E'.padEnd(26))
  })

  it('rounds fractional part-time scheduled hours to whole hours', () => {
    expect(formatDetail({...base, scheduledHours: 3250}).slice(55, 59)).toBe('0033')
    expect(formatDetail({...base, scheduledHours: 3225}).slice(55, 59)).toBe('0032')
  })

  it('refuses values that do not fit the layout', () => {
    expect(() => formatDetail({...base, ssn: '12345678'})).toThrow(RangeError)
    expect(() => formatDetail({...base, ssn: '123-45-6789'})).toThrow(RangeError)
    expect(() => formatDetail({...base, transactionCode: '1'})).toThrow(RangeError)
    expect(() => formatDetail({...base, hours: 1_000_000})).toThrow(RangeError)
    expect(() => formatDetail({...base, hours: -100})).toThrow(RangeError)
    expect(() => formatDetail({...base, version: 100})).toThrow(RangeError)
    expect(() => formatDetail({...base, employeeId: 'E123456789012'})).toThrow(RangeError)
    expect(() => formatDetail({...base, accountingCode: 'A'.repeat(21)})).toThrow(RangeError)
    expect(() => formatDetail({...base, tour: 'XX' as DetailRecord['tour']})).toThrow(RangeError)
  })
})

describe('formatHeader', () => {
  it('writes the creation time in UTC', () => {
    expect(formatHeader({...HEADER, createdAt: '2026-01-26T09:05:09-05:00'}).slice(27, 41)).toBe('20260126140509')
  })

  it.each([
    {payPeriodStart: '2026-02-30'},
    {payPeriodStart: '20260111'},
    {payPeriodNumber: '202601'},
    {createdAt: 'yesterday'},
    {createdAt: '2026-01-26'},
    {agencyCode: 'AGX'},
    {batchId: ''},
  ])('rejects %j', (bad) => {
    expect(() => formatHeader({...HEADER, ...bad})).toThrow(RangeError)
  })
})

describe('controls', () => {
  it('digest is the sha256 of the detail lines with their newlines', () => {
    const c = computeControls(DETAIL_LINES, sortDetails(DETAILS))
    expect(c.digest).toBe(createHash('sha256').update(DETAIL_LINES.join('\n') + '\n').digest('hex'))
    expect(computeControls([], []).digest).toBe(sha256(''))
  })

  it('hash total keeps the rightmost 15 digits of the SSN sum', () => {
    const one: DetailRecord = {...DETAILS[0], ssn: '999999999'}
    const many = new Array<DetailRecord>(1_000_001).fill(one)
    // 999999999 × 1000001 = 1 000000 998999999 (16 digits) → 000000998999999
    const c = computeControls([], many)
    expect(c.hashTotal).toBe(998_999_999)
    expect(c.records).toBe(1_000_001)
    expect(c.employees).toBe(1)
    expect(formatTrailer(c).slice(25, 40)).toBe('000000998999999')
  })

  it('trailer refuses totals that overflow their fields', () => {
    const c = computeControls([], [])
    expect(() => formatTrailer({...c, records: 10_000_000})).toThrow(RangeError)
    expect(() => formatTrailer({...c, digest: 'XYZ'})).toThrow(RangeError)
  })
})
