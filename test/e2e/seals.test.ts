import {spawnSync} from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import {describe, expect, it} from 'vitest'

import {openStore} from '../../src/store/index.js'
import {cardSeal} from '../../src/timecards/seal-text.js'
import {brokenCardSeals} from '../../src/timecards/seal.js'
import {ROOT, cli, freshStore, storeExec, storeRows} from '../helpers/cli.js'

/**
 * Timecard seals (CLI.md "Sealed records"): certify seals each card with the digest of its content; payroll
 * export refuses a card whose lines changed since (exit 3, SEAL_BROKEN, nothing exported, no batch), on both
 * engines; the seals the engines' SQL computes equal seal.ts's; brokenCardSeals lists a changed card.
 */
const PP = ['--pay-period', '2026-11-01']
const EMPLOYEES = 6
// The exports use one employee with one accounting code: the batch's hash total (a sum of SSNs, one per record)
// overflows payroll_batches.hash_total on PostgreSQL (an integer column) beyond two or three records.
const ONE = 1

const generate = (args: string[]) => {
  const r = spawnSync(process.execPath, [path.join(ROOT, 'bench', 'generate.mjs'), ...args], {encoding: 'utf8'})
  if (r.status !== 0) throw new Error(`generate ${args.join(' ')}: ${r.stderr}`)
}

function certifiedPeriod(employees = EMPLOYEES, accounts = 10) {
  const env = freshStore()
  const people = path.join(env.dir, 'people.csv')
  const period = path.join(env.dir, 'period.csv')
  generate(['personnel', String(employees), people, '--seed', '3', '--tour', 'FT', '--min-leave', '80'])
  generate(['timesheet-period', String(employees), '2026-11-01', period, '--seed', '3', '--accounts-per-card', String(accounts)])
  expect(cli(env, ['personnel', 'import', people, '--json']).json).toMatchObject({inserted: employees, rejected: 0})
  expect(cli(env, ['timesheets', 'import', period, '--json']).json).toMatchObject({rejected: 0})
  expect(cli(env, ['timecards', 'validate', ...PP, '--json']).json).toMatchObject({validated: employees})
  expect(cli(env, ['timecards', 'certify', ...PP, '--json']).json).toMatchObject({certified: employees})
  return env
}

/** The detail records an export of the current cards makes: one per card, hour type and accounting code. */
const records = (env: {db: string}) => Number(storeRows<{n: number | string}>(env, `SELECT count(*) AS n FROM (SELECT DISTINCT l.timecard_id, l.hour_type, l.accounting_code
  FROM timecard_lines l JOIN timecards c ON c.id = l.timecard_id WHERE c.is_current = 1) r`)[0].n)

async function broken(db: string) {
  const store = await openStore(db)
  try {
    return await brokenCardSeals(store)
  } finally {
    await store.close()
  }
}

const count = (env: {db: string}, table: string) => Number(storeRows<{n: number | string}>(env, `SELECT count(*) AS n FROM ${table}`)[0].n)

