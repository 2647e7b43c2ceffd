import {createHash} from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import {beforeEach, describe, expect, it} from 'vitest'

import {addOperator, cli, fixtureCycle, FIXTURES, freshStore, storeRows} from '../helpers/cli.js'

const PP = ['--pay-period', '2026-11-01']
type Store = ReturnType<typeof freshStore>

/** A store with the fixture cycle done up to certification of pay period 2026-11-01. */
function certifiedStore(): Store {
  const env = freshStore()
  fixtureCycle(env, 'certified')
  return env
}

const pay = (env: Store, args: string[]) => cli({...env, operator: 'pay'}, [...args, '--json'])
const sha = (file: string) => createHash('sha256').update(fs.readFileSync(file)).digest('hex')

describe('payroll export', () => {
  let env: Store
  beforeEach(() => {
    env = certifiedStore()
  })

  it('exports every certified card once, 0600, with controls that verify; a second export has nothing to do (5)', () => {
    const out = path.join(env.dir, 'pp.nfc')
    const r = pay(env, ['payroll', 'export', ...PP, '--out', out])
    expect(r.code).toBe(0)
    expect(r.json).toMatchObject({batchId: 'B000000001', file: out, records: 13, employees: 6, totalHours: 381.5, corrections: 0})
    expect(r.json.sha256).toBe(sha(out))
    expect(fs.statSync(out).mode & 0o777).toBe(0o600)
    const lines = fs.readFileSync(out, 'utf8').split('\n')
    expect(lines.at(-1)).toBe('')
    expect(lines.slice(0, -1).every((l) => l.length === 120)).toBe(true)
    const v = pay(env, ['payroll', 'verify', out])
    expect(v.json).toMatchObject({ok: true, records: 13, totalHours: 381.5, hashTotal: r.json.hashTotal, problems: []})
    const again = pay(env, ['payroll', 'export', ...PP, '--out', path.join(env.dir, 'again.nfc')])
    expect(again.code).toBe(5)
    expect(fs.existsSync(path.join(env.dir, 'again.nfc'))).toBe(false)
    expect(cli({...env, operator: 'tk'}, ['timecards', 'list', ...PP, '--json']).json.timecards.every((c: any) => c.status === 'exported')).toBe(true)
  })

  it('re-exports a batch byte for byte, and verify catches tampering with the line (exit 3)', () => {
    const out = path.join(env.dir, 'pp.nfc')
    pay(env, ['payroll', 'export', ...PP, '--out', out])
    const copy = path.join(env.dir, 'copy.nfc')
    expect(pay(env, ['payroll', 'reexport', 'B000000001', '--out', copy]).code).toBe(0)
    expect(fs.readFileSync(copy).equals(fs.readFileSync(out))).toBe(true)
    const text = fs.readFileSync(copy, 'utf8').split('\n')
    text[2] = text[2].slice(0, 61) + (text[2][61] === '9' ? '8' : '9') + text[2].slice(62)
    fs.writeFileSync(copy, text.join('\n'))
    const v = pay(env, ['payroll', 'verify', copy])
    expect(v.code).toBe(3)
    expect(v.json.ok).toBe(false)
    expect(v.json.problems.length).toBeGreaterThan(0)
    expect(pay(env, ['payroll', 'reexport', 'B000000099', '--out', copy]).code).toBe(5)
    expect(pay(env, ['payroll', 'batches']).json.batches).toEqual([expect.objectContaining({batchId: 'B000000001', payPeriod: '2026-11-01', records: 13})])
  })

  it('posts leave and records one disclosure per employee in the file', () => {
    pay(env, ['payroll', 'export', ...PP, '--out', path.join(env.dir, 'pp.nfc')])
    const show = (id: string) => cli({...env, operator: 'tk'}, ['personnel', 'show', id, '--json']).json
    // E1001: FT, SCD 2012 (3-15 band): +6 AL, +4 SL. E1003: PT 40 h in pay status, SCD 2019: +40/13 = 3.07 AL, +2 SL, -4 SL used.
    expect(show('E1001')).toMatchObject({annualLeaveBalance: 118.5, sickLeaveBalance: 244})
    expect(show('E1003')).toMatchObject({annualLeaveBalance: 39.32, sickLeaveBalance: 78})
    const rows = storeRows(env, 'SELECT e.employee_id, d.recipient, d.purpose, d.record_ref, d.disclosed_on FROM disclosures d JOIN employees e ON e.id = d.employee_ref ORDER BY 1')
    expect(rows.map((r) => r.employee_id)).toEqual(['E1000', 'E1001', 'E1002', 'E1003', 'E1006', 'E1009'])
    expect(rows[0]).toMatchObject({purpose: 'payroll processing', record_ref: 'B000000001', recipient: expect.stringMatching(/National Finance Center/)})
    addOperator(env, 'po', 'privacy-officer')
    const listed = cli({...env, operator: 'po'}, ['disclosures', 'list', '--employee', 'e1003', '--json'])
    expect(listed.json).toEqual({employeeId: 'E1003', disclosures: [{
      date: rows[0].disclosed_on, recipient: rows[0].recipient, address: expect.stringMatching(/New Orleans/), purpose: 'payroll processing',
      routineUse: 'OPM/GOVT-1-PAY', recordType: 'payroll_batch', recordRef: 'B000000001', disputed: false,
    }], statements: []})
    expect(cli({...env, operator: 'tk'}, ['disclosures', 'list', '--employee', 'E1003', '--json']).code).toBe(4)
  })

  it('exports a certified amendment of an exported card as a C correction with the whole card, reversing its earlier leave', () => {
    pay(env, ['payroll', 'export', ...PP, '--out', path.join(env.dir, 'pp.nfc')])
    const tk = {...env, operator: 'tk'}
    expect(cli(tk, ['timecards', 'amend', 'E1001', ...PP, '--lines', path.join(FIXTURES, 'amend-E1001.csv'), '--reason', 'AL on Nov 13']).code).toBe(0)
    cli(tk, ['timecards', 'validate', ...PP])
    cli({...env, operator: 'sam'}, ['timecards', 'certify', ...PP])
    const out = path.join(env.dir, 'correction.nfc')
    const r = pay(env, ['payroll', 'export', ...PP, '--out', out])
    expect(r.json).toMatchObject({batchId: 'B000000002', records: 3, employees: 1, totalHours: 80, corrections: 1})
    const details = fs.readFileSync(out, 'utf8').split('\n').filter((l) => l.startsWith('D'))
    expect(details.map((l) => `${l.slice(10, 22).trim()} ${l.slice(59, 61)} ${l.slice(61, 67)} ${l.slice(87, 90)}`)).toEqual([
      'E1001 01 006400 C02', 'E1001 61 000800 C02', 'E1001 66 000800 C02',
    ])
    expect(pay(env, ['payroll', 'verify', out]).json.ok).toBe(true)
    expect(cli(tk, ['personnel', 'show', 'E1001', '--json']).json.annualLeaveBalance).toBe(110.5)
  })

  it('checks an amendment of an exported card against the balance before that card\'s leave was debited', () => {
    const tk = {...env, operator: 'tk'}
    // E1002 has 24 h of annual leave. Export a card using all 24, then amend it to use 16.
    const days = ['02', '03', '04', '05', '06', '09', '10', '11', '12', '13'].map((d) => `2026-11-${d}`)
    const card = (al: string[]) => `work_date,hour_type,hours,accounting_code\n${days.map((d) => `${d},${d === '2026-11-11' ? 'HOL' : al.includes(d) ? 'AL' : 'REG'},8,HS-030105-A1`).join('\n')}\n`
    const v1 = path.join(env.dir, 'e1002-v2.csv')
    fs.writeFileSync(v1, card(['2026-11-03', '2026-11-04', '2026-11-05']))
    expect(cli(tk, ['timecards', 'amend', 'E1002', ...PP, '--lines', v1, '--reason', 'three days AL']).code).toBe(0)
    cli(tk, ['timecards', 'validate', ...PP])
    cli({...env, operator: 'sam'}, ['timecards', 'certify', ...PP])
    pay(env, ['payroll', 'export', ...PP, '--out', path.join(env.dir, 'pp.nfc')])
    expect(cli(tk, ['personnel', 'show', 'E1002', '--json']).json.annualLeaveBalance).toBe(4)
    const v3 = path.join(env.dir, 'e1002-v3.csv')
    fs.writeFileSync(v3, card(['2026-11-03', '2026-11-04']))
    expect(cli(tk, ['timecards', 'amend', 'E1002', ...PP, '--lines', v3, '--reason', 'only two days AL']).code).toBe(0)
    const v = cli(tk, ['timecards', 'validate', ...PP, '--json'])
    expect(v.json).toMatchObject({checked: 1, validated: 1, failed: 0})
  })

  it('leaves no card marked and no file when the file cannot be written', () => {
    const out = path.join(env.dir, 'missing-dir', 'pp.nfc')
    const r = pay(env, ['payroll', 'export', ...PP, '--out', out])
    expect(r.code).toBe(5)
    expect(r.json.error.code).toBe('DIR_NOT_FOUND')
    expect(fs.existsSync(out)).toBe(false)
    expect(cli({...env, operator: 'tk'}, ['timecards', 'list', ...PP, '--json']).json.timecards.every((c: any) => c.status === 'certified')).toBe(true)
    expect(pay(env, ['payroll', 'batches']).json.batches).toEqual([])
    expect(cli({...env, operator: 'tk'}, ['personnel', 'show', 'E1001', '--json']).json.annualLeaveBalance).toBe(112.5)
  })

  it('writes the CSV format with its control sidecar, and refuses other roles', () => {
    const out = path.join(env.dir, 'pp.csv')
    const r = pay(env, ['payroll', 'export', ...PP, '--out', out, '--format', 'csv'])
    expect(r.code).toBe(0)
    const control = JSON.parse(fs.readFileSync(`${out}.control.json`, 'utf8'))
    expect(control).toMatchObject({batchId: r.json.batchId, payPeriod: '2026-11-01', records: 13, employees: 6, totalHours: 381.5, sha256: sha(out)})
    expect(fs.readFileSync(out, 'utf8').split('\n')[0]).toBe('employee_id,ssn,last_name,first_name,middle_initial,pay_plan,grade,step,tour,scheduled_hours,pay_period_start,transaction_code,hour_type,hours,accounting_code,correction,version')
    expect(cli({...env, operator: 'tk'}, ['payroll', 'export', ...PP, '--out', out, '--json']).code).toBe(4)
    expect(cli({...env, operator: 'tk'}, ['payroll', 'verify', path.join(FIXTURES, 'personnel.csv'), '--json']).code).toBe(3)
  })
})

