import fs from 'node:fs'
import path from 'node:path'
import {beforeEach, describe, expect, it} from 'vitest'

import {FIXTURES, PERSONNEL_HEADER, addOperator, cli, freshStore, personnelLine, writeFile} from '../helpers/cli.js'

const FIXTURE = path.join(FIXTURES, 'personnel.csv')
const AS_OF = ['--as-of', '2026-11-23']
type Store = ReturnType<typeof freshStore>

function employeeCount(env: Store): number {
  return cli(env, ['personnel', 'list', '--json', ...AS_OF]).json.employees.length
}

describe('personnel import', () => {
  let env: Store
  beforeEach(() => {
    env = freshStore()
    addOperator(env, 'tk', 'timekeeper')
  })

  it('stores valid rows, rejects bad ones with row, column and code, and writes the rejects CSV (0600)', () => {
    const rejects = path.join(env.dir, 'rejects.csv')
    const r = cli({...env, operator: 'tk'}, ['personnel', 'import', FIXTURE, '--rejects', rejects, '--json', ...AS_OF])
    expect(r.code).toBe(0)
    expect(r.json).toMatchObject({file: FIXTURE, rowsRead: 11, inserted: 7, updated: 0, rejected: 4, rejectsFile: rejects})
    expect(r.json.batchId).toBeTypeOf('number')
    expect(r.json.sha256).toMatch(/^[0-9a-f]{64}$/)
    const codes = r.json.errors.map((e: any) => `${e.row}:${e.column}:${e.code}`)
    expect(codes).toEqual(expect.arrayContaining([
      '6:last_name:PE-NAME', '8:ssn:PE-SSN', '8:email:PE-EMAIL', '8:grade:PE-GRADE',
      '9:step:PE-STEP', '9:scheduled_hours:PE-HOURS', '10:employee_id:PE-DUP-ROW',
    ]))
    expect(r.json.warnings).toEqual([expect.objectContaining({row: 11, column: 'supervisor_id', code: 'PE-SUPERVISOR'})])
    const text = fs.readFileSync(rejects, 'utf8')
    const lines = text.trim().split('\n')
    expect(lines[0]).toBe(`row,${PERSONNEL_HEADER},errors`)
    expect(lines).toHaveLength(5)
    expect(lines[1]).toMatch(/^6,E1005,.*PE-NAME/)
    expect(fs.statSync(rejects).mode & 0o777).toBe(0o600)
    expect(employeeCount(env)).toBe(7)
  })

  it('a missing file or a folder is exit 5 (FILE_NOT_FOUND), saying which, and nothing is imported', () => {
    const missing = cli({...env, operator: 'tk'}, ['personnel', 'import', path.join(env.dir, 'nope.csv'), '--json', ...AS_OF])
    expect(missing.code).toBe(5)
    expect(missing.json.error).toMatchObject({code: 'FILE_NOT_FOUND', message: `File not found: ${path.join(env.dir, 'nope.csv')}`})
    const folder = cli({...env, operator: 'tk'}, ['personnel', 'import', env.dir, '--json', ...AS_OF])
    expect(folder.code).toBe(5)
    expect(folder.json.error).toMatchObject({code: 'FILE_NOT_FOUND', message: `${env.dir} is a folder, not a file: give the path of the file itself.`})
    expect(employeeCount(env)).toBe(0)
  })

  it('neutralises formulas in the rejects file', () => {
    const file = writeFile(env.dir, 'evil.csv', `${PERSONNEL_HEADER}\n${personnelLine({last_name: '=HYPERLINK("http://x","y")', employee_id: 'E3001'})}\n`)
    const rejects = path.join(env.dir, 'rej.csv')
    const r = cli({...env, operator: 'tk'}, ['personnel', 'import', file, '--rejects', rejects, '--json', ...AS_OF])
    expect(r.json.rejected).toBe(1)
    expect(fs.readFileSync(rejects, 'utf8')).toContain(`"'=HYPERLINK(""http://x"",""y"")"`)
  })

  it('refuses the same content twice (exit 6) unless --force, which updates', () => {
    const first = cli({...env, operator: 'tk'}, ['personnel', 'import', FIXTURE, '--json', ...AS_OF])
    const again = cli({...env, operator: 'tk'}, ['personnel', 'import', FIXTURE, '--json', ...AS_OF])
    expect(again.code).toBe(6)
    expect(again.json.error).toMatchObject({code: 'ALREADY_IMPORTED', batchId: first.json.batchId})
    const forced = cli({...env, operator: 'tk'}, ['personnel', 'import', FIXTURE, '--force', '--json', ...AS_OF])
    expect(forced.code).toBe(0)
    expect(forced.json).toMatchObject({inserted: 0, updated: 7, rejected: 4})
  })

  it('--dry-run checks everything and stores nothing (and does not count as imported)', () => {
    const dry = cli({...env, operator: 'tk'}, ['personnel', 'import', FIXTURE, '--dry-run', '--json', ...AS_OF])
    expect(dry.code).toBe(0)
    expect(dry.json).toMatchObject({batchId: null, rowsRead: 11, inserted: 7, rejected: 4, dryRun: true})
    expect(employeeCount(env)).toBe(0)
    expect(cli({...env, operator: 'tk'}, ['personnel', 'import', FIXTURE, '--json', ...AS_OF]).code).toBe(0)
  })

  it('--strict stores nothing when any row is rejected (exit 3), and everything when none is', () => {
    const rejects = path.join(env.dir, 'strict-rejects.csv')
    const r = cli({...env, operator: 'tk'}, ['personnel', 'import', FIXTURE, '--strict', '--rejects', rejects, '--json', ...AS_OF])
    expect(r.code).toBe(3)
    expect(r.json.error).toMatchObject({code: 'IMPORT_REJECTED', rejected: 4, rowsRead: 11})
    expect(fs.existsSync(rejects)).toBe(true)
    expect(employeeCount(env)).toBe(0)
    const clean = writeFile(env.dir, 'clean.csv', `${PERSONNEL_HEADER}\n${personnelLine()}\n${personnelLine({employee_id: 'E2002', ssn: '123-45-6702'})}\n`)
    const ok = cli({...env, operator: 'tk'}, ['personnel', 'import', clean, '--strict', '--json', ...AS_OF])
    expect(ok.code).toBe(0)
    expect(ok.json.inserted).toBe(2)
  })

  it.each([
    ['unknown column', `${PERSONNEL_HEADER},shoe_size\n${personnelLine()},42\n`, 'CSV-UNKNOWN-COLUMN'],
    ['missing column', `employee_id,last_name\nE1,Doe\n`, 'CSV-MISSING-COLUMN'],
    ['no data rows', `${PERSONNEL_HEADER}\n`, 'CSV-EMPTY'],
    ['empty file', '', 'CSV-EMPTY'],
    ['unbalanced quote', `${PERSONNEL_HEADER}\n${personnelLine()}\n"E2002,broken\n`, 'CSV-MALFORMED'],
    ['ragged row', `${PERSONNEL_HEADER}\n${personnelLine()}\nE2002,1,2\n`, 'CSV-MALFORMED'],
    ['latin-1 bytes', Buffer.concat([Buffer.from(`${PERSONNEL_HEADER}\n`), Buffer.from(personnelLine({last_name: 'Jos\u00e9'}).replace('é', 'X')), Buffer.from([0xe9, 0x0a])]), 'CSV-ENCODING'],
  ])('a file with %s stops before anything is stored (exit 3, %s)', (_what, content, code) => {
    cli({...env, operator: 'tk'}, ['personnel', 'import', FIXTURE, '--json', ...AS_OF])
    const file = writeFile(env.dir, 'bad.csv', content)
    const r = cli({...env, operator: 'tk'}, ['personnel', 'import', file, '--json', ...AS_OF])
    expect(r.code).toBe(3)
    expect(r.json.error.code).toBe(code)
    expect(r.json.error.message).toBeTypeOf('string')
    expect(employeeCount(env)).toBe(7)
  })

  it('names the unknown columns and skips them with --ignore-unknown', () => {
    const file = writeFile(env.dir, 'extra.csv', `${PERSONNEL_HEADER},Shoe_Size\n${personnelLine()},42\n`)
    const refused = cli({...env, operator: 'tk'}, ['personnel', 'import', file, '--json', ...AS_OF])
    expect(refused.json.error.columns).toEqual(['Shoe_Size'])
    const ok = cli({...env, operator: 'tk'}, ['personnel', 'import', file, '--ignore-unknown', '--json', ...AS_OF])
    expect(ok.json.inserted).toBe(1)
  })

  it('accepts a BOM, CRLF, any header order and case, and quoted line breaks', () => {
    const header = PERSONNEL_HEADER.split(',').reverse()
    const line = (id: string, ssn: string) => personnelLine({employee_id: id, ssn, last_name: 'Núñez', first_name: "D'Arcy"}).split(',').reverse().join(',')
    const content = `\uFEFF${header.map((h) => ` ${h.toUpperCase()} `).join(',')}\r\n${line('e2001', '123-45-6701')}\r\n${line('E2002', '123456702')}\r\n`
    const file = writeFile(env.dir, 'bom.csv', content)
    const r = cli({...env, operator: 'tk'}, ['personnel', 'import', file, '--json', ...AS_OF])
    expect(r.json).toMatchObject({inserted: 2, rejected: 0})
    const shown = cli({...env, operator: 'tk'}, ['personnel', 'show', 'E2001', '--json'])
    expect(shown.json).toMatchObject({employeeId: 'E2001', lastName: 'Núñez', firstName: "D'Arcy"})
    const quoted = writeFile(env.dir, 'q.csv', `${PERSONNEL_HEADER}\n${personnelLine({employee_id: 'E2003', ssn: '', last_name: 'Line\nBreak'})}\n`)
    const q = cli({...env, operator: 'tk'}, ['personnel', 'import', quoted, '--json', ...AS_OF])
    expect(q.json.errors).toEqual([expect.objectContaining({row: 1, column: 'last_name', code: 'PE-NAME'})])
  })

  it('rejects an SSN already held by another employee, in the store or earlier in the file', () => {
    cli({...env, operator: 'tk'}, ['personnel', 'import', FIXTURE, '--json', ...AS_OF])
    const file = writeFile(env.dir, 'dup.csv', `${PERSONNEL_HEADER}\n${personnelLine({employee_id: 'E2001', ssn: '123-45-6781'})}\n${personnelLine({employee_id: 'E2002', ssn: '123-45-6702'})}\n${personnelLine({employee_id: 'E2003', ssn: '123456702'})}\n`)
    const r = cli({...env, operator: 'tk'}, ['personnel', 'import', file, '--json', ...AS_OF])
    expect(r.json.errors.map((e: any) => `${e.row}:${e.code}`)).toEqual(['1:PE-SSN-DUP', '3:PE-SSN-DUP'])
    expect(r.stdout).not.toMatch(/6781|6702/)
  })

  it('lets a row take an SSN an earlier row gave up, never one an earlier row took (row order, as read)', () => {
    cli({...env, operator: 'tk'}, ['personnel', 'import', FIXTURE, '--json', ...AS_OF])
    const rows = [
      {employee_id: 'E1001', ssn: '123-45-6782'}, // E1002's: rejected
      {employee_id: 'E1002', ssn: '123-45-6711'}, // gives 6782 up
      {employee_id: 'E2001', ssn: '123-45-6782'}, // so this one may have it
      {employee_id: 'E2002', ssn: '123-45-6711'}, // E1002 took it in row 2: rejected
      {employee_id: 'E1003', ssn: ''}, // gives 6783 up
      {employee_id: 'E2003', ssn: '123-45-6783'},
    ]
    const file = writeFile(env.dir, 'order.csv', `${PERSONNEL_HEADER}\n${rows.map((r) => personnelLine(r)).join('\n')}\n`)
    const r = cli({...env, operator: 'tk'}, ['personnel', 'import', file, '--json', ...AS_OF])
    expect(r.json).toMatchObject({rowsRead: 6, inserted: 2, updated: 2, rejected: 2})
    expect(r.json.errors.map((e: any) => `${e.row}:${e.code}`)).toEqual(['1:PE-SSN-DUP', '4:PE-SSN-DUP'])
    expect(cli({...env, operator: 'tk'}, ['personnel', 'show', 'E2001', '--json']).json.ssn).toBe('***-**-6782')
    expect(cli({...env, operator: 'tk'}, ['personnel', 'show', 'E2003', '--json']).json.ssn).toBe('***-**-6783')
    expect(cli({...env, operator: 'tk'}, ['personnel', 'show', 'E1002', '--json']).json.ssn).toBe('***-**-6711')
  })

  it('updates only the columns the file carries', () => {
    cli({...env, operator: 'tk'}, ['personnel', 'import', FIXTURE, '--json', ...AS_OF])
    const file = writeFile(env.dir, 'partial.csv', 'employee_id,last_name,first_name,pay_plan,grade,step,tour_of_duty,scheduled_hours,agency_code,org_code,service_comp_date\nE1001,Okafor-Reyes,Adaeze,GS,14,1,FT,80,HS,030105,2012-03-18\n')
    const r = cli({...env, operator: 'tk'}, ['personnel', 'import', file, '--json', ...AS_OF])
    expect(r.json).toMatchObject({updated: 1, rejected: 0})
    const shown = cli({...env, operator: 'tk'}, ['personnel', 'show', 'E1001', '--json']).json
    expect(shown).toMatchObject({lastName: 'Okafor-Reyes', grade: '14', step: 1, email: 'adaeze.okafor@agency.example.gov', annualLeaveBalance: 112.5, ssn: '***-**-6781'})
  })

  it('never puts an SSN in its output, errors or rejects reasons', () => {
    const file = writeFile(env.dir, 'ssn.csv', `${PERSONNEL_HEADER}\n${personnelLine({ssn: '666-12-3456'})}\n`)
    const rejects = path.join(env.dir, 'r.csv')
    const r = cli({...env, operator: 'tk'}, ['personnel', 'import', file, '--rejects', rejects])
    expect(r.stdout + r.stderr).not.toMatch(/666-?12-?3456/)
    const reasons = fs.readFileSync(rejects, 'utf8').split('\n')[1].split(',').at(-1)
    expect(reasons).not.toMatch(/666-?12-?3456/)
  })
})

