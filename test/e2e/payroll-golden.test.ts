import fs from 'node:fs'
import path from 'node:path'
import {describe, expect, it} from 'vitest'

import {cli} from '../helpers/cli.js'
import {GENERATED_EMPLOYEES, GENERATED_PP, GOLDEN, certifiedGeneratedPeriod, payrollDigest} from '../helpers/generated-period.js'

/**
 * The payroll export of a generated pay period (test/helpers/generated-period.ts; one card amended after the
 * first export) compared with the sha256 the export had before it streamed. The NFC header's creation stamp
 * (positions 28-41) is the only byte that depends on the clock: it is blanked before hashing.
 */
const PP = GENERATED_PP
const EMPLOYEES = GENERATED_EMPLOYEES

describe('payroll export of a generated pay period (byte-identical to the export before it streamed)', () => {
  it('nfc, then a correction of an amended card', () => {
    const env = certifiedGeneratedPeriod()
    const out = path.join(env.dir, 'pp.nfc')
    const r = cli(env, ['payroll', 'export', ...PP, '--out', out, '--json'])
    expect(r.code).toBe(0)
    expect(r.json.records).toBe(EMPLOYEES * 10)
    expect(payrollDigest(out, true)).toBe(GOLDEN.nfc)
    const again = path.join(env.dir, 'again.nfc')
    expect(cli(env, ['payroll', 'reexport', r.json.batchId, '--out', again]).code).toBe(0)
    expect(fs.readFileSync(again).equals(fs.readFileSync(out))).toBe(true)

    const lines = path.join(env.dir, 'amend.csv')
    fs.writeFileSync(lines, ['work_date,hour_type,hours,accounting_code',
      ...['02', '03', '04', '05', '06', '09', '10', '12', '13'].map((d) => `2026-11-${d},REG,8,HS-030105-A1`), '2026-11-11,HOL,8,HS-030105-A1', ''].join('\n'))
    expect(cli(env, ['timecards', 'amend', 'E0000002', ...PP, '--lines', lines, '--reason', 'one code']).code).toBe(0)
    expect(cli(env, ['timecards', 'validate', ...PP]).code).toBe(0)
    expect(cli(env, ['timecards', 'certify', ...PP, '--json']).json).toMatchObject({certified: 1})
    const fix = path.join(env.dir, 'fix.nfc')
    const c = cli(env, ['payroll', 'export', ...PP, '--out', fix, '--json'])
    expect(c.json).toMatchObject({records: 2, corrections: 1})
    expect(payrollDigest(fix, true)).toBe(GOLDEN.correctionNfc)
  })

  it('csv', () => {
    const env = certifiedGeneratedPeriod()
    const out = path.join(env.dir, 'pp.csv')
    const r = cli(env, ['payroll', 'export', ...PP, '--out', out, '--format', 'csv', '--json'])
    expect(r.code).toBe(0)
    expect(payrollDigest(out, false)).toBe(GOLDEN.csv)
    const again = path.join(env.dir, 'again.csv')
    expect(cli(env, ['payroll', 'reexport', r.json.batchId, '--out', again]).code).toBe(0)
    expect(fs.readFileSync(again).equals(fs.readFileSync(out))).toBe(true)
    expect(fs.readFileSync(`${again}.control.json`, 'utf8')).toBe(fs.readFileSync(`${out}.control.json`, 'utf8'))
  })
})
