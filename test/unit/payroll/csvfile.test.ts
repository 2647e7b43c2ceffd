import {parse} from 'csv-parse/sync'
import {createHash} from 'node:crypto'
import {describe, expect, it} from 'vitest'

import {CSV_COLUMNS, buildCsvFile} from '../../../src/payroll/csvfile.js'
import type {DetailRecord} from '../../../src/payroll/nfc.js'
import {DETAILS as GOLDEN, HEADER} from './batch.js'

// The golden batch, with a part-time schedule of 32.5 h and 7.5 h of sick leave (decimals in the CSV).
const DETAILS: DetailRecord[] = GOLDEN.map((d) => d.employeeId !== 'E1002' ? d : {
  ...d, scheduledHours: 3250, ...(d.hourType === 'SL' ? {hours: 750} : {}),
})

const rowsOf = (content: string): string[][] => parse(content, {bom: false})

describe('buildCsvFile', () => {
  it('has the FORMATS.md columns in order', () => {
    expect([...CSV_COLUMNS]).toEqual([
      'employee_id', 'ssn', 'last_name', 'first_name', 'middle_initial', 'pay_plan', 'grade', 'step', 'tour',
      'scheduled_hours', 'pay_period_start', 'transaction_code', 'hour_type', 'hours', 'accounting_code',
      'correction', 'version',
    ])
    const {content} = buildCsvFile(HEADER, DETAILS)
    expect(content.split('\n')[0]).toBe(CSV_COLUMNS.join(','))
  })

  it('writes one row per detail record, sorted as the NFC file, hours as decimals', () => {
    const {content} = buildCsvFile(HEADER, DETAILS)
    expect(content.endsWith('\n')).toBe(true)
    expect(content).not.toContain('\r')
    expect(rowsOf(content).slice(1)).toEqual([
      ['E1001', '123456789', 'Núñez', 'Zoë', 'Á', 'GS', '07', '3', 'F', '80', '2026-01-11', '01', 'REG', '64', 'ACCT-100', 'O', '1'],
      ['E1001', '123456789', 'Núñez', 'Zoë', 'Á', 'GS', '07', '3', 'F', '80', '2026-01-11', '66', 'ADMIN', '8', 'ACCT-200', 'O', '1'],
      ['E1001', '123456789', 'Núñez', 'Zoë', 'Á', 'GS', '07', '3', 'F', '80', '2026-01-11', '66', 'HOL', '8', 'ACCT-100', 'O', '1'],
      ['E1002', '', 'Smith', 'John', '', 'WG', '05', '2', 'P', '32.5', '2026-01-11', '01', 'REG', '32', 'ACCT-100', 'O', '1'],
      ['E1002', '', 'Smith', 'John', '', 'WG', '05', '2', 'P', '32.5', '2026-01-11', '62', 'SL', '7.5', 'ACCT-100', 'O', '1'],
      ['E1003', '987654321', 'Vandenberghe-Castellanos', 'Maximilian', 'R', 'ES', '', '', 'I', '0', '2026-01-11', '01', 'REG', '12.5', 'ACCT-300', 'C', '2'],
      ['E1003', '987654321', 'Vandenberghe-Castellanos', 'Maximilian', 'R', 'ES', '', '', 'I', '0', '2026-01-11', '21', 'OT', '3.25', 'ACCT-300', 'C', '2'],
    ])
  })

  it('is UTF-8 (names keep their diacritics)', () => {
    const {content} = buildCsvFile(HEADER, DETAILS)
    expect(Buffer.from(content, 'utf8').includes(Buffer.from('Núñez', 'utf8'))).toBe(true)
  })

  it('neutralises formula cells with a leading apostrophe and quotes per RFC 4180', () => {
    const evil: DetailRecord = {
      ...DETAILS[1], employeeId: 'E2000', lastName: '=HYPERLINK("http://x","y")', firstName: '-Ann', middleName: null,
    }
    const odd: DetailRecord = {...DETAILS[1], employeeId: 'E2001', lastName: '+Plus', firstName: '@At', middleName: 'Smith, "Jr"'}
    const quoted: DetailRecord = {...DETAILS[1], employeeId: 'E2002', lastName: 'Smith, "Jr"', firstName: 'Ann-Marie', middleName: null}
    const {content} = buildCsvFile(HEADER, [evil, odd, quoted])
    const rows = rowsOf(content)
    expect(rows[1].slice(2, 4)).toEqual(['\'=HYPERLINK("http://x","y")', "'-Ann"])
    expect(rows[2].slice(2, 5)).toEqual(["'+Plus", "'@At", 'S'])
    expect(rows[3].slice(2, 4)).toEqual(['Smith, "Jr"', 'Ann-Marie'])
    expect(content).toContain(`"'=HYPERLINK(""http://x"",""y"")",'-Ann,`)
    expect(content).toContain('"Smith, ""Jr""",Ann-Marie,')
    // No cell of the file starts with a formula character.
    for (const row of rows) for (const cell of row) expect(cell).not.toMatch(/^[=+\-@\t\r]/)
  })

  it('writes the control sidecar values', () => {
    const {content, control} = buildCsvFile(HEADER, DETAILS)
    expect(control).toEqual({
      batchId: 'B000000001',
      payPeriod: '2026-01-11',
      records: 7,
      employees: 3,
      totalHours: 135.25, // 64 + 8 + 8 + 32 + 7.5 + 12.5 + 3.25
      hashTotal: 2345679009, // 3 × 123456789 + 2 × 987654321
      sha256: createHash('sha256').update(Buffer.from(content, 'utf8')).digest('hex'),
    })
  })

  it('an empty batch is a header row only', () => {
    const {content, control} = buildCsvFile(HEADER, [])
    expect(content).toBe(`${CSV_COLUMNS.join(',')}\n`)
    expect(control).toMatchObject({records: 0, employees: 0, totalHours: 0, hashTotal: 0})
  })
})
