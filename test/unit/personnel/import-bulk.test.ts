import fs from 'node:fs'
import path from 'node:path'
import {afterEach, beforeEach, describe, expect, it} from 'vitest'

import type {Operator} from '../../../src/auth/roles.js'
import {CustodianError} from '../../../src/errors.js'
import {runImport} from '../../../src/imports/engine.js'
import {personnelImport} from '../../../src/personnel/import.js'
import type {Store} from '../../../src/store/index.js'
import {PERSONNEL_HEADER, personnelLine} from '../../helpers/cli.js'
import {tempKeyedStore} from '../../helpers/temp-store.js'

// A bulk load (a file larger than the store): the SQLite import drops the employees indexes it does not read
// through and makes them again once the rows are in (import.ts, deferIndexes). The store-dependent checks must
// come out as for a small file, the indexes must be back as they were, and a roll-back must keep them.
// Its worker thread runs the built dist/ copy: `npm run build` first.
const admin: Operator = {name: 'admin', role: 'admin', orgPrefix: null, employeeId: null}
const ROWS = 30_000
let store: Store
let dir: string

beforeEach(async () => {
  ;({store, dir} = await tempKeyedStore('custodian-pb-'))
})
afterEach(async () => {
  await store.close()
  fs.rmSync(dir, {recursive: true, force: true})
})

async function importLines(lines: string[], opts: {dryRun?: boolean; strict?: boolean} = {}) {
  const file = path.join(dir, `f${Math.random()}.csv`)
  fs.writeFileSync(file, `${PERSONNEL_HEADER}\n${lines.join('\n')}\n`)
  return runImport(store, admin, personnelImport, {file, today: '2026-11-23', ...opts})
}
const issues = (r: Awaited<ReturnType<typeof importLines>>) => [...r.errors, ...r.warnings].map((e) => `${e.row}:${e.column}:${e.code}`)
const indexes = () => store.sqlite.prepare("SELECT name, sql FROM sqlite_schema WHERE type = 'index' AND tbl_name = 'employees' ORDER BY name").all()
/** A valid SSN of its own for each i (area 100-799, group 11, serial 1000-9999). */
/** The store's schema version: every DROP INDEX and CREATE INDEX that commits adds one. */
const schemaVersion = () => store.sqlite.pragma('schema_version', {simple: true}) as number
const ssn = (i: number) => `${100 + Math.floor(i / 9000)}11${1000 + (i % 9000)}`

/** ROWS rows E0000001.. with their own SSNs and emails, and at known rows what the store-dependent checks decide. */
function bulkLines(): string[] {
  const lines = Array.from({length: ROWS}, (_, i) => personnelLine({employee_id: `E${String(i + 1).padStart(7, '0')}`, ssn: ssn(i + 1), email: `p${i + 1}@agency.example.gov`, supervisor_id: i === 0 ? '' : 'E0000001'}))
  lines[99] = personnelLine({employee_id: 'E0000050', ssn: ssn(900_000)}) // row 100: PE-DUP-ROW of row 50
  lines[199] = personnelLine({employee_id: 'E0000200', ssn: ssn(7)}) // row 200: PE-SSN-DUP (row 7 took it)
  lines[299] = personnelLine({employee_id: 'E0000300', last_name: '1'}) // row 300: PE-NAME ...
  lines[399] = personnelLine({employee_id: 'E0000300', ssn: ssn(900_001)}) // ... row 400: PE-DUP-ROW of that rejected row
  lines[499] = personnelLine({employee_id: 'S0000001', ssn: '123-45-6701'}) // row 500: updates the stored employee (its email)
  lines[599] = personnelLine({employee_id: 'E0000600', ssn: '123-45-6701'}) // row 600: PE-SSN-DUP (the stored employee's)
  lines[699] = personnelLine({employee_id: 'E0000700', ssn: ssn(700), supervisor_id: 'NOPE'}) // row 700: PE-SUPERVISOR
  return lines
}

describe('personnel import of a file larger than the store (SQLite)', () => {
  it('decides every store-dependent check as a small import does, and leaves the indexes as they were', async () => {
    await importLines([personnelLine({employee_id: 'S0000001', ssn: '123-45-6701', email: 'boss@agency.example.gov'})])
    const before = indexes()
    const version = schemaVersion()
    const r = await importLines(bulkLines())
    expect(schemaVersion()).toBe(version + 8) // the import took the bulk-load path: 4 indexes dropped and made again
    expect(issues(r)).toEqual(['100:employee_id:PE-DUP-ROW', '200:ssn:PE-SSN-DUP', '300:last_name:PE-NAME', '400:employee_id:PE-DUP-ROW', '600:ssn:PE-SSN-DUP', '700:supervisor_id:PE-SUPERVISOR'])
    expect(r).toMatchObject({rowsRead: ROWS, inserted: ROWS - 6, updated: 1, rejected: 5})
    expect(indexes()).toEqual(before)
    expect(store.sqlite.pragma('integrity_check', {simple: true})).toBe('ok')
    // The indexes answer again (made from every row): by email and by org.
    const plan = store.sqlite.prepare("EXPLAIN QUERY PLAN SELECT employee_id FROM employees WHERE email = 'p123@agency.example.gov' COLLATE NOCASE").all() as {detail: string}[]
    expect(plan.map((p) => p.detail).join(' ')).toContain('employees_email')
    expect(store.sqlite.prepare("SELECT employee_id FROM employees WHERE email = 'P123@agency.example.gov' COLLATE NOCASE").pluck().get()).toBe('E0000123')
    expect(store.sqlite.prepare("SELECT count(*) FROM employees WHERE org_code = '030105'").pluck().get()).toBe(ROWS - 5)
    const history = store.sqlite.prepare("SELECT action, count(*) AS n FROM employee_history GROUP BY action ORDER BY action").all()
    expect(history).toEqual([{action: 'import.insert', n: ROWS - 6 + 1}, {action: 'import.update', n: 1}])
  }, 120_000)

  it('keeps the indexes when the import rolls back (a dry run, --strict with rejects)', async () => {
    const before = indexes()
    const version = schemaVersion()
    const dry = await importLines(bulkLines(), {dryRun: true})
    expect(dry).toMatchObject({batchId: null, rowsRead: ROWS, rejected: 5})
    expect(indexes()).toEqual(before)
    await expect(importLines(bulkLines(), {strict: true})).rejects.toBeInstanceOf(CustodianError)
    expect(indexes()).toEqual(before)
    expect(schemaVersion()).toBe(version)
    expect(store.sqlite.prepare('SELECT count(*) FROM employees').pluck().get()).toBe(0)
  }, 120_000)
})
