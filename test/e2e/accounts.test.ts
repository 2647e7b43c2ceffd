import fs from 'node:fs'
import path from 'node:path'
import {beforeEach, describe, expect, it} from 'vitest'

import {FIXTURES, addOperator, cli, freshStore, onPostgres, sqliteTraces, storeRows, writeFile} from '../helpers/cli.js'

const FIXTURE = path.join(FIXTURES, 'signins.csv')
const AS_OF = ['--as-of', '2026-11-20']
const HEADER = 'user_id,name,email,signed_in_at,department,user_role,employee_id,ip_address,application'
type Env = ReturnType<typeof freshStore>

const as = (env: Env, operator: string, args: string[]) => cli({...env, operator}, [...args, '--json'])
const admin = (env: Env, args: string[]) => as(env, 'admin', args)
const count = (env: Env, table: string) => Number(storeRows(env, `SELECT count(*) AS n FROM ${table}`)[0].n)
const item = (plan: any, type: string) => plan.items.find((i: any) => i.recordType === type)

/** A store with the fixture employees (the sign-in log links some users to them). */
function staffedStore(): Env {
  const env = freshStore()
  expect(admin(env, ['personnel', 'import', path.join(FIXTURES, 'personnel.csv'), ...AS_OF]).code).toBe(0)
  return env
}

/** A sign-in log with one row per AA-* code, and two rows that are stored (one with a warning); data rows count from 1. */
const EVERY_CODE = [
  HEADER,
  'good.user,Gail Good,gail.good@agency.example.gov,2026-11-02T13:05:00Z,Finance,user,E1001,10.0.0.1,Mail', // 1: stored
  'noname,,no.name@agency.example.gov,2026-11-02T13:05:00Z,,,,,', // 2: AA-REQUIRED
  'bad user!,Bad User,bad.user@agency.example.gov,2026-11-02T13:05:00Z,,,,,', // 3: AA-USER
  'mailless,Mail Less,not-an-email,2026-11-02T13:05:00Z,,,,,', // 4: AA-EMAIL
  'zoneless,Zone Less,zone.less@agency.example.gov,2026-11-02 13:05,,,,,', // 5: AA-TIME (no T, no offset)
  'early.bird,Early Bird,early.bird@agency.example.gov,2026-11-21T00:00:00Z,,,,,', // 6: AA-TIME (after --as-of)
  'far.away,Far Away,far.away@agency.example.gov,2026-11-02T13:05:00Z,,,,999.1.1.1,', // 7: AA-IP
  'stranger,Sam Stranger,sam.stranger@agency.example.gov,2026-11-03T09:00:00Z,,,E9999,2001:db8::1,VPN', // 8: AA-EMPLOYEE (stored)
  'GOOD.USER,Gail Good,gail.good@agency.example.gov,2026-11-02T08:05:00-05:00,Finance,user,E1001,10.0.0.1,Mail', // 9: AA-DUP-ROW (row 1's instant)
].join('\n')