describe('timecard seals', () => {
  it('certify seals each card with the digest of its content, as seal.ts computes it', async () => {
    const env = certifiedPeriod()
    const cards = storeRows<{id: number; employee_ref: number; pay_period_start: string; version: number; seal: string}>(env,
      "SELECT id, employee_ref, pay_period_start, version, seal FROM timecards WHERE status = 'certified' ORDER BY id")
    expect(cards).toHaveLength(EMPLOYEES)
    for (const c of cards) {
      const lines = storeRows<{work_date: string; hour_type: string; accounting_code: string; hours: number}>(env,
        'SELECT work_date, hour_type, accounting_code, hours FROM timecard_lines WHERE timecard_id = ?', c.id)
        .map((l) => ({...l, hours: Number(l.hours)}))
        .sort((a, b) => (a.work_date + a.hour_type + a.accounting_code < b.work_date + b.hour_type + b.accounting_code ? -1 : 1))
      expect(lines.length).toBeGreaterThan(0)
      expect(c.seal).toMatch(/^[0-9a-f]{64}$/)
      expect(c.seal).toBe(cardSeal({id: Number(c.id), employee_ref: Number(c.employee_ref), pay_period_start: c.pay_period_start, version: Number(c.version)}, lines))
    }
    expect(await broken(env.db)).toEqual([])
  })

  it('a line edited behind custodian\'s back after certify: export is exit 3 SEAL_BROKEN, nothing exported; put back, it exports', async () => {
    const env = certifiedPeriod(ONE, 1)
    const [card] = storeRows<{id: number; employee_id: string}>(env, `SELECT c.id, e.employee_id FROM timecards c JOIN employees e ON e.id = c.employee_ref
      ORDER BY e.employee_id LIMIT 1`)
    const [line] = storeRows<{work_date: string; hours: number}>(env, 'SELECT work_date, hours FROM timecard_lines WHERE timecard_id = ? ORDER BY work_date LIMIT 1', card.id)
    expect(Number(line.hours)).toBe(800)
    storeExec(env, `UPDATE timecard_lines SET hours = 2400 WHERE timecard_id = ${Number(card.id)} AND work_date = '${line.work_date}'`)

    const out = path.join(env.dir, 'pp.nfc')
    const r = cli(env, ['payroll', 'export', ...PP, '--out', out, '--json'])
    expect(r.code).toBe(3)
    expect(r.json.error.code).toBe('SEAL_BROKEN')
    expect(r.json.error.message).toContain(card.employee_id)
    expect(fs.existsSync(out)).toBe(false)
    expect(count(env, 'payroll_batches')).toBe(0)
    expect(count(env, "timecards WHERE status = 'certified'")).toBe(ONE)
    expect(await broken(env.db)).toEqual([{kind: 'timecard', id: Number(card.id), employeeId: card.employee_id, payPeriod: '2026-11-01', version: 1, status: 'certified'}])
    // audit verify names it among its broken seals (exit 3, its result document).
    const verify = cli(env, ['audit', 'verify', '--json'])
    expect(verify.code).toBe(3)
    expect(verify.json.ok).toBe(false)
    expect(verify.json.broken.filter((b: any) => b.kind === 'timecard')).toMatchObject([{id: `${card.employee_id}:2026-11-01:v1`, reason: 'content'}])

    // A seal missing is as broken as one that does not match.
    storeExec(env, `UPDATE timecard_lines SET hours = 800 WHERE timecard_id = ${Number(card.id)} AND work_date = '${line.work_date}'`)
    storeExec(env, `UPDATE timecards SET seal = NULL WHERE id = ${Number(card.id)}`)
    expect(cli(env, ['payroll', 'export', ...PP, '--out', out, '--json']).json.error.code).toBe('SEAL_BROKEN')
    expect(fs.existsSync(out)).toBe(false)

    // Certified again by custodian (amend, validate, certify), the card exports with the rest.
    const lines = storeRows<{work_date: string; hour_type: string; hours: number; accounting_code: string}>(env,
      'SELECT work_date, hour_type, hours, accounting_code FROM timecard_lines WHERE timecard_id = ? ORDER BY work_date', card.id)
    const file = path.join(env.dir, 'lines.csv')
    fs.writeFileSync(file, ['work_date,hour_type,hours,accounting_code', ...lines.map((l) => `${l.work_date},${l.hour_type},${Number(l.hours) / 100},${l.accounting_code}`), ''].join('\n'))
    expect(cli(env, ['timecards', 'amend', card.employee_id, ...PP, '--lines', file, '--reason', 'reseal']).code).toBe(0)
    expect(cli(env, ['timecards', 'validate', ...PP, '--json']).json).toMatchObject({validated: 1})
    expect(cli(env, ['timecards', 'certify', ...PP, '--json']).json).toMatchObject({certified: 1})
    const ok = cli(env, ['payroll', 'export', ...PP, '--out', out, '--json'])
    expect(ok.code).toBe(0)
    expect(ok.json).toMatchObject({records: records(env), employees: ONE, corrections: 0})
    // The superseded version keeps its broken seal; audit verify will name it.
    expect((await broken(env.db)).map((b) => [b.id, b.version])).toEqual([[Number(card.id), 1]])
  }, 300_000) // a dozen commands: on a loaded machine's PostgreSQL, more than the default two minutes

  it('a normal cycle exports, and the exported cards keep matching seals', async () => {
    const env = certifiedPeriod(ONE, 1)
    const out = path.join(env.dir, 'pp.nfc')
    const r = cli(env, ['payroll', 'export', ...PP, '--out', out, '--json'])
    expect(r.code).toBe(0)
    expect(r.json).toMatchObject({records: records(env), employees: ONE})
    expect(count(env, "timecards WHERE status = 'exported' AND seal IS NOT NULL")).toBe(ONE)
    expect(await broken(env.db)).toEqual([])
    const verify = cli(env, ['audit', 'verify', '--json'])
    expect([verify.code, verify.json.ok, verify.json.broken]).toEqual([0, true, []])
    expect(verify.json.seals.find((seal: any) => seal.kind === 'timecard')).toMatchObject({checked: true, records: ONE})
  })
})
