import fs from 'node:fs'
import path from 'node:path'
import {afterEach, beforeEach, describe, expect, it} from 'vitest'

import type {Operator} from '../../../src/auth/roles.js'
import {runImport} from '../../../src/imports/engine.js'
import {personnelImport} from '../../../src/personnel/import.js'
import {employee} from '../../../src/records/types/employee.js'
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

  it('a first load (no employees yet) and a load into a store with employees tell a repeated employee_id the same: PE-DUP-ROW before scope, SSN or supervisor', async () => {
    const scoped: Operator = {name: 'tk', role: 'timekeeper', orgPrefix: '0301', employeeId: null}
    const lines = [
      personnelLine({employee_id: 'E100', ssn: '123-45-6701', org_code: '030101'}),
      personnelLine({employee_id: 'E101', ssn: '123-45-6702', org_code: '030101', supervisor_id: 'E100'}),
      personnelLine({employee_id: 'E100', ssn: '123-45-6703', org_code: '030101'}), // the same id
      personnelLine({employee_id: 'E100', ssn: '123-45-6704', org_code: '0302'}), // the same id, outside the scope
      personnelLine({employee_id: 'E100', ssn: '123-45-6702', org_code: '030101'}), // the same id, E101's SSN
      personnelLine({employee_id: 'E101', ssn: '123-45-6702', org_code: '030101', supervisor_id: 'E999'}), // the same id, an unknown supervisor
      personnelLine({employee_id: 'E102', ssn: '123-45-6702', org_code: '030101'}), // E101's SSN
      personnelLine({employee_id: 'E103', ssn: '123-45-6705', org_code: '0302'}), // outside the scope
      personnelLine({employee_id: 'E103', ssn: '123-45-6706', org_code: '030101'}), // the id of a rejected row
      personnelLine({employee_id: 'E104', ssn: '123-45-6707', org_code: '030101', supervisor_id: 'E998'}),
    ]
    const expected = ['3:employee_id:PE-DUP-ROW', '4:employee_id:PE-DUP-ROW', '5:employee_id:PE-DUP-ROW', '6:employee_id:PE-DUP-ROW',
      '7:ssn:PE-SSN-DUP', '8:org_code:PE-SCOPE', '9:employee_id:PE-DUP-ROW', '10:supervisor_id:PE-SUPERVISOR']
    const first = await importLines(lines, scoped)
    expect(issues(first).sort()).toEqual([...expected].sort())
    expect(first).toMatchObject({inserted: 3, updated: 0, rejected: 7})
    // The same file into another store that holds an employee already: the same answers.
    await store.close()
    ;({store, dir} = await tempKeyedStore('custodian-pi-'))
    await importLines([personnelLine({employee_id: 'E900', ssn: '123-45-6799', org_code: '030101'})])
    const later = await importLines(lines, scoped)
    expect(issues(later).sort()).toEqual([...expected].sort())
    expect(later).toMatchObject({inserted: 3, updated: 0, rejected: 7})
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

  it('PE-SSN-DUP for an employee updated to another\'s SSN: the row is left as it was, with no history and no supervisor warning', async () => {
    await importLines([personnelLine({employee_id: 'E100', ssn: '123-45-6701'}), personnelLine({employee_id: 'E101', ssn: '123-45-6702', last_name: 'Old'})])
    const row = () => store.sqlite.prepare("SELECT last_name, ssn_last4, supervisor_id, updated_at, (SELECT count(*) FROM employee_history h WHERE h.employee_ref = e.id) AS history FROM employees e WHERE employee_id = 'E101'").get()
    const before = row()
    const r = await importLines([
      personnelLine({employee_id: 'E101', ssn: '123-45-6701', last_name: 'New', supervisor_id: 'E999'}),
      personnelLine({employee_id: 'E102', ssn: '123-45-6702', supervisor_id: 'E998'}),
    ])
    expect(issues(r)).toEqual(['1:ssn:PE-SSN-DUP', '2:ssn:PE-SSN-DUP'])
    expect(r).toMatchObject({inserted: 0, updated: 0, rejected: 2})
    expect(row()).toEqual(before)
    expect(store.sqlite.prepare("SELECT count(*) FROM employees WHERE employee_id = 'E102'").pluck().get()).toBe(0)
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

describe('the history of an imported employee', () => {
  const historyOf = async (employeeId: string) => {
    const [record] = await employee.find(store, {employeeIds: [employeeId], emails: [], phones: [], userIds: [], caseNumbers: []})
    return record.history as {action: string; changes: unknown}[]
  }
  const stored = (employeeId: string) => store.sqlite.prepare(`SELECT h.action, h.changes FROM employee_history h JOIN employees e ON e.id = h.employee_ref
    WHERE e.employee_id = ? ORDER BY h.id`).all(employeeId) as {action: string; changes: string}[]

  it('an insert keeps the values brought in one compact object, read back as the field-by-field changes', async () => {
    await importLines([
      personnelLine({employee_id: 'E100', middle_name: 'Q.', annual_leave_balance: '112.5', supervisor_id: 'E101'}),
      personnelLine({employee_id: 'E101', ssn: '', email: '', grade: '9', comp_time_balance: '1.25'}),
    ])
    expect(stored('E100')).toEqual([{action: 'import.insert', changes: '{"ssn":"***-**-6701","last_name":"Doe","first_name":"Jane","middle_name":"Q.",'
      + '"email":"jane.doe@agency.example.gov","pay_plan":"GS","grade":"12","step":3,"tour_of_duty":"FT","scheduled_hours":80,"agency_code":"HS",'
      + '"org_code":"030105","supervisor_id":"E101","service_comp_date":"2015-01-04","hire_date":"2015-01-04","annual_leave_balance":112.5,'
      + '"sick_leave_balance":40,"comp_time_balance":0}'}])
    const [inserted] = await historyOf('E101')
    // No SSN, no email, no middle name: no change from null to null.
    expect(inserted).toMatchObject({action: 'import.insert', changes: [
      {field: 'last_name', from: null, to: 'Doe'}, {field: 'first_name', from: null, to: 'Jane'}, {field: 'pay_plan', from: null, to: 'GS'},
      {field: 'grade', from: null, to: '09'}, {field: 'step', from: null, to: 3}, {field: 'tour_of_duty', from: null, to: 'FT'},
      {field: 'scheduled_hours', from: null, to: 80}, {field: 'agency_code', from: null, to: 'HS'}, {field: 'org_code', from: null, to: '030105'},
      {field: 'service_comp_date', from: null, to: '2015-01-04'}, {field: 'hire_date', from: null, to: '2015-01-04'},
      {field: 'annual_leave_balance', from: null, to: 40}, {field: 'sick_leave_balance', from: null, to: 40}, {field: 'comp_time_balance', from: null, to: 1.25},
    ]})
  })

  it('an update keeps the array form; an insert stored in the array form (before the compact one) reads the same', async () => {
    await importLines([personnelLine({employee_id: 'E100'})])
    await importLines([personnelLine({employee_id: 'E100', ssn: '123-45-6702', org_code: '030106'})])
    const [insert, update] = stored('E100')
    expect(JSON.parse(update.changes)).toEqual([{field: 'ssn', from: '***-**-6701', to: '***-**-6702'}, {field: 'org_code', from: '030105', to: '030106'}])
    const compact = await historyOf('E100')
    const asArray = JSON.stringify(Object.entries(JSON.parse(insert.changes)).map(([field, to]) => ({field, from: null, to})))
    store.sqlite.prepare("UPDATE employee_history SET changes = ? WHERE action = 'import.insert'").run(asArray)
    expect(await historyOf('E100')).toEqual(compact)
    expect(compact.map((h) => h.action)).toEqual(['import.insert', 'import.update'])
    expect((compact[0].changes as unknown[]).length).toBe(16) // no middle name, supervisor, separation date
  })
})