describe('accounts import', () => {
  let env: Env
  beforeEach(() => {
    env = staffedStore()
  })

  it('stores every sign-in of the fixture log; each account keeps its latest sign-in and who the user was then', () => {
    const r = admin(env, ['accounts', 'import', FIXTURE, ...AS_OF])
    expect(r.code).toBe(0)
    expect(r.json).toMatchObject({file: FIXTURE, rowsRead: 10, inserted: 10, updated: 0, rejected: 0, errors: [], warnings: [], dryRun: false})
    expect(r.json.batchId).toBeTypeOf('number')
    expect(count(env, 'accounts')).toBe(6)
    expect(count(env, 'sign_ins')).toBe(10)

    // The log lists an older sign-in (2026-10-20, department "Human Capital") after the latest: the latest wins.
    const show = admin(env, ['accounts', 'show', 'AOKAFOR'])
    expect(show.code).toBe(0)
    expect(show.json).toEqual({
      userId: 'aokafor', name: 'Adaeze Okafor', email: 'adaeze.okafor@agency.example.gov', department: 'Human Capital Policy',
      employeeId: 'E1001', lastAccess: '2026-11-02T13:05:00.000Z', signIns: 3,
    })
    // Offsets are converted to UTC; an account without an employee is kept as such.
    expect(admin(env, ['accounts', 'show', 'mlindqvist']).json.lastAccess).toBe('2026-10-05T13:15:40.000Z')
    expect(admin(env, ['accounts', 'show', 'kpatel']).json).toMatchObject({employeeId: null, lastAccess: '2026-11-04T03:12:59.000Z', signIns: 2})
    expect(storeRows(env, "SELECT s.signed_in_at, s.ip_address FROM sign_ins s JOIN accounts a ON a.id = s.account_ref WHERE a.user_id = 'kpatel' ORDER BY s.signed_in_at"))
      .toEqual([{signed_in_at: '2026-10-06T17:17:05.000Z', ip_address: '2001:db8:4a::17'}, {signed_in_at: '2026-11-04T03:12:59.000Z', ip_address: '2001:db8:4a::17'}])

    const list = admin(env, ['accounts', 'list'])
    expect(list.code).toBe(0)
    expect(list.json.accounts.map((a: any) => a.userId)).toEqual(['aokafor', 'jnunez', 'kpatel', 'mlindqvist', 'rcastellanos', 'sobrien'])
    expect(list.json.accounts[0]).toEqual(show.json)
    const inactive = admin(env, ['accounts', 'list', '--inactive-since', '2026-11-03'])
    expect(inactive.json.accounts.map((a: any) => a.userId)).toEqual(['aokafor', 'mlindqvist'])
    expect(admin(env, ['accounts', 'list', '--inactive-since', '2026-11-31']).code).toBe(2)

    const missing = admin(env, ['accounts', 'show', 'nobody'])
    expect(missing.code).toBe(5)
    expect(missing.json.error.code).toBe('ACCOUNT_NOT_FOUND')
  })

  it('reports every AA-* code with its row and column; rows with errors are rejected, warnings stored', () => {
    const file = writeFile(env.dir, 'every-code.csv', `${EVERY_CODE}\n`)
    const rejects = path.join(env.dir, 'rejects.csv')
    const r = admin(env, ['accounts', 'import', file, '--rejects', rejects, ...AS_OF])
    expect(r.code).toBe(0)
    expect(r.json).toMatchObject({rowsRead: 9, inserted: 2, updated: 0, rejected: 7, rejectsFile: rejects})
    expect(r.json.errors.map((e: any) => `${e.row}:${e.column}:${e.code}`)).toEqual([
      '2:name:AA-REQUIRED', '3:user_id:AA-USER', '4:email:AA-EMAIL', '5:signed_in_at:AA-TIME', '6:signed_in_at:AA-TIME',
      '7:ip_address:AA-IP', '9:signed_in_at:AA-DUP-ROW',
    ])
    expect(r.json.errors.at(-1).message).toMatch(/earlier in this file/)
    expect(r.json.warnings).toEqual([expect.objectContaining({row: 8, column: 'employee_id', code: 'AA-EMPLOYEE'})])
    const lines = fs.readFileSync(rejects, 'utf8').trim().split('\n')
    expect(lines[0]).toBe(`row,${HEADER},errors`)
    expect(lines).toHaveLength(8)
    expect(lines[1]).toMatch(/^2,noname,.*AA-REQUIRED/)
    expect(admin(env, ['accounts', 'list']).json.accounts.map((a: any) => [a.userId, a.signIns])).toEqual([['good.user', 1], ['stranger', 1]])

    // A sign-in already stored by an earlier import is a duplicate too, whatever offset the log writes it in.
    const again = writeFile(env.dir, 'again.csv', `${HEADER}\ngood.user,Gail Good,gail.good@agency.example.gov,2026-11-02T14:05:00+01:00,,,,,\n`)
    const dup = admin(env, ['accounts', 'import', again, ...AS_OF])
    expect(dup.json).toMatchObject({rowsRead: 1, inserted: 0, rejected: 1})
    expect(dup.json.errors[0]).toMatchObject({row: 1, column: 'signed_in_at', code: 'AA-DUP-ROW', message: expect.stringMatching(/already stored \(import batch \d+\)/)})
  })

  it('--strict stores nothing when a row is rejected (exit 3); --dry-run checks and stores nothing', () => {
    const file = writeFile(env.dir, 'every-code.csv', `${EVERY_CODE}\n`)
    const strict = admin(env, ['accounts', 'import', file, '--strict', ...AS_OF])
    expect(strict.code).toBe(3)
    expect(strict.json.error).toMatchObject({code: 'IMPORT_REJECTED', rejected: 7, inserted: 2})
    expect(count(env, 'accounts')).toBe(0)
    expect(count(env, 'sign_ins')).toBe(0)

    const dry = admin(env, ['accounts', 'import', FIXTURE, '--dry-run', ...AS_OF])
    expect(dry.code).toBe(0)
    expect(dry.json).toMatchObject({batchId: null, rowsRead: 10, inserted: 10, dryRun: true})
    expect(count(env, 'accounts')).toBe(0)
    // A dry run records no batch: the real import that follows is not a repeat.
    expect(admin(env, ['accounts', 'import', FIXTURE, ...AS_OF]).json.inserted).toBe(10)
  })

  it('the same file twice is ALREADY_IMPORTED (exit 6); --force reads it again and every sign-in is a duplicate', () => {
    const first = admin(env, ['accounts', 'import', FIXTURE, ...AS_OF])
    const again = admin(env, ['accounts', 'import', FIXTURE, ...AS_OF])
    expect(again.code).toBe(6)
    expect(again.json.error).toMatchObject({code: 'ALREADY_IMPORTED', batchId: first.json.batchId})
    const forced = admin(env, ['accounts', 'import', FIXTURE, '--force', ...AS_OF])
    expect(forced.code).toBe(0)
    expect(forced.json).toMatchObject({rowsRead: 10, inserted: 0, rejected: 10})
    expect(new Set(forced.json.errors.map((e: any) => e.code))).toEqual(new Set(['AA-DUP-ROW']))
    expect(count(env, 'sign_ins')).toBe(10)
  })

  it('sign-ins after the end of the --as-of day (UTC) are refused', () => {
    const file = writeFile(env.dir, 'late.csv', `${HEADER}\nlate,Late Comer,late.comer@agency.example.gov,2026-11-20T23:30:00-05:00,,,,,\n`)
    const r = admin(env, ['accounts', 'import', file, ...AS_OF])
    // 23:30 at UTC-5 on the 20th is 04:30 UTC on the 21st.
    expect(r.json.errors).toEqual([expect.objectContaining({code: 'AA-TIME', column: 'signed_in_at'})])
    expect(admin(env, ['accounts', 'import', file, '--force', '--as-of', '2026-11-21']).json.inserted).toBe(1)
  })
})

