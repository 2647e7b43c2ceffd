import fs from 'node:fs'
import path from 'node:path'
import {beforeAll, describe, expect, it} from 'vitest'

import {NOTICE_HEADINGS} from '../../src/systems/notice.js'
import {addOperator, cli, fixtureCycle, freshStore, onPostgres, storeExec, storeRows} from '../helpers/cli.js'

type Env = ReturnType<typeof freshStore>

const as = (env: Env, operator: string, args: string[]) => cli({...env, operator}, [...args, '--json'])

/** The headings of a notice, in the order it gives them. */
const headings = (markdown: string) => [...markdown.matchAll(/^\*\*([^*]+):\*\*/gm)].map((m) => m[1])

/** The body of one section of a notice: from its heading to the next. */
function section(markdown: string, heading: string): string {
  const start = markdown.indexOf(`**${heading}:**`)
  expect(start, heading).toBeGreaterThanOrEqual(0)
  const rest = markdown.slice(start + heading.length + 5)
  const next = rest.search(/^\*\*[A-Z]/m)
  return (next === -1 ? rest : rest.slice(0, next)).trim()
}

describe('systems of records', () => {
  let env: Env
  beforeAll(() => {
    env = freshStore()
    fixtureCycle(env, 'exported')
    addOperator(env, 'rex', 'records-officer')
    addOperator(env, 'po', 'privacy-officer')
    addOperator(env, 'aud', 'auditor')
    addOperator(env, 'lia', 'liaison')
  })

  it('systems list: every built-in system with the record types it holds, for every role', () => {
    for (const operator of ['tk', 'sam', 'pay', 'rex', 'po', 'aud', 'lia', 'admin']) {
      const r = as(env, operator, ['systems', 'list'])
      expect(r.code, operator).toBe(0)
      expect(r.json.systems.map((s: any) => s.id)).toEqual(['OPM/GOVT-1', 'USPS-550.000', 'DHS/ALL-002', 'DOL-CRM', 'PA-REQUESTS'])
    }
    const {systems} = as(env, 'tk', ['systems', 'list']).json
    expect(systems[0]).toEqual({
      id: 'OPM/GOVT-1', name: 'General Personnel Records (time and attendance, payroll interchange)',
      sorn: 'OPM/GOVT-1, General Personnel Records, 71 FR 35356 (June 19, 2006)', recordTypes: ['timecard', 'payroll_batch', 'employee'],
    })
    expect(systems[1].sorn).toMatch(/FR Doc\. 2022-01062/)
    expect(systems[4].recordTypes).toEqual(['request', 'disclosure'])
    // Outreach staff (liaison) read the notices, not the personnel system's records.
    expect(as(env, 'lia', ['personnel', 'list']).code).toBe(4)
    const human = cli({...env, operator: 'aud'}, ['systems', 'list'])
    expect(human.stdout).toMatch(/^OPM\/GOVT-1 +General Personnel Records .* timecard, payroll_batch, employee$/m)
  })

  it('systems show: the notice texts from the store, categories of records with the schedules\' periods, routine uses', () => {
    const r = as(env, 'sam', ['systems', 'show', 'opm/govt-1'])
    expect(r.code).toBe(0)
    expect(Object.keys(r.json)).toEqual(['id', 'name', 'sorn', 'authority', 'purposes', 'categoriesOfIndividuals', 'categoriesOfRecords', 'routineUses',
      'safeguards', 'recordAccessProcedures', 'contestingProcedures', 'notificationProcedures'])
    expect(r.json.id).toBe('OPM/GOVT-1')
    expect(r.json.authority).toMatch(/^5 U\.S\.C\. 1302, 3109, .* and Executive Order 9397\.$/)
    expect(r.json.categoriesOfRecords).toEqual([
      {recordType: 'timecard', description: 'timecard (every version, with its lines and history)', retrievedBy: ['employee_id', 'pay period'], schedule: 'GRS-2.4-030', retainMonths: 36, trigger: 'end of its pay period'},
      {recordType: 'payroll_batch', description: 'payroll interchange batch (the file as sent and its detail)', retrievedBy: ['batch id', 'employee_id'], schedule: 'GRS-2.4-010', retainMonths: 36, trigger: 'batch export date'},
      {recordType: 'employee', description: 'employee profile (with its change history)', retrievedBy: ['employee_id', 'ssn', 'email', 'name'], schedule: 'TA-PROFILE', retainMonths: 36, trigger: 'separation date, and only once no timecard of the employee remains'},
    ])
    expect(r.json.routineUses).toEqual([{code: 'OPM/GOVT-1-PAY', description: expect.stringMatching(/^To the payroll service provider \(the USDA National Finance Center\)/)}])

    const usps = as(env, 'tk', ['systems', 'show', 'USPS-550.000']).json
    expect(usps.authority).toBe('39 U.S.C. 401, 403, and 404.')
    expect(usps.routineUses.map((u: any) => u.code)).toEqual([...Array.from({length: 9}, (_, i) => `USPS-550.000-${i + 1}`), 'USPS-550.000-BREACH'])
    expect(usps.routineUses.at(-1).description).toMatch(/^To appropriate agencies, entities, and persons when \(1\) the Postal Service suspects or has confirmed that there has been a breach/)
    expect(usps.notificationProcedures).toMatch(/address inquiries in writing to the Chief Information Officer and Executive Vice President/)
    expect(as(env, 'tk', ['systems', 'show', 'DOL-CRM']).json.routineUses).toEqual([])
  })

  it('an unknown system is exit 5, SYSTEM_NOT_FOUND, for show and notice alike', () => {
    for (const args of [['systems', 'show', 'OPM/GOVT-9'], ['systems', 'notice', 'NOPE'], ['systems', 'notice', 'NOPE', '--out', path.join(env.dir, 'nope.md')]]) {
      const r = as(env, 'aud', args)
      expect(r.code, args.join(' ')).toBe(5)
      expect(r.json.error.code).toBe('SYSTEM_NOT_FOUND')
      expect(r.json.error.message).toMatch(/Systems: OPM\/GOVT-1, USPS-550\.000, DHS\/ALL-002, DOL-CRM, PA-REQUESTS\./)
    }
    expect(fs.existsSync(path.join(env.dir, 'nope.md'))).toBe(false)
  })

  it('systems notice: the headings of USPS 550.000 in its order; retrieval from the record types, retention from the schedules as they are now', () => {
    const before = as(env, 'tk', ['systems', 'notice', 'OPM/GOVT-1'])
    expect(before.code).toBe(0)
    expect(before.json.file).toBeNull()
    const md: string = before.json.markdown
    expect(headings(md)).toEqual([...NOTICE_HEADINGS])
    expect(headings(md)).toEqual([
      'SYSTEM NAME AND NUMBER', 'SECURITY CLASSIFICATION', 'SYSTEM LOCATION', 'SYSTEM MANAGER(S)', 'AUTHORITY FOR MAINTENANCE OF THE SYSTEM',
      'PURPOSE(S) OF THE SYSTEM', 'CATEGORIES OF INDIVIDUALS COVERED BY THE SYSTEM', 'CATEGORIES OF RECORDS IN THE SYSTEM', 'RECORD SOURCE CATEGORIES',
      'ROUTINE USES OF RECORDS MAINTAINED IN THE SYSTEM, INCLUDING CATEGORIES OF USERS AND THE PURPOSES OF SUCH USES',
      'POLICIES AND PRACTICES FOR STORAGE OF RECORDS', 'POLICIES AND PRACTICES FOR RETRIEVAL OF RECORDS',
      'POLICIES AND PRACTICES FOR RETENTION AND DISPOSAL OF RECORDS', 'ADMINISTRATIVE, TECHNICAL, AND PHYSICAL SAFEGUARDS',
      'RECORD ACCESS PROCEDURES', 'CONTESTING RECORD PROCEDURES', 'NOTIFICATION PROCEDURES', 'EXEMPTIONS PROMULGATED FOR THE SYSTEM', 'HISTORY',
    ])
    expect(section(md, 'POLICIES AND PRACTICES FOR RETRIEVAL OF RECORDS')).toContain('1. Records of type `timecard` are retrievable by `employee_id` and `pay period`.')
    const retention = section(md, 'POLICIES AND PRACTICES FOR RETENTION AND DISPOSAL OF RECORDS')
    expect(retention).toMatch(/^1\. Records of type `timecard` are retained 36 months \(the period runs from: end of its pay period\), then destroyed\. Schedule `GRS-2\.4-030`/)
    expect(section(md, 'ROUTINE USES OF RECORDS MAINTAINED IN THE SYSTEM, INCLUDING CATEGORIES OF USERS AND THE PURPOSES OF SUCH USES')).toMatch(/^- OPM\/GOVT-1-PAY: To the payroll service provider/)
    // The human output is the notice itself.
    expect(cli({...env, operator: 'tk'}, ['systems', 'notice', 'OPM/GOVT-1']).stdout).toBe(md)

    expect(as(env, 'rex', ['retention', 'schedules', 'set', 'GRS-2.4-030', '--retain-months', '72']).code).toBe(0)
    const after = as(env, 'tk', ['systems', 'notice', 'OPM/GOVT-1']).json
    expect(section(after.markdown, 'POLICIES AND PRACTICES FOR RETENTION AND DISPOSAL OF RECORDS')).toMatch(/^1\. Records of type `timecard` are retained 72 months /)
    expect(after.sha256).not.toBe(before.json.sha256)
    expect(as(env, 'tk', ['systems', 'show', 'OPM/GOVT-1']).json.categoriesOfRecords[0].retainMonths).toBe(72)
    expect(as(env, 'rex', ['retention', 'schedules', 'set', 'GRS-2.4-030', '--retain-months', '36']).code).toBe(0)

    // A system whose records this store does not keep (one an agency added) says so, rather than inventing a
    // retrieval or a period; with no routine uses, it says none.
    const columns = ['id', 'name', 'sorn', 'security_classification', 'location', 'manager', 'authority', 'purposes', 'categories_of_individuals',
      'categories_of_records', 'record_sources', 'storage', 'safeguards', 'record_access', 'contesting', 'notification', 'exemptions', 'history']
    storeExec(env, `INSERT INTO systems (${columns.join(', ')}) VALUES ('AGENCY-9', ${columns.slice(1).map((c) => `'${c} text'`).join(', ')})`)
    expect(as(env, 'tk', ['systems', 'list']).json.systems.at(-1)).toEqual({id: 'AGENCY-9', name: 'name text', sorn: 'sorn text', recordTypes: []})
    const empty = as(env, 'tk', ['systems', 'notice', 'agency-9']).json.markdown
    expect(headings(empty)).toEqual([...NOTICE_HEADINGS])
    expect(section(empty, 'POLICIES AND PRACTICES FOR RETENTION AND DISPOSAL OF RECORDS')).toBe('This store keeps no records of this system.')
    expect(section(empty, 'POLICIES AND PRACTICES FOR RETRIEVAL OF RECORDS')).toBe('This store keeps no records of this system.')
    expect(section(empty, 'ROUTINE USES OF RECORDS MAINTAINED IN THE SYSTEM, INCLUDING CATEGORIES OF USERS AND THE PURPOSES OF SUCH USES')).toMatch(/^None/)
    expect(section(empty, 'HISTORY')).toBe('history text')
  })

  it('systems notice --out writes the notice (0600) through the output protocol, audited; an existing file is replaced', () => {
    const file = path.join(env.dir, 'usps.md')
    fs.writeFileSync(file, 'old')
    const r = as(env, 'aud', ['systems', 'notice', 'USPS-550.000', '--out', file])
    expect(r.code).toBe(0)
    expect(r.json).toEqual({id: 'USPS-550.000', file, sha256: expect.stringMatching(/^[0-9a-f]{64}$/), markdown: null})
    const text = fs.readFileSync(file, 'utf8')
    expect(headings(text)).toEqual([...NOTICE_HEADINGS])
    expect(text).toBe(as(env, 'aud', ['systems', 'notice', 'USPS-550.000']).json.markdown)
    expect(fs.statSync(file).mode & 0o777).toBe(0o600)
    expect(fs.readdirSync(env.dir).filter((n) => n.endsWith('.tmp'))).toEqual([])
    const log = as(env, 'aud', ['audit', 'log', '--action', 'systems.notice']).json.entries
    expect(log.at(-1)).toMatchObject({actor: 'aud', action: 'systems.notice', recordType: 'system', recordId: 'USPS-550.000', digest: r.json.sha256})
    if (!onPostgres) expect(as(env, 'aud', ['systems', 'notice', 'OPM/GOVT-1', '--out', env.db]).code).toBe(2)
  })

  it('disclosures record: the routine use must be one of the disclosed record\'s system; else exit 2, ROUTINE_USE_UNKNOWN, with the valid codes', () => {
    const base = ['disclosures', 'record', '--employee', 'E1001', '--recipient', 'Office of Personnel Management', '--address', '1900 E St NW, Washington, DC 20415', '--purpose', 'Retirement eligibility review', '--date', '2026-11-20']
    const count = () => Number(storeRows(env, 'SELECT count(*) AS n FROM disclosures')[0].n)
    const before = count()
    const bad = as(env, 'po', [...base, '--routine-use', 'USPS-550.000-BREACH'])
    expect(bad.code).toBe(2)
    expect(bad.json.error).toMatchObject({code: 'ROUTINE_USE_UNKNOWN', system: 'OPM/GOVT-1', validCodes: ['OPM/GOVT-1-PAY']})
    expect(bad.json.error.message).toMatch(/not a routine use of OPM\/GOVT-1.*Its routine uses: OPM\/GOVT-1-PAY\./)
    expect(as(env, 'po', [...base, '--routine-use', 'RU-7']).json.error.code).toBe('ROUTINE_USE_UNKNOWN')
    // The payroll batch is in OPM/GOVT-1 too; a request is in PA-REQUESTS, which has no routine uses yet.
    expect(as(env, 'po', [...base, '--record', 'payroll_batch:B000000001', '--routine-use', 'DHS/ALL-002-1']).json.error.validCodes).toEqual(['OPM/GOVT-1-PAY'])
    expect(count()).toBe(before)

    const added = as(env, 'admin', ['systems', 'routine-use', 'set', 'OPM/GOVT-1', 'opm/govt-1-7', '--description', 'To the Office of Personnel Management for retirement eligibility reviews.'])
    expect(added.code).toBe(0)
    expect(added.json).toEqual({system: 'OPM/GOVT-1', code: 'OPM/GOVT-1-7', description: 'To the Office of Personnel Management for retirement eligibility reviews.', previous: null})
    const ok = as(env, 'po', [...base, '--routine-use', 'opm/govt-1-7'])
    expect(ok.code).toBe(0)
    expect(ok.json).toMatchObject({routineUse: 'OPM/GOVT-1-7', recordType: 'employee', recordRef: 'E1001'})
    expect(as(env, 'po', [...base, '--routine-use', 'OPM/GOVT-1-7']).code).toBe(0)
    expect(count()).toBe(before + 2)
    expect(as(env, 'po', [...base, '--routine-use', 'USPS-550.000-BREACH']).json.error.validCodes).toEqual(['OPM/GOVT-1-7', 'OPM/GOVT-1-PAY'])
    expect(as(env, 'tk', ['systems', 'show', 'OPM/GOVT-1']).json.routineUses.map((u: any) => u.code)).toEqual(['OPM/GOVT-1-7', 'OPM/GOVT-1-PAY'])
  })

  it('systems routine-use set: admin only, codes of the system\'s own form; a change keeps the code and says what it replaced', () => {
    const set = (operator: string, system: string, code: string, description = 'To the Merit Systems Protection Board for appeals.') =>
      as(env, operator, ['systems', 'routine-use', 'set', system, code, '--description', description])
    expect(set('po', 'OPM/GOVT-1', 'OPM/GOVT-1-8').code).toBe(4)
    expect(set('admin', 'OPM/GOVT-1', 'USPS-550.000-8').code).toBe(2)
    expect(set('admin', 'OPM/GOVT-1', 'OPM/GOVT-1-').code).toBe(2)
    expect(set('admin', 'OPM/GOVT-1', 'OPM/GOVT-1-8', '  ').code).toBe(2)
    expect(set('admin', 'NOPE', 'NOPE-1').code).toBe(5)
    expect(set('admin', 'OPM/GOVT-1', 'OPM/GOVT-1-8').json.previous).toBeNull()
    const changed = set('admin', 'OPM/GOVT-1', 'OPM/GOVT-1-8', 'To the Merit Systems Protection Board for appeals and investigations.')
    expect(changed.json).toMatchObject({code: 'OPM/GOVT-1-8', previous: 'To the Merit Systems Protection Board for appeals.'})
    expect(as(env, 'aud', ['audit', 'log', '--action', 'systems.routine-use.set']).json.entries.at(-1)).toMatchObject({actor: 'admin', recordType: 'routine_use', recordId: 'OPM/GOVT-1-8'})
  })
})

describe('payroll exports are accounted under the payroll routine use of their system', () => {
  it('each disclosure of an export carries OPM/GOVT-1-PAY, which is a routine use of OPM/GOVT-1', () => {
    const env = freshStore()
    fixtureCycle(env, 'exported')
    const rows = storeRows(env, 'SELECT DISTINCT routine_use, record_type FROM disclosures')
    expect(rows).toEqual([{routine_use: 'OPM/GOVT-1-PAY', record_type: 'payroll_batch'}])
    expect(as(env, 'pay', ['systems', 'show', 'OPM/GOVT-1']).json.routineUses.map((u: any) => u.code)).toContain('OPM/GOVT-1-PAY')
    expect(storeRows(env, 'SELECT value FROM settings WHERE key = ?', 'payroll.routine_use')).toEqual([])
  })
})