describe('payroll export of a period whose hash total outgrows 32 bits', () => {
  it('exports and lists the batch with the exact hash total (PostgreSQL keeps it as bigint)', () => {
    const env = freshStore()
    addOperator(env, 'tk', 'timekeeper')
    addOperator(env, 'sam', 'supervisor')
    addOperator(env, 'pay', 'payroll')
    // The fixture's people with SSNs in area 899: six of them sum to about 5.4 billion, past 2^31.
    const people = path.join(env.dir, 'personnel.csv')
    fs.writeFileSync(people, fs.readFileSync(path.join(FIXTURES, 'personnel.csv'), 'utf8').replaceAll(/,123-45-(\d{4}),/g, ',899-45-$1,'))
    const ssns = [...fs.readFileSync(people, 'utf8').matchAll(/,(899-45-\d{4}),/g)].map((m) => Number(m[1].replaceAll('-', '')))
    const tk = {...env, operator: 'tk'}
    expect(cli(tk, ['personnel', 'import', people, '--as-of', '2026-11-23']).code).toBe(0)
    cli(tk, ['timesheets', 'import', path.join(FIXTURES, 'timesheets.csv')])
    cli(tk, ['timesheets', 'import', path.join(FIXTURES, 'timesheets-fix.csv')])
    expect(cli(tk, ['timecards', 'validate', ...PP]).code).toBe(0)
    expect(cli({...env, operator: 'sam'}, ['timecards', 'certify', ...PP, '--json']).json.certified).toBe(6)
    const out = path.join(env.dir, 'pp.nfc')
    const r = pay(env, ['payroll', 'export', ...PP, '--out', out])
    expect(r.code, r.stdout + r.stderr).toBe(0)
    // FORMATS.md: the hash total is the sum of the detail records' SSN fields (13 records of the six employees).
    const fields = fs.readFileSync(out, 'utf8').split('\n').filter((l) => l.startsWith('D')).map((l) => Number(l.slice(1, 10)))
    const expected = fields.reduce((sum, ssn) => sum + ssn, 0)
    expect(fields).toHaveLength(13)
    expect(fields.every((ssn) => ssns.includes(ssn))).toBe(true)
    expect(expected).toBeGreaterThan(2 ** 31)
    expect(r.json.hashTotal).toBe(expected)
    expect(pay(env, ['payroll', 'batches']).json.batches[0]).toMatchObject({batchId: r.json.batchId, hashTotal: expected, totalHours: 381.5})
    expect(pay(env, ['payroll', 'verify', out]).json).toMatchObject({ok: true, hashTotal: expected})
  })
})
