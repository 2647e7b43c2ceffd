import {parse} from 'csv-parse/sync'
import fs from 'node:fs'
import path from 'node:path'
import {afterEach, beforeEach, describe, expect, it} from 'vitest'

import type {Operator} from '../../../src/auth/roles.js'
import {CustodianError} from '../../../src/errors.js'
import {runImport} from '../../../src/imports/engine.js'
import {personnelImport} from '../../../src/personnel/import.js'
import type {Store} from '../../../src/store/index.js'
import {timesheetImport} from '../../../src/timecards/import.js'
import {employeeLookup} from '../../../src/timecards/import-lines.js'
import {PERSONNEL_HEADER, csvCell, personnelLine} from '../../helpers/cli.js'
import {tempKeyedStore} from '../../helpers/temp-store.js'
import {prng} from '../../helpers/prng.js'

// The timesheet import through the import engine against a real temporary store (its worker thread runs the
// built dist/ copy: `npm run build` first). A generated file of 20,000 lines, several batches of the worker,
// holds every kind of reject at known rows; a small model of RULES.md says what each row must come to.

const admin: Operator = {name: 'admin', role: 'admin', orgPrefix: null, employeeId: null}
const timekeeper: Operator = {name: 'tk', role: 'timekeeper', orgPrefix: '0301', employeeId: null}
const HEADER = 'employee_id,work_date,hour_type,hours,accounting_code,pay_period_start'
const PERIOD_A = '2026-11-01' // cards already in the store
const PERIOD_B = '2026-11-15' // cards the import creates
const EMPLOYEES = 40 // E3000..E3039; E3030.. are in org 0402, outside the timekeeper's scope

let store: Store
let dir: string

beforeEach(async () => {
  ;({store, dir} = await tempKeyedStore('custodian-ti-'))
  const people = Array.from({length: EMPLOYEES}, (_, i) => personnelLine({employee_id: `E${3000 + i}`, ssn: `123-45-${6700 + i}`, org_code: i < 30 ? '030105' : '0402', email: `e${i}@agency.example.gov`}))
  const file = path.join(dir, 'people.csv')
  fs.writeFileSync(file, `${PERSONNEL_HEADER}\n${people.join('\n')}\n`)
  expect((await runImport(store, admin, personnelImport, {file, today: '2026-11-23'})).inserted).toBe(EMPLOYEES)
})
afterEach(async () => {
  await store.close()
  fs.rmSync(dir, {recursive: true, force: true})
})

async function importText(text: string, operator = admin, opts: {rejects?: boolean} = {}) {
  const file = path.join(dir, `t${Math.random()}.csv`)
  fs.writeFileSync(file, text)
  const rejects = opts.rejects ? path.join(dir, `r${Math.random()}.csv`) : undefined
  const result = await runImport(store, operator, timesheetImport, {file, rejects, today: '2026-11-23'})
  return {result, rejects: rejects ? (parse(fs.readFileSync(rejects)) as string[][]) : []}
}


