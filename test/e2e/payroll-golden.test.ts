import {spawnSync} from 'node:child_process'
import {createHash} from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import {describe, expect, it} from 'vitest'

import {ROOT, cli, freshStore} from '../helpers/cli.js'

/**
 * The payroll export of a generated pay period (bench/generate.mjs, seed 7: 300 full-time employees, each
 * card over 10 accounting codes, one card amended after the first export) compared with the sha256 the
 * export had before it streamed (computed on main, commit 31f5664). The NFC header's creation stamp
 * (positions 28-41) is the only byte that depends on the clock: it is blanked before hashing.
 */
const GOLDEN = {
  nfc: '96a5c4e48cd047d5f38af8233d43233b04614eceeb1eb3701ee53bdc5c7085f0',
  csv: 'e17989729ec9d70bd8c4045aa64a4fc465f176cadb6dde84f2a6b9953b9ad7be',
  correctionNfc: 'ba6212121d3fac8888bbf9f196dc717a8ebb2e73550c3cc494bda3d8b03da3e5',
}
const PP = ['--pay-period', '2026-11-01']
const EMPLOYEES = 300

const generate = (args: string[]) => {
  const r = spawnSync(process.execPath, [path.join(ROOT, 'bench', 'generate.mjs'), ...args], {encoding: 'utf8'})
  if (r.status !== 0) throw new Error(`generate ${args.join(' ')}: ${r.stderr}`)
}

/** sha256 of the file, the NFC header's creation stamp blanked. */
function digest(file: string, nfc: boolean): string {
  const bytes = fs.readFileSync(file)
  if (nfc) bytes.fill(0x30, 27, 41)
  return createHash('sha256').update(bytes).digest('hex')
}

function certifiedPeriod() {
  const env = freshStore()
  const people = path.join(env.dir, 'people.csv')
  const period = path.join(env.dir, 'period.csv')
  generate(['personnel', String(EMPLOYEES), people, '--seed', '7', '--tour', 'FT', '--min-leave', '80'])
  generate(['timesheet-period', String(EMPLOYEES), '2026-11-01', period, '--seed', '7', '--accounts-per-card', '10'])
  expect(cli(env, ['personnel', 'import', people, '--json']).json).toMatchObject({inserted: EMPLOYEES, rejected: 0})
  expect(cli(env, ['timesheets', 'import', period, '--json']).json).toMatchObject({rejected: 0})
  expect(cli(env, ['timecards', 'validate', ...PP]).code).toBe(0)
  expect(cli(env, ['timecards', 'certify', ...PP, '--json']).json).toMatchObject({certified: EMPLOYEES})
  return env
}

describe('payroll export of a generated pay period (byte-identical to the export before it streamed)', () => {
  it('nfc, then a correction of an amended card', () => {
    const env = certifiedPeriod()
    const out = path.join(env.dir, 'pp.nfc')
    const r = cli(env, ['payroll', 'export', ...PP, '--out', out, '--json'])
    expect(r.code).toBe(0)
    expect(r.json.records).toBe(EMPLOYEES * 10)
    expect(digest(out, true)).toBe(GOLDEN.nfc)
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
    expect(digest(fix, true)).toBe(GOLDEN.correctionNfc)
  })

  it('csv', () => {
    const env = certifiedPeriod()
    const out = path.join(env.dir, 'pp.csv')
    const r = cli(env, ['payroll', 'export', ...PP, '--out', out, '--format', 'csv', '--json'])
    expect(r.code).toBe(0)
    expect(digest(out, false)).toBe(GOLDEN.csv)
    const again = path.join(env.dir, 'again.csv')
    expect(cli(env, ['payroll', 'reexport', r.json.batchId, '--out', again]).code).toBe(0)
    expect(fs.readFileSync(again).equals(fs.readFileSync(out))).toBe(true)
    expect(fs.readFileSync(`${again}.control.json`, 'utf8')).toBe(fs.readFileSync(`${out}.control.json`, 'utf8'))
  })
})