describe('accounts: who may', () => {
  it('only admins import; admins, auditors and privacy officers show and list; others get exit 4', () => {
    const env = staffedStore()
    for (const [name, role] of [['po', 'privacy-officer'], ['aud', 'auditor'], ['rex', 'records-officer'], ['tk', 'timekeeper']]) addOperator(env, name, role)
    for (const who of ['po', 'aud', 'rex', 'tk']) {
      const r = as(env, who, ['accounts', 'import', FIXTURE, ...AS_OF])
      expect(r.code, who).toBe(4)
      expect(r.json.error.code).toBe('NOT_PERMITTED')
    }
    expect(count(env, 'sign_ins')).toBe(0)
    expect(admin(env, ['accounts', 'import', FIXTURE, ...AS_OF]).code).toBe(0)
    for (const who of ['po', 'aud']) {
      expect(as(env, who, ['accounts', 'show', 'jnunez']).json, who).toMatchObject({userId: 'jnunez', signIns: 2})
      expect(as(env, who, ['accounts', 'list']).json.accounts, who).toHaveLength(6)
    }
    for (const who of ['rex', 'tk']) {
      expect(as(env, who, ['accounts', 'show', 'jnunez']).code, who).toBe(4)
      expect(as(env, who, ['accounts', 'list']).code, who).toBe(4)
    }
    const log = as(env, 'aud', ['audit', 'log', '--action', 'accounts.show']).json.entries
    expect(log.map((e: any) => e.actor)).toEqual(['po', 'aud'])
  })
})

describe('accounts: access search and record ids', () => {
  it('a subject\'s accounts and sign-ins are found by employee_id, and account:<userId> names one', () => {
    const env = staffedStore()
    addOperator(env, 'po', 'privacy-officer')
    expect(admin(env, ['accounts', 'import', FIXTURE, ...AS_OF]).code).toBe(0)
    const open = as(env, 'po', ['requests', 'open', '--type', 'access', '--requester', 'Adaeze Okafor', '--employee', 'E1001', '--received', '2026-11-20'])
    expect(open.code).toBe(0)
    const search = as(env, 'po', ['requests', 'search', open.json.requestId])
    expect(search.code).toBe(0)
    expect(search.json.records.account).toEqual([expect.objectContaining({user_id: 'aokafor', employee_id: 'E1001', department: 'Human Capital Policy'})])
    expect(search.json.records.sign_in.map((s: any) => s.signed_in_at)).toEqual(['2026-10-05T13:02:11.000Z', '2026-10-20T12:00:00.000Z', '2026-11-02T13:05:00.000Z'])

    const base = ['disclosures', 'record', '--employee', 'E1001', '--recipient', 'USPS OIG', '--address', '1735 N Lynn St', '--purpose', 'Security review', '--date', '2026-11-20']
    const disclosed = as(env, 'po', [...base, '--record', 'account:AOKAFOR'])
    expect(disclosed.code).toBe(0)
    expect(disclosed.json).toMatchObject({recordType: 'account', recordRef: 'aokafor'})
    expect(as(env, 'po', [...base, '--record', 'account:kpatel']).code).toBe(5)
  })
})

