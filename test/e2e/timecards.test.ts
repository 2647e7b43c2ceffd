import fs from 'node:fs'
import path from 'node:path'
import {beforeEach, describe, expect, it} from 'vitest'

import {LINES_CHUNK} from '../../src/timecards/check-runs.js'
import {FIXTURES, addOperator, cli, freshStore, writeFile} from '../helpers/cli.js'
import {generate} from '../helpers/generated-period.js'

const PP = '2026-11-01'
const AS_OF = ['--as-of', '2026-11-23']
type Store = ReturnType<typeof freshStore>

function setUp(): Store {
  const env = freshStore()
  addOperator(env, 'tk', 'timekeeper')
  addOperator(env, 'sam', 'supervisor', ['--org', '0301', '--employee', 'E1000'])
  addOperator(env, 'sue', 'supervisor', ['--org', '030210'])
  expect(cli({...env, operator: 'tk'}, ['personnel', 'import', path.join(FIXTURES, 'personnel.csv'), '--json', ...AS_OF]).code).toBe(0)
  return env
}

const tk = (env: Store, args: string[]) => cli({...env, operator: 'tk'}, [...args, '--json'])

describe('the time-and-attendance cycle', () => {
  let env: Store
  beforeEach(() => {
    env = setUp()
  })

  it('imports timesheets into one card per employee and pay period, rejecting bad lines with reasons', () => {
    const r = tk(env, ['timesheets', 'import', path.join(FIXTURES, 'timesheets.csv')])
    expect(r.code).toBe(0)
    expect(r.json).toMatchObject({rowsRead: 58, inserted: 53, updated: 0, rejected: 5})
    expect(r.json.errors.map((e: any) => e.code).sort()).toEqual(['TS-DATE', 'TS-DUP-ROW', 'TS-EMPLOYEE', 'TS-HOURS', 'TS-TYPE'])
    const list = tk(env, ['timecards', 'list', '--pay-period', PP]).json.timecards
    expect(list.map((c: any) => `${c.employeeId}:${c.status}:${c.totalHours}`)).toEqual([
      'E1000:draft:80', 'E1001:draft:80', 'E1002:draft:72', 'E1003:draft:40', 'E1006:draft:19.5', 'E1009:draft:90',
    ])
  })

  it('validates with findings, is fixed by re-import, certified by the supervisor (never their own card), amended and re-certified', () => {
    tk(env, ['timesheets', 'import', path.join(FIXTURES, 'timesheets.csv')])
    const v = tk(env, ['timecards', 'validate', '--pay-period', PP])
    expect(v.code).toBe(3)
    expect(v.json).toMatchObject({checked: 6, validated: 4, failed: 2})
    const codes = v.json.findings.map((f: any) => `${f.employeeId}:${f.code}:${f.severity}`)
    expect(codes).toEqual(expect.arrayContaining(['E1002:TC-TOUR:error', 'E1009:TC-TOUR:error']))
    expect(v.json.findings.find((f: any) => f.employeeId === 'E1002').message).toMatch(/72.*8 fewer.*80/)

    const fix = tk(env, ['timesheets', 'import', path.join(FIXTURES, 'timesheets-fix.csv')])
    expect(fix.json).toMatchObject({inserted: 1, updated: 1, rejected: 0})
    const v2 = tk(env, ['timecards', 'validate', '--pay-period', PP])
    expect(v2.code).toBe(0)
    expect(v2.json).toMatchObject({checked: 2, validated: 2, failed: 0})

    const c = cli({...env, operator: 'sam'}, ['timecards', 'certify', '--pay-period', PP, '--json'])
    expect(c.code).toBe(0)
    expect(c.json.certified).toBe(4)
    expect(c.json.skipped).toEqual(expect.arrayContaining([{employeeId: 'E1000', reason: 'own-card'}, {employeeId: 'E1006', reason: 'scope'}]))
    expect(cli({...env, operator: 'sue'}, ['timecards', 'certify', '--pay-period', PP, '--json']).json.certified).toBe(1)
    expect(cli({...env, operator: 'tk'}, ['timecards', 'certify', '--pay-period', PP, '--json']).code).toBe(4)

    // Certified cards are locked against import; corrections are amendments.
    const locked = tk(env, ['timesheets', 'import', writeFile(env.dir, 'late.csv', 'employee_id,work_date,hour_type,hours,accounting_code\nE1001,2026-11-02,REG,7,HS-030105-A1\n')])
    expect(locked.json.errors).toEqual([expect.objectContaining({code: 'TS-LOCKED'})])
    const amend = tk(env, ['timecards', 'amend', 'E1001', '--pay-period', PP, '--lines', path.join(FIXTURES, 'amend-E1001.csv'), '--reason', 'Friday was annual leave'])
    expect(amend.json).toEqual({employeeId: 'E1001', payPeriod: PP, version: 2, status: 'draft'})
    const shown = tk(env, ['timecards', 'show', 'E1001', '--pay-period', PP])
    expect(shown.json).toMatchObject({employeeId: 'E1001', payPeriod: PP, version: 2, status: 'draft', totals: {REG: 64, HOL: 8, AL: 8}})
    const v1 = tk(env, ['timecards', 'show', 'E1001', '--pay-period', PP, '--card-version', '1'])
    expect(v1.json).toMatchObject({version: 1, status: 'certified', totals: {REG: 72, HOL: 8}})
    expect(tk(env, ['timecards', 'validate', '--pay-period', PP]).json.validated).toBe(1)
    expect(cli({...env, operator: 'sam'}, ['timecards', 'certify', '--pay-period', PP, '--employee', 'E1001', '--json']).json.certified).toBe(1)

    const h = tk(env, ['timecards', 'history', 'E1001', '--pay-period', PP]).json.history
    expect(h.map((e: any) => `${e.action}:v${e.version}:${e.actor}`)).toEqual([
      'import:v1:tk', 'validate:v1:tk', 'certify:v1:sam', 'amend:v2:tk', 'validate:v2:tk', 'certify:v2:sam',
    ])
    const amendEntry = h.find((e: any) => e.action === 'amend')
    expect(amendEntry.reason).toBe('Friday was annual leave')
    expect(amendEntry.changes).toEqual([
      {field: '2026-11-13 AL HS-030105-A1', from: null, to: 8},
      {field: '2026-11-13 REG HS-030105-A1', from: 8, to: null},
    ])
  })

  it('a timekeeper scoped to an org validates only that org\'s cards', () => {
    addOperator(env, 'tk2', 'timekeeper', ['--org', '030210'])
    tk(env, ['timesheets', 'import', path.join(FIXTURES, 'timesheets.csv')])
    const v = cli({...env, operator: 'tk2'}, ['timecards', 'validate', '--pay-period', PP, '--json'])
    expect(v.json.checked).toBe(1)
    expect(v.json).toEqual({checked: 1, validated: 1, failed: 0, findings: []})
    const list = tk(env, ['timecards', 'list', '--pay-period', PP]).json.timecards
    expect(list.filter((c: any) => c.status !== 'draft').map((c: any) => c.employeeId)).toEqual(['E1006'])
  })

  it('refuses to amend a draft card (6), an amendment with bad lines (3), and without a reason (2)', () => {
    tk(env, ['timesheets', 'import', path.join(FIXTURES, 'timesheets.csv')])
    const draft = tk(env, ['timecards', 'amend', 'E1001', '--pay-period', PP, '--lines', path.join(FIXTURES, 'amend-E1001.csv'), '--reason', 'x'])
    expect(draft.code).toBe(6)
    expect(draft.json.error.code).toBe('CARD_NOT_AMENDABLE')
    tk(env, ['timecards', 'validate', '--pay-period', PP])
    cli({...env, operator: 'sam'}, ['timecards', 'certify', '--pay-period', PP, '--json'])
    const bad = writeFile(env.dir, 'bad-amend.csv', 'work_date,hour_type,hours,accounting_code\n2026-11-02,REG,8,HS-030105-A1\n2026-11-20,REG,8,HS-030105-A1\n')
    const r = tk(env, ['timecards', 'amend', 'E1001', '--pay-period', PP, '--lines', bad, '--reason', 'x'])
    expect(r.code).toBe(3)
    expect(r.json.error.errors).toEqual([expect.objectContaining({row: 2, code: 'TS-PERIOD'})])
    expect(tk(env, ['timecards', 'show', 'E1001', '--pay-period', PP]).json.version).toBe(1)
    expect(tk(env, ['timecards', 'amend', 'E1001', '--pay-period', PP, '--lines', bad, '--reason', '  ']).code).toBe(2)
  })

  it('rejects lines of employees outside a scoped timekeeper\'s org with TS-SCOPE', () => {
    addOperator(env, 'tk-b', 'timekeeper', ['--org', '030210'])
    const r = cli({...env, operator: 'tk-b'}, ['timesheets', 'import', path.join(FIXTURES, 'timesheets.csv'), '--json'])
    expect(r.json.inserted).toBe(3)
    expect(r.json.errors.filter((e: any) => e.code === 'TS-SCOPE').length).toBeGreaterThan(40)
    expect(cli({...env, operator: 'tk-b'}, ['timecards', 'list', '--json']).json.timecards.map((c: any) => c.employeeId)).toEqual(['E1006'])
  })

  it('refuses a date that does not start a pay period (2) and an unknown card (5)', () => {
    expect(tk(env, ['timecards', 'show', 'E1001', '--pay-period', '2026-11-02']).code).toBe(2)
    expect(tk(env, ['timecards', 'show', 'E1001', '--pay-period', '2026-11-15']).code).toBe(5)
  })

  it('replaces lines of a validated card and sends it back to draft', () => {
    tk(env, ['timesheets', 'import', path.join(FIXTURES, 'timesheets.csv')])
    tk(env, ['timecards', 'validate', '--pay-period', PP])
    const file = writeFile(env.dir, 'change.csv', 'employee_id,work_date,hour_type,hours,accounting_code\nE1003,2026-11-02,REG,3.75,HS-030105-A2\n')
    expect(tk(env, ['timesheets', 'import', file]).json).toMatchObject({updated: 1})
    const card = tk(env, ['timecards', 'show', 'E1003', '--pay-period', PP]).json
    expect(card).toMatchObject({status: 'draft', totals: {REG: 31.75}})
  })

  it('manages closure days (admin) that count as holidays', () => {
    const add = cli(env, ['calendar', '--add-closure', '2026-11-27', '--reason', 'Executive order', '--json'])
    expect(add.code).toBe(0)
    expect(add.json.closures).toEqual([{date: '2026-11-27', reason: 'Executive order'}])
    expect(add.json.payPeriods[0]).toEqual({start: '2026-01-11', end: '2026-01-24', number: '2026-01'})
    expect(add.json.holidays.find((h: any) => h.name.startsWith('Thanksgiving')).observed).toBe('2026-11-26')
    expect(tk(env, ['calendar', '--add-closure', '2026-11-30', '--reason', 'x']).code).toBe(4)
    expect(tk(env, ['calendar', '--year', '2026']).code).toBe(0)
  })
})