const addDays = (d: string, n: number) => new Date(Date.parse(`${d}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10)
const TYPES = new Set(['REG', 'OT', 'AL', 'SL', 'CTE', 'CTU', 'HOL', 'HOLW', 'ND', 'SUN', 'LWOP', 'AWOL'])

interface Line {
  cells: string[] // as written in the file (employee_id, work_date, hour_type, hours, accounting_code, pay_period_start)
}

/** What RULES.md says one row comes to, given what the store and the earlier rows hold. */
function model(lines: Line[], stored: Map<string, number>, locked: Set<string>, operator: Operator) {
  const accepted = new Set<string>()
  const issues: string[] = []
  let inserted = 0
  let updated = 0
  const final = new Map(stored)
  lines.forEach(({cells}, i) => {
    const row = i + 1
    const [emp, date, type, hours, account, pps] = cells.map((c) => c.trim())
    const found: string[] = []
    ;(['employee_id', 'work_date', 'hour_type', 'hours', 'accounting_code'] as const).forEach((c, k) => {
      if ([emp, date, type, hours, account][k] === '') found.push(`${row}:${c}:TS-REQUIRED`)
    })
    const dateOk = /^\d{4}-\d{2}-\d{2}$/.test(date) && addDays(date, 0) === date
    if (date !== '' && !dateOk) found.push(`${row}:work_date:TS-DATE`)
    if (type !== '' && !TYPES.has(type.toUpperCase())) found.push(`${row}:hour_type:TS-TYPE`)
    const h = /^\d{1,2}(\.\d{1,2})?$/.test(hours) ? Math.round(Number(hours) * 100) : Number.NaN
    if (hours !== '' && !(h > 0 && h <= 2400 && h % 25 === 0)) found.push(`${row}:hours:TS-HOURS`)
    if (account !== '' && !/^[A-Z0-9.-]{1,20}$/.test(account.toUpperCase())) found.push(`${row}:accounting_code:TS-ACCOUNT`)
    const period = dateOk ? (date < PERIOD_B ? PERIOD_A : PERIOD_B) : ''
    if (pps !== '' && dateOk && pps !== period) found.push(`${row}:pay_period_start:TS-PERIOD`)
    const id = emp.toUpperCase()
    const n = Number(id.slice(1))
    if (id !== '') {
      if (!/^E\d{4}$/.test(id) || n < 3000 || n >= 3000 + EMPLOYEES) found.push(`${row}:employee_id:TS-EMPLOYEE`)
      else if (operator.orgPrefix && n >= 3030) found.push(`${row}:employee_id:TS-SCOPE`)
    }
    if (found.length === 0 && locked.has(`${id}|${period}`)) found.push(`${row}:work_date:TS-LOCKED`)
    const key = `${id}|${date}|${type.toUpperCase()}|${account.toUpperCase()}`
    if (found.length === 0 && accepted.has(key)) found.push(`${row}:hour_type:TS-DUP-ROW`)
    if (found.length > 0) {
      issues.push(found.join(' '))
      return
    }
    accepted.add(key)
    if (stored.has(key)) updated++
    else inserted++
    final.set(key, h)
  })
  return {issues, inserted, updated, final}
}

/** Lines of PERIOD_A for E3000..E3009 (stored before the big file), and the cards locked afterwards. */
async function seedPeriodA(): Promise<{stored: Map<string, number>; locked: Set<string>}> {
  const stored = new Map<string, number>()
  const rows: string[] = []
  for (let e = 3000; e < 3010; e++) {
    for (let d = 1; d <= 5; d++) {
      const date = addDays(PERIOD_A, d)
      rows.push(`E${e},${date},REG,8,HS-A`)
      stored.set(`E${e}|${date}|REG|HS-A`, 800)
    }
  }
  const {result} = await importText(`employee_id,work_date,hour_type,hours,accounting_code\n${rows.join('\n')}\n`)
  expect(result.inserted).toBe(50)
  const ref = (id: string) => `(SELECT id FROM employees WHERE employee_id = '${id}')`
  store.sqlite.exec(`UPDATE timecards SET status = 'certified' WHERE employee_ref = ${ref('E3000')}`)
  store.sqlite.exec(`UPDATE timecards SET status = 'exported' WHERE employee_ref = ${ref('E3001')}`)
  store.sqlite.exec(`UPDATE timecards SET status = 'validated' WHERE employee_ref = ${ref('E3002')}`)
  return {stored, locked: new Set([`E3000|${PERIOD_A}`, `E3001|${PERIOD_A}`])}
}

/** 20,000 lines: runs of an employee's lines in one period (as files come), with defects sprinkled in. */
function generate(count: number, seed: number): Line[] {
  const next = prng(seed)
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(next() * xs.length)]
  const lines: Line[] = []
  while (lines.length < count) {
    const e = Math.floor(next() * (EMPLOYEES + 2)) // two past the end: not in the store
    const period = next() < 0.3 ? PERIOD_A : PERIOD_B
    const run = 1 + Math.floor(next() * 30)
    for (let k = 0; k < run && lines.length < count; k++) {
      const cells = [`E${3000 + e}`, addDays(period, 1 + Math.floor(next() * 12)), pick(['REG', 'REG', 'AL', 'SL', 'OT']), pick(['8', '4', '7.5', '2.25', '0.5']), pick(['HS-A', 'HS-B', 'hs-c']), next() < 0.2 ? period : '']
      if (next() < 0.06) {
        const defect = pick(['hours', 'hours0', 'date', 'type', 'account', 'noemp', 'pps', 'two', 'blank'])
        if (defect === 'hours') cells[3] = '7.3'
        if (defect === 'hours0') cells[3] = '25'
        if (defect === 'date') cells[1] = '2026-02-30'
        if (defect === 'type') cells[2] = 'XYZ'
        if (defect === 'account') cells[4] = 'HS_01'
        if (defect === 'noemp') cells[0] = ''
        if (defect === 'pps') cells[5] = addDays(period, 14)
        if (defect === 'two') {
          cells[3] = '99'
          cells[0] = 'E9999'
        }
        if (defect === 'blank') cells[2] = ' '
      }
      if (next() < 0.05) cells[0] = ` ${cells[0].toLowerCase()} ` // trimmed and upper-cased by the import
      lines.push({cells})
    }
  }
  return lines
}

const text = (lines: Line[], eol = '\n') => `${HEADER}${eol}${lines.map((l, i) => (i % 997 === 5 ? eol : '') + l.cells.map((c) => (c.includes(' ') ? `"${c}"` : csvCell(c))).join(',')).join(eol)}${eol}`

/** "row:column:CODE ..." of each rejects-file row. */
const rejectIssues = (rejects: string[][]) => rejects.slice(1).map((r) => [...r.at(-1)!.matchAll(/(TS-[A-Z-]+) (\w+):/g)].map((m) => `${r[0]}:${m[2]}:${m[1]}`).join(' '))

describe('timesheets import (worker thread + main thread)', () => {
  it('gives every row of a 20,000-line file the outcome RULES.md says, across many batches, with its cells in the rejects file', async () => {
    const {stored, locked} = await seedPeriodA()
    const lines = generate(20_000, 11)
    const expected = model(lines, stored, locked, timekeeper)
    // The file must exercise every outcome.
    for (const code of ['REQUIRED', 'DATE', 'TYPE', 'HOURS', 'ACCOUNT', 'PERIOD', 'EMPLOYEE', 'SCOPE', 'LOCKED', 'DUP-ROW']) {
      expect(expected.issues.some((s) => s.includes(`TS-${code}`)), code).toBe(true)
    }
    expect(expected.updated).toBeGreaterThan(0)

    const {result, rejects} = await importText(text(lines, '\r\n'), timekeeper, {rejects: true})
    expect({rowsRead: result.rowsRead, inserted: result.inserted, updated: result.updated, rejected: result.rejected})
      .toEqual({rowsRead: 20_000, inserted: expected.inserted, updated: expected.updated, rejected: expected.issues.length})
    expect(rejectIssues(rejects)).toEqual(expected.issues)
    // Each rejected row is in the rejects file as the file has it.
    for (const r of rejects.slice(1)) expect(r.slice(1, 7)).toEqual(lines[Number(r[0]) - 1].cells)
    expect(result.errors.map((e) => `${e.row}:${e.column}:${e.code}`)).toEqual(expected.issues.flatMap((s) => s.split(' ')).slice(0, 100))
    for (const e of result.errors) expect(e.message.length).toBeGreaterThan(10)

    const inStore = store.sqlite.prepare(`SELECT e.employee_id AS id, l.work_date AS date, l.hour_type AS type, l.accounting_code AS account, l.hours
      FROM timecard_lines l JOIN timecards t ON t.id = l.timecard_id JOIN employees e ON e.id = t.employee_ref`).all() as {id: string; date: string; type: string; account: string; hours: number}[]
    expect(new Map(inStore.map((l) => [`${l.id}|${l.date}|${l.type}|${l.account}`, l.hours]))).toEqual(expected.final)
    // The validated card went back to draft; the locked ones did not move.
    const status = (id: string) => store.sqlite.prepare(`SELECT t.status FROM timecards t JOIN employees e ON e.id = t.employee_ref WHERE e.employee_id = ? AND t.pay_period_start = ?`).pluck().get(id, PERIOD_A)
    expect([status('E3000'), status('E3001'), status('E3002')]).toEqual(['certified', 'exported', 'draft'])
    // One "lines imported" history row per card that got lines.
    const history = store.sqlite.prepare(`SELECT count(*) FROM timecard_history WHERE changes LIKE '%lines imported%' AND actor = 'tk'`).pluck().get()
    const cards = store.sqlite.prepare(`SELECT count(DISTINCT timecard_id) FROM timecard_lines WHERE batch_id = ?`).pluck().get(result.batchId)
    expect(history).toBe(cards)
  })

  it('stores a line repeated inside one 64-line statement once and rejects the repeat', async () => {
    const rows = Array.from({length: 100}, (_, i) => `E3005,${addDays(PERIOD_B, 1 + (i % 12))},REG,1,ACC-${Math.floor(i / 12)}`)
    rows.splice(40, 0, rows[10]) // row 41 repeats row 11, in the same chunk
    rows.push(rows[0]) // the last row repeats the first, in another chunk
    const {result} = await importText(`employee_id,work_date,hour_type,hours,accounting_code\n${rows.join('\n')}\n`)
    expect(result.errors.map((e) => `${e.row}:${e.code}`)).toEqual(['41:TS-DUP-ROW', '102:TS-DUP-ROW'])
    expect(result.inserted).toBe(100)
  })

  it('refuses the same content twice (ALREADY_IMPORTED, nothing stored, no rejects file) unless forced; foreign keys are checked again after', async () => {
    const content = `${HEADER}\nE3005,2026-11-16,REG,8,A,\nE3005,2026-11-16,REG,8,A,\n`
    const file = path.join(dir, 'same.csv')
    fs.writeFileSync(file, content)
    const first = await runImport(store, admin, timesheetImport, {file, today: '2026-11-23'})
    expect(first).toMatchObject({inserted: 1, rejected: 1})
    const rejects = path.join(dir, 'again-rejects.csv')
    const error = await runImport(store, admin, timesheetImport, {file, rejects, today: '2026-11-23'}).then(() => undefined, (e: unknown) => e)
    expect(error).toMatchObject({code: 'ALREADY_IMPORTED', details: {batchId: first.batchId, sha256: first.sha256}})
    expect(fs.existsSync(rejects)).toBe(false)
    expect(store.sqlite.prepare('SELECT count(*) FROM import_batches WHERE kind = ?').pluck().get('timesheets')).toBe(1)
    const forced = await runImport(store, admin, timesheetImport, {file, force: true, today: '2026-11-23'})
    expect(forced).toMatchObject({updated: 1, rejected: 1, sha256: first.sha256})
    expect(store.sqlite.prepare('SELECT sha256 FROM import_batches WHERE id = ?').pluck().get(forced.batchId)).toBe(first.sha256)
    expect(store.sqlite.pragma('foreign_keys', {simple: true})).toBe(1)
  })

  it('finds employees the same way with a cache large enough for all of them or for only a few', () => {
    const ids = ['E3000', 'E3029', 'E3030', 'E3039', 'E9999', 'e3000', '', 'E3000', 'E3030']
    const ref = (id: string) => store.sqlite.prepare('SELECT id FROM employees WHERE employee_id = ?').pluck().get(id) as number | undefined
    const expected = ids.map((id) => (ref(id) === undefined ? 0 : Number(id.slice(1)) >= 3030 ? -ref(id)! : ref(id)!))
    expect(expected.filter((r) => r < 0)).toHaveLength(3)
    const large = employeeLookup(store.sqlite, timekeeper)
    const small = employeeLookup(store.sqlite, timekeeper, 2)
    expect([...ids, ...ids].map(large)).toEqual([...expected, ...expected])
    expect([...ids, ...ids].map(small)).toEqual([...expected, ...expected])
    expect(ids.map(employeeLookup(store.sqlite, admin, 2)).every((r) => r >= 0)).toBe(true)
  })

  it('reads a header longer than the worker reads at a time (an unknown column skipped)', async () => {
    const file = path.join(dir, 'wide.csv')
    fs.writeFileSync(file, `${HEADER},${'n'.repeat(200_000)}\nE3005,2026-11-16,REG,8,A,,x\n`)
    const r = await runImport(store, admin, timesheetImport, {file, ignoreUnknown: true, today: '2026-11-23'})
    expect(r).toMatchObject({rowsRead: 1, inserted: 1, rejected: 0})
  })

  it.each([
    ['an empty file', '', 'CSV-EMPTY'],
    ['a header only', `${HEADER}\n`, 'CSV-EMPTY'],
    ['an unknown column', 'employee_id,work_date,hour_type,hours,accounting_code,notes\nE3005,2026-11-16,REG,8,A,x\n', 'CSV-UNKNOWN-COLUMN'],
    ['a missing column', 'employee_id,work_date,hour_type,hours\nE3005,2026-11-16,REG,8\n', 'CSV-MISSING-COLUMN'],
    ['a ragged row far into the file', `${HEADER}\n${'E3005,2026-11-16,REG,8,A,\n'.repeat(9000)}E3005,2026-11-16\n`, 'CSV-MALFORMED'],
    ['bad UTF-8', Buffer.concat([Buffer.from(`${HEADER}\nE3005,2026-11-16,REG,8,`), Buffer.from([0xc3, 0x28]), Buffer.from(',\n')]), 'CSV-ENCODING'],
  ])('refuses %s with the file-level code and stores nothing', async (_name, content, code) => {
    const file = path.join(dir, 'bad.csv')
    fs.writeFileSync(file, content)
    const before = store.sqlite.prepare('SELECT count(*) FROM import_batches').pluck().get()
    const error = await runImport(store, admin, timesheetImport, {file, today: '2026-11-23'}).then(() => undefined, (e: unknown) => e)
    expect(error).toBeInstanceOf(CustodianError)
    expect((error as CustodianError).code).toBe(code)
    expect(store.sqlite.prepare('SELECT count(*) FROM timecard_lines').pluck().get()).toBe(0)
    expect(store.sqlite.prepare('SELECT count(*) FROM import_batches').pluck().get()).toBe(before)
    expect(store.sqlite.pragma('foreign_keys', {simple: true})).toBe(1)
  })
})