describe('accounts: retention', () => {
  // Sign-ins are due 24 months after they happened; an account 24 months after its last access.
  const SWEEP_ON = '2028-11-04'

  function retainedStore(): Env {
    const env = staffedStore()
    addOperator(env, 'rex', 'records-officer')
    addOperator(env, 'aud', 'auditor')
    expect(admin(env, ['accounts', 'import', FIXTURE, ...AS_OF]).code).toBe(0)
    // A later sign-in moves mlindqvist's account to 2029-01-15.
    const later = writeFile(env.dir, 'later.csv', `${HEADER}\nmlindqvist,Maren Lindqvist,maren.lindqvist@agency.example.gov,2027-01-15T10:00:00Z,Finance,supervisor,E1000,10.20.6.3,Timekeeping\n`)
    expect(admin(env, ['accounts', 'import', later, '--as-of', '2027-01-31']).json.inserted).toBe(1)
    return env
  }

  it('the plan counts due sign-ins and accounts; a later sign-in moves the account; a hold keeps the held subject\'s', () => {
    const env = retainedStore()
    const before = as(env, 'aud', ['retention', 'plan', '--as-of', '2028-10-05'])
    expect(before.code).toBe(0)
    // mlindqvist's 2026-10-05 sign-in is due on 2028-10-05, but the account waits for its 2027 sign-in.
    expect(item(before.json, 'sign_in')).toMatchObject({code: 'USPS-550.000-SIGN-IN', retainMonths: 24, eligible: 2})
    expect(item(before.json, 'account')).toMatchObject({code: 'USPS-550.000-ACCOUNT', retainMonths: 24, eligible: 0})
    expect(item(as(env, 'aud', ['retention', 'plan', '--as-of', '2029-01-15']).json, 'account').eligible).toBe(6)
    expect(item(as(env, 'aud', ['retention', 'plan', '--as-of', '2029-01-14']).json, 'account').eligible).toBe(5)

    expect(as(env, 'rex', ['holds', 'place', '--reason', 'Case 27-0031', '--employee', 'E1003']).code).toBe(0)
    const plan = as(env, 'rex', ['retention', 'plan', '--as-of', SWEEP_ON])
    // Due: every sign-in on or before 2026-11-04 (8), sobrien's held; accounts aokafor, kpatel (sobrien held).
    expect(item(plan.json, 'sign_in')).toMatchObject({eligible: 7, held: 1})
    expect(item(plan.json, 'account')).toMatchObject({eligible: 2, held: 1})

    const sweep = as(env, 'rex', ['retention', 'sweep', '--as-of', SWEEP_ON, '--yes'])
    expect(sweep.code).toBe(0)
    expect(sweep.json.destroyed).toMatchObject({sign_in: 7, account: 2})
    expect(admin(env, ['accounts', 'list']).json.accounts.map((a: any) => [a.userId, a.signIns])).toEqual([
      ['jnunez', 1], ['mlindqvist', 1], ['rcastellanos', 1], ['sobrien', 1],
    ])
    expect(admin(env, ['accounts', 'show', 'kpatel']).code).toBe(5)
    const cert = as(env, 'aud', ['retention', 'certificate', sweep.json.disposalId])
    expect(cert.json.certificate.schedules.filter((s: any) => s.recordType === 'account' || s.recordType === 'sign_in').map((s: any) => [s.recordType, s.destroyed]))
      .toEqual([['sign_in', 7], ['account', 2]])
  })
})

/** Every file of the store (db, WAL, shared memory) searched for bytes (test/helpers/cli.ts). */
const traces = sqliteTraces

// SQLite's own files; on PostgreSQL the rows' removal and the tables' rewrite are the disposal's (postgres.test.ts).
describe.skipIf(onPostgres)('a sweep of accounts leaves no trace of them', () => {
  it('the destroyed account\'s user id, name and email are nowhere in the store\'s files; a kept account\'s are', () => {
    const env = staffedStore()
    addOperator(env, 'rex', 'records-officer')
    expect(admin(env, ['accounts', 'import', FIXTURE, ...AS_OF]).code).toBe(0)
    const GONE = ['kpatel', 'Kiran Patel', 'kiran.patel@contractor.example.com']
    const KEPT = ['rcastellanos', 'rafael.castellanos@agency.example.gov']
    expect(traces(env.db, GONE).length).toBeGreaterThan(0)
    const sweep = as(env, 'rex', ['retention', 'sweep', '--as-of', '2028-11-11', '--yes'])
    expect(sweep.code).toBe(0)
    expect(sweep.json.destroyed).toMatchObject({sign_in: 9, account: 5})
    expect(traces(env.db, GONE)).toEqual([])
    const kept = traces(env.db, KEPT)
    for (const k of KEPT) expect(kept.some((t) => t.startsWith(`${k} in store.db`)), k).toBe(true)
  })
})