describe('personnel show, list, separate', () => {
  let env: Store
  beforeEach(() => {
    env = freshStore()
    addOperator(env, 'tk', 'timekeeper')
    addOperator(env, 'po', 'privacy-officer')
    addOperator(env, 'tk-scoped', 'timekeeper', ['--org', '030105'])
    cli({...env, operator: 'tk'}, ['personnel', 'import', FIXTURE, '--json', ...AS_OF])
  })

  it('shows the employee with the contract keys and the SSN masked', () => {
    const r = cli({...env, operator: 'tk'}, ['personnel', 'show', 'e1001', '--json', ...AS_OF])
    expect(r.code).toBe(0)
    expect(Object.keys(r.json).sort()).toEqual([
      'agencyCode', 'annualLeaveBalance', 'compTimeBalance', 'email', 'employeeId', 'firstName', 'grade', 'hireDate', 'lastName',
      'middleName', 'orgCode', 'payPlan', 'scheduledHours', 'separationDate', 'serviceCompDate', 'sickLeaveBalance', 'ssn', 'status',
      'step', 'supervisorId', 'tourOfDuty',
    ])
    expect(r.json).toMatchObject({employeeId: 'E1001', ssn: '***-**-6781', scheduledHours: 80, annualLeaveBalance: 112.5, status: 'active'})
    const human = cli({...env, operator: 'tk'}, ['personnel', 'show', 'E1001'])
    expect(human.stdout).toContain('***-**-6781')
    expect(human.stdout).not.toContain('123-45-6781')
  })

  it('reveals the SSN only to a privacy officer, and audits it', () => {
    const denied = cli({...env, operator: 'tk'}, ['personnel', 'show', 'E1001', '--reveal-ssn', '--json'])
    expect(denied.code).toBe(4)
    expect(denied.stdout).not.toContain('6781-')
    const shown = cli({...env, operator: 'po'}, ['personnel', 'show', 'E1001', '--reveal-ssn', '--json'])
    expect(shown.json.ssn).toBe('123-45-6781')
    addOperator(env, 'aud', 'auditor')
    const log = cli({...env, operator: 'aud'}, ['audit', 'log', '--action', 'personnel.reveal-ssn', '--json'])
    expect(log.json.entries).toEqual([expect.objectContaining({actor: 'po', action: 'personnel.reveal-ssn', recordType: 'employee'})])
  })

  it('lists with --org and --status filters, masked, within the operator scope', () => {
    const all = cli({...env, operator: 'tk'}, ['personnel', 'list', '--json', ...AS_OF]).json.employees
    expect(all.map((e: any) => e.employeeId)).toEqual(['E1000', 'E1001', 'E1002', 'E1003', 'E1004', 'E1006', 'E1009'])
    expect(all.every((e: any) => e.ssn === null || /^\*\*\*-\*\*-\d{4}$/.test(e.ssn))).toBe(true)
    const sep = cli({...env, operator: 'tk'}, ['personnel', 'list', '--status', 'separated', '--json', ...AS_OF]).json.employees
    expect(sep.map((e: any) => e.employeeId)).toEqual(['E1004'])
    const org = cli({...env, operator: 'tk'}, ['personnel', 'list', '--org', '030210', '--json', ...AS_OF]).json.employees
    expect(org.map((e: any) => e.employeeId)).toEqual(['E1004', 'E1006'])
    const scoped = cli({...env, operator: 'tk-scoped'}, ['personnel', 'list', '--json', ...AS_OF]).json.employees
    expect(scoped.map((e: any) => e.employeeId)).toEqual(['E1001', 'E1002', 'E1003', 'E1009'])
  })

  it('answers "not found" for an employee outside the scope, and rejects out-of-scope import rows with PE-SCOPE', () => {
    const r = cli({...env, operator: 'tk-scoped'}, ['personnel', 'show', 'E1000', '--json'])
    expect(r.code).toBe(5)
    expect(r.json.error.code).toBe('EMPLOYEE_NOT_FOUND')
    const file = writeFile(env.dir, 'scope.csv', `${PERSONNEL_HEADER}\n${personnelLine({employee_id: 'E2001', org_code: '030210'})}\n${personnelLine({employee_id: 'E2002', ssn: '123-45-6702', org_code: '03010501'})}\n`)
    const imp = cli({...env, operator: 'tk-scoped'}, ['personnel', 'import', file, '--json', ...AS_OF])
    expect(imp.json).toMatchObject({inserted: 1, rejected: 1})
    expect(imp.json.errors).toEqual([expect.objectContaining({row: 1, column: 'org_code', code: 'PE-SCOPE'})])
  })

  it('separates an employee and refuses bad dates and unknown employees', () => {
    const r = cli({...env, operator: 'tk'}, ['personnel', 'separate', 'E1009', '--date', '2026-10-31', '--json', ...AS_OF])
    expect(r.code).toBe(0)
    expect(r.json).toEqual({employeeId: 'E1009', separationDate: '2026-10-31', status: 'separated'})
    expect(cli({...env, operator: 'tk'}, ['personnel', 'show', 'E1009', '--json', ...AS_OF]).json.status).toBe('separated')
    expect(cli({...env, operator: 'tk'}, ['personnel', 'separate', 'E1009', '--date', '2026-02-30', '--json']).code).toBe(2)
    expect(cli({...env, operator: 'tk'}, ['personnel', 'separate', 'E1009', '--date', '2000-01-01', '--json']).code).toBe(2)
    expect(cli({...env, operator: 'tk'}, ['personnel', 'separate', 'E9999', '--date', '2026-10-31', '--json']).code).toBe(5)
    expect(cli({...env, operator: 'po'}, ['personnel', 'separate', 'E1001', '--date', '2026-10-31', '--json']).code).toBe(4)
  })
})