describe('validate of a pay period larger than a run of cards (the lines are read LINES_CHUNK cards at a time)', () => {
  it('gives each card its own findings, in employee order, as validating the card alone does', () => {
    const env = freshStore()
    const people = path.join(env.dir, 'people.csv')
    const period = path.join(env.dir, 'period.csv')
    const employees = 2 * LINES_CHUNK + 100
    generate(['personnel', String(employees), people, '--seed', '3', '--tour', 'FT', '--min-leave', '80'])
    generate(['timesheet-period', String(employees), PP, period, '--seed', '3'])
    // A SUN premium on a Monday (TC-PREMIUM, an error) for cards in each run, the first and the last included.
    const bad = [1, 2, LINES_CHUNK + 1, 2 * LINES_CHUNK + 50, employees].map((n) => `E${String(n).padStart(7, '0')}`)
    fs.appendFileSync(period, bad.map((id) => `${id},2026-11-02,SUN,2,HS-0403-D01\n`).join(''))
    expect(cli(env, ['personnel', 'import', people, '--json']).json).toMatchObject({inserted: employees, rejected: 0})
    expect(cli(env, ['timesheets', 'import', period, '--json']).json).toMatchObject({rejected: 0})
    const all = cli(env, ['timecards', 'validate', '--pay-period', PP, '--json'])
    expect(all.code).toBe(3)
    expect(all.json).toMatchObject({checked: employees, validated: employees - bad.length, failed: bad.length})
    expect(all.json.findings.map((f: any) => `${f.employeeId} ${f.code} ${f.workDate}`)).toEqual(bad.map((id) => `${id} TC-PREMIUM 2026-11-02`))
    const drafts = cli(env, ['timecards', 'list', '--pay-period', PP, '--status', 'draft', '--json']).json.timecards
    expect(drafts.map((c: any) => c.employeeId)).toEqual(bad)
    for (const id of [bad[0], bad.at(-1)!]) {
      const alone = cli(env, ['timecards', 'validate', '--pay-period', PP, '--employee', id, '--json'])
      expect(alone.json.findings).toEqual(all.json.findings.filter((f: any) => f.employeeId === id))
    }
  })
})
