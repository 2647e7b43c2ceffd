import fs from 'node:fs'
import path from 'node:path'
import {afterEach, beforeEach, describe, expect, it} from 'vitest'

import type {Operator} from '../../../src/auth/roles.js'
import {runImport} from '../../../src/imports/engine.js'
import {personnelImport} from '../../../src/personnel/import.js'
import type {Store} from '../../../src/store/index.js'
import {PERSONNEL_HEADER, personnelLine} from '../../helpers/cli.js'
import {tempKeyedStore} from '../../helpers/temp-store.js'

// The personnel codes that need the store: PE-DUP-ROW, PE-SSN-DUP, PE-SCOPE, PE-SUPERVISOR, through the
// import engine against a real temporary store (no CLI process).
const admin: Operator = {name: 'admin', role: 'admin', orgPrefix: null, employeeId: null}
let store: Store
let dir: string

beforeEach(async () => {
  ;({store, dir} = await tempKeyedStore('custodian-pi-'))
})
afterEach(async () => store.close())

async function importLines(lines: string[], operator = admin) {
  const file = path.join(dir, `f${Math.random()}.csv`)
  fs.writeFileSync(file, `${PERSONNEL_HEADER}\n${lines.join('\n')}\n`)
  return runImport(store, operator, personnelImport, {file, today: '2026-11-23'})
}
const issues = (r: Awaited<ReturnType<typeof importLines>>) => [...r.errors, ...r.warnings].map((e) => `${e.row}:${e.column}:${e.code}`)

describe('store-dependent personnel checks', () => {
  it('PE-DUP-ROW rejects the later row with the same employee_id, even when the first was rejected', async () => {
    const r = await importLines([personnelLine({employee_id: 'E1'.padEnd(4, '0')}), personnelLine({employee_id: 'e100', ssn: '123-45-6702'})])
    expect(issues(r)).toEqual(['2:employee_id:PE-DUP-ROW'])
    const r2 = await importLines([personnelLine({employee_id: 'E200', last_name: '1'}), personnelLine({employee_id: 'E200', ssn: '123-45-6703'})])
    expect(issues(r2)).toEqual(['1:last_name:PE-NAME', '2:employee_id:PE-DUP-ROW'])
  })

  it('no PE-DUP-ROW for different ids, nor across two imports (the second updates)', async () => {
    expect(issues(await importLines([personnelLine({employee_id: 'E100'}), personnelLine({employee_id: 'E101', ssn: '123-45-6702'})]))).toEqual([])
    const again = await importLines([personnelLine({employee_id: 'E100'})])
    expect(issues(again)).toEqual([])
    expect(again.updated).toBe(1)
  })

  it('PE-SSN-DUP for an SSN held by another employee in the store or earlier in the file; not for the same employee', async () => {
    await importLines([personnelLine({employee_id: 'E100', ssn: '123-45-6701'})])
    const r = await importLines([
      personnelLine({employee_id: 'E100', ssn: '123456701'}),
      personnelLine({employee_id: 'E101', ssn: '123-45-6701'}),
      personnelLine({employee_id: 'E102', ssn: '123-45-6799'}),
      personnelLine({employee_id: 'E103', ssn: '123-45-6799'}),
    ])
    expect(issues(r)).toEqual(['2:ssn:PE-SSN-DUP', '4:ssn:PE-SSN-DUP'])
  })

  it('PE-SCOPE for a new org or an existing employee outside the operator\'s prefix; none inside it', async () => {
    await importLines([personnelLine({employee_id: 'E100', org_code: '0302'})])
    const scoped: Operator = {name: 'tk', role: 'timekeeper', orgPrefix: '0301', employeeId: null}
    const r = await importLines([
      personnelLine({employee_id: 'E100', ssn: '', org_code: '030105'}),
      personnelLine({employee_id: 'E101', ssn: '', org_code: '0302'}),
      personnelLine({employee_id: 'E102', ssn: '', org_code: '030105'}),
      personnelLine({employee_id: 'E103', ssn: '', org_code: '0301'}),
    ], scoped)
    expect(issues(r)).toEqual(['1:employee_id:PE-SCOPE', '2:org_code:PE-SCOPE'])
    expect(r.inserted).toBe(2)
  })

  it('PE-SUPERVISOR warns for an unknown supervisor (row still stored), not for one in the store or later in the file', async () => {
    await importLines([personnelLine({employee_id: 'S100', ssn: ''})])
    const r = await importLines([
      personnelLine({employee_id: 'E100', ssn: '', supervisor_id: 'S100'}),
      personnelLine({employee_id: 'E101', ssn: '', supervisor_id: 's200'}),
      personnelLine({employee_id: 'E102', ssn: '', supervisor_id: 'NOPE'}),
      personnelLine({employee_id: 'S200', ssn: ''}),
    ])
    expect(issues(r)).toEqual(['3:supervisor_id:PE-SUPERVISOR'])
    expect(r).toMatchObject({inserted: 4, rejected: 0})
  })
})
