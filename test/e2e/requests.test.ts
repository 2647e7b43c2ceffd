import {createHash} from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import {beforeAll, describe, expect, it} from 'vitest'

import {RECORD_TYPES} from '../../src/records/registry.js'
import {pdfText} from '../helpers/pdf.js'
import {addOperator, cli, fixtureCycle, freshStore, PERSONNEL_HEADER, personnelLine, writeFile} from '../helpers/cli.js'

type Store = ReturnType<typeof freshStore>

/**
 * The fixture cycle up to a payroll export of pay period 2026-11-01 (so every record type exists: profiles,
 * timecards with history, a payroll batch, and one disclosure per exported employee), plus the privacy staff.
 */
function exportedStore(): Store {
  const env = freshStore()
  fixtureCycle(env, 'exported')
  addOperator(env, 'po', 'privacy-officer')
  addOperator(env, 'po0302', 'privacy-officer', ['--org', '0302'])
  addOperator(env, 'aud', 'auditor')
  return env
}

const po = (env: Store, args: string[], operator = 'po') => cli({...env, operator}, [...args, '--json'])
const sha = (data: Buffer | string) => createHash('sha256').update(data).digest('hex')

/** The text a PDF shows: the hex strings of its (uncompressed) TJ/Tj text operators, decoded. */
describe('opening requests', () => {
  let env: Store
  beforeAll(() => {
    env = exportedStore()
  })

  it('numbers requests PA-YYYY-NNNN by received year, with working-day clocks by type', () => {
    const a = po(env, ['requests', 'open', '--type', 'access', '--requester', 'Adaeze Okafor', '--employee', 'e1001', '--received', '2026-03-02'])
    expect(a.code).toBe(0)
    expect(a.json).toEqual({requestId: 'PA-2026-0001', type: 'access', status: 'open', received: '2026-03-02', acknowledgeBy: '2026-03-16', dueBy: '2026-03-30', warnings: []})
    const b = po(env, ['requests', 'open', '--type', 'amendment', '--requester', 'Adaeze Okafor', '--received', '2026-03-06'])
    expect(b.json).toMatchObject({requestId: 'PA-2026-0002', acknowledgeBy: '2026-03-20', dueBy: '2026-04-17'})
    const c = po(env, ['requests', 'open', '--type', 'accounting', '--requester', 'Adaeze Okafor', '--received', '2025-12-31'])
    expect(c.json).toMatchObject({requestId: 'PA-2025-0001', acknowledgeBy: '2026-01-15', dueBy: '2026-01-30'})
  })

  it('accepts a received date in the future with a warning (stderr; JSON warnings)', () => {
    const j = po(env, ['requests', 'open', '--type', 'access', '--requester', 'Adaeze Okafor', '--received', '2999-01-04'])
    expect(j.code).toBe(0)
    expect(j.json.warnings).toEqual([expect.stringMatching(/2999-01-04 is after today/)])
    const h = cli({...env, operator: 'po'}, ['requests', 'open', '--type', 'access', '--requester', 'Adaeze Okafor', '--received', '2999-01-04'])
    expect(h.code).toBe(0)
    expect(h.stderr).toMatch(/Warning: .*after today/)
    expect(h.stdout).toMatch(/Opened PA-2999-0002/)
  })

  it('refuses bad intake with usage errors (2), an unknown or out-of-scope employee (5), other roles (4)', () => {
    const open = (extra: string[], operator = 'po') => po(env, ['requests', 'open', '--type', 'access', '--requester', 'A B', ...extra], operator)
    expect(open(['--email', 'adaeze@agency']).json.error).toMatchObject({code: 'USAGE', message: expect.stringMatching(/--email/)})
    expect(open(['--received', '2026-02-30']).code).toBe(2)
    expect(open(['--phone', '555-0143']).code).toBe(2)
    const ssn = open(['--ssn', '000-12-3456'])
    expect(ssn.code).toBe(2)
    expect(ssn.stdout).not.toMatch(/000-?12-?3456/)
    expect(open(['--employee', 'E9999']).code).toBe(5)
    expect(open(['--employee', 'E1001'], 'po0302').code).toBe(5)
    expect(po(env, ['requests', 'open', '--type', 'access']).code).toBe(2)
    for (const operator of ['tk', 'aud', 'pay']) expect(open([], operator).code).toBe(4)
    expect(po(env, ['requests', 'list'], 'aud').code).toBe(4)
    expect(po(env, ['disclosures', 'record', '--employee', 'E1001', '--recipient', 'X', '--address', 'Y', '--purpose', 'Z'], 'tk').code).toBe(4)
  })

  it('stops on a name two employees share (exit 6, naming them) until the request names its subject', () => {
    const twin = writeFile(env.dir, 'twin.csv', `${PERSONNEL_HEADER}\n${personnelLine({employee_id: 'E2001', ssn: '123-45-6701', last_name: 'OKAFOR', first_name: 'Adaéze', email: 'a.okafor2@agency.example.gov'})}\n`)
    expect(cli({...env, operator: 'tk'}, ['personnel', 'import', twin, '--as-of', '2026-11-23']).code).toBe(0)
    po(env, ['requests', 'open', '--type', 'access', '--requester', 'Adaeze Okafor', '--received', '2026-11-02'])
    const r = po(env, ['requests', 'search', 'PA-2026-0003'])
    expect(r.code).toBe(6)
    expect(r.json.error).toMatchObject({code: 'SUBJECT_AMBIGUOUS', candidates: ['E1001', 'E2001']})
    po(env, ['requests', 'open', '--type', 'access', '--requester', 'Adaeze Okafor', '--employee', 'E2001', '--received', '2026-11-02'])
    expect(po(env, ['requests', 'search', 'PA-2026-0004']).json.subject).toMatchObject({employeeId: 'E2001', matchedBy: 'employee_id'})
  })

  it('lists open, overdue (as of a date) and closed requests; extends and closes once', () => {
    const ids = (args: string[]) => po(env, ['requests', 'list', ...args]).json.requests.map((r: any) => r.requestId)
    expect(ids(['--status', 'overdue', '--as-of', '2026-04-13'])).toEqual(['PA-2025-0001', 'PA-2026-0001'])
    const ext = po(env, ['requests', 'extend', 'PA-2026-0001', '--working-days', '10', '--reason', 'Records held at another site'])
    expect(ext.json).toEqual({requestId: 'PA-2026-0001', previousDueBy: '2026-03-30', dueBy: '2026-04-13', workingDays: 10, extensions: 1})
    expect(ids(['--status', 'overdue', '--as-of', '2026-04-13'])).toEqual(['PA-2025-0001'])
    expect(po(env, ['requests', 'extend', 'PA-2026-0001', '--working-days', '0', '--reason', 'x']).code).toBe(2)

    const closed = po(env, ['requests', 'close', 'PA-2025-0001', '--note', 'Accounting sent', '--date', '2026-01-20'])
    expect(closed.json).toEqual({requestId: 'PA-2025-0001', status: 'closed', closedOn: '2026-01-20', note: 'Accounting sent'})
    const again = po(env, ['requests', 'close', 'PA-2025-0001'])
    expect(again.code).toBe(6)
    expect(again.json.error.code).toBe('REQUEST_CLOSED')
    expect(po(env, ['requests', 'extend', 'PA-2025-0001', '--working-days', '5', '--reason', 'x']).code).toBe(6)
    expect(ids(['--status', 'closed'])).toEqual(['PA-2025-0001'])
    expect(ids(['--status', 'open', '--as-of', '2026-04-14'])).toEqual(['PA-2026-0001', 'PA-2026-0002', 'PA-2026-0003', 'PA-2026-0004', 'PA-2999-0001', 'PA-2999-0002'])

    const shown = po(env, ['requests', 'show', 'pa-2026-0001', '--as-of', '2026-04-14']).json
    expect(shown).toMatchObject({requestId: 'PA-2026-0001', status: 'open', overdue: true, dueBy: '2026-04-13', extensions: [{workingDays: 10, previousDueBy: '2026-03-30', dueBy: '2026-04-13', reason: 'Records held at another site', actor: 'po'}]})
    expect(po(env, ['requests', 'show', 'PA-2026-9999']).code).toBe(5)
  })
})

describe('access search and the response package', () => {
  let env: Store
  beforeAll(() => {
    env = exportedStore()
  })

  it('finds every record about the subject across the registry, by email (any case), masked', () => {
    po(env, ['requests', 'open', '--type', 'access', '--requester', 'Someone Else', '--email', 'ADAEZE.OKAFOR@Agency.Example.GOV', '--received', '2026-11-23'])
    const r = po(env, ['requests', 'search', 'PA-2026-0001'])
    expect(r.code).toBe(0)
    expect(r.json.subject).toEqual({
      employeeId: 'E1001', name: 'Okafor, Adaeze', orgCode: '030105', matchedBy: 'email',
      identifiers: {employeeIds: ['E1001'], emails: ['adaeze.okafor@agency.example.gov'], phones: [], userIds: [], caseNumbers: []},
    })
    expect(Object.keys(r.json.records)).toEqual([...RECORD_TYPES])
    const [card] = r.json.records.timecard
    expect(card).toMatchObject({employee_id: 'E1001', pay_period_start: '2026-11-01', status: 'exported'})
    expect(card.lines.length).toBeGreaterThan(0)
    expect(card.history.map((h: any) => h.action)).toEqual(expect.arrayContaining(['import', 'certify', 'export']))
    expect(r.json.records.payroll_batch).toEqual([expect.objectContaining({batch_id: 'B000000001', employee_id: 'E1001'})])
    expect(r.json.records.payroll_batch[0]).not.toHaveProperty('content')
    expect(r.json.records.employee).toEqual([expect.objectContaining({employee_id: 'E1001', ssn: '***-**-6781'})])
    expect(r.json.records.request.map((x: any) => x.request_id)).toEqual(['PA-2026-0001'])
    expect(r.json.records.disclosure).toHaveLength(1)
    expect(r.json.disclosures).toEqual([expect.objectContaining({recordType: 'payroll_batch', recordRef: 'B000000001', purpose: 'payroll processing'})])
    expect(r.stdout).not.toMatch(/123-?45-?678\d/)
  })

  it('resolves by name (case- and accent-insensitive) and by SSN; scoped operators see only their org', () => {
    po(env, ['requests', 'open', '--type', 'access', '--requester', 'JOSE NUNEZ', '--received', '2026-11-23'])
    const byName = po(env, ['requests', 'search', 'PA-2026-0002'])
    expect(byName.json.subject).toMatchObject({employeeId: 'E1002', matchedBy: 'name'})
    po(env, ['requests', 'open', '--type', 'access', '--requester', 'Nobody Known', '--ssn', '123-45-6783', '--received', '2026-11-23'])
    expect(po(env, ['requests', 'search', 'PA-2026-0003']).json.subject).toMatchObject({employeeId: 'E1003', matchedBy: 'ssn'})
    // The search linked the request to its subject: the request is now out of a 0302 officer's scope.
    expect(po(env, ['requests', 'search', 'PA-2026-0003'], 'po0302').code).toBe(5)
    po(env, ['requests', 'open', '--type', 'access', '--requester', 'Adaeze Okafor', '--received', '2026-11-23'], 'po0302')
    const scoped = po(env, ['requests', 'search', 'PA-2026-0004'], 'po0302')
    expect(scoped.json.subject).toBeNull()
    expect(Object.values(scoped.json.records).every((rows: any) => rows.length === 0)).toBe(true)
    const listed = (operator?: string) => po(env, ['requests', 'list'], operator).json.requests.map((r: any) => r.requestId)
    // Unlinked, the request is the 0302 officer's to see; linked to a 030105 subject, it no longer is.
    expect(listed('po0302')).toEqual(['PA-2026-0004'])
    expect(po(env, ['requests', 'search', 'PA-2026-0004']).json.subject).toMatchObject({employeeId: 'E1001', matchedBy: 'name'})
    expect(listed('po0302')).toEqual([])
    expect(listed()).toEqual(['PA-2026-0001', 'PA-2026-0002', 'PA-2026-0003', 'PA-2026-0004'])
  })

  it('writes a package whose manifest hashes every file, 0600, with a letter naming the request and only the subject\'s SSN', () => {
    const out = path.join(env.dir, 'package')
    const r = po(env, ['requests', 'fulfill', 'PA-2026-0001', '--out', out])
    expect(r.code).toBe(0)
    const names = fs.readdirSync(out).sort()
    // One CSV per record type of the registry, with or without records of the subject.
    expect(names).toEqual([...RECORD_TYPES.map((t) => `${t}.csv`), 'disclosures.csv', 'letter.pdf', 'manifest.json', 'records.json'].sort())
    expect(fs.statSync(out).mode & 0o777).toBe(0o700)
    for (const n of names) expect(fs.statSync(path.join(out, n)).mode & 0o777, n).toBe(0o600)
    const manifest = JSON.parse(fs.readFileSync(path.join(out, 'manifest.json'), 'utf8'))
    expect(manifest.files.map((f: any) => f.name).sort()).toEqual(names.filter((n) => n !== 'manifest.json'))
    for (const f of manifest.files) {
      const data = fs.readFileSync(path.join(out, f.name))
      expect(sha(data), f.name).toBe(f.sha256)
      expect(data.length).toBe(f.bytes)
    }
    expect(r.json.files.find((f: any) => f.name === 'manifest.json').sha256).toBe(sha(fs.readFileSync(path.join(out, 'manifest.json'))))
    // Two requests: this one, and PA-2026-0004, which the search above linked to the same subject.
    expect(r.json.records).toEqual({...Object.fromEntries(RECORD_TYPES.map((t) => [t, 0])), timecard: 1, payroll_batch: 1, employee: 1, request: 2, disclosure: 1})

    const pdf = fs.readFileSync(path.join(out, 'letter.pdf'))
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-')
    const text = pdfText(pdf).replaceAll(/\s*\n\s*/g, ' ')
    expect(text).toContain('Privacy Act access request PA-2026-0001')
    expect(text).toMatch(/ask us in writing to correct it \(5 U\.S\.C\. 552a\(d\)\(2\)\)/)
    expect(text).toMatch(/right to appeal/i)

    const all = names.filter((n) => n !== 'letter.pdf').map((n) => fs.readFileSync(path.join(out, n), 'utf8')).join('\n')
    expect(all).toContain('123-45-6781')
    // Every SSN-shaped number (not inside a digest or an id) is the subject's own.
    expect(all.match(/(?<![0-9A-Za-z])\d{3}-?\d{2}-?\d{4}(?![0-9A-Za-z])/g)!.filter((s) => s.replaceAll('-', '') !== '123456781')).toEqual([])
    for (const other of ['Lindqvist', 'Núñez', 'Castellanos', 'maren.lindqvist']) expect(all).not.toContain(other)
    expect(fs.readFileSync(path.join(out, 'disclosures.csv'), 'utf8')).toMatch(/^date,recipient,address,purpose,routine_use,record_type,record_ref\n2026-\d\d-\d\d,.*,payroll processing,.*,payroll_batch,B000000001\n$/)

    // A second package into the same (non-empty) folder is refused and changes nothing; no temp folder is left.
    const before = fs.readFileSync(path.join(out, 'manifest.json'))
    expect(po(env, ['requests', 'fulfill', 'PA-2026-0001', '--out', out]).code).toBe(6)
    expect(fs.readFileSync(path.join(out, 'manifest.json')).equals(before)).toBe(true)
    expect(po(env, ['requests', 'fulfill', 'PA-2026-0001', '--out', path.join(env.dir, 'missing', 'pkg')]).code).toBe(5)
    // A failure after the work began (here: no such request) leaves neither the folder nor a temp folder.
    expect(po(env, ['requests', 'fulfill', 'PA-2026-9999', '--out', path.join(env.dir, 'never')]).code).toBe(5)
    expect(fs.existsSync(path.join(env.dir, 'never'))).toBe(false)
    expect(fs.readdirSync(env.dir).filter((n) => n.includes('.tmp'))).toEqual([])
  })

  it('audits every step without personal data', () => {
    const log = po(env, ['audit', 'log', '--action', 'requests'], 'aud')
    expect(log.json.entries.map((e: any) => e.action)).toEqual(expect.arrayContaining(['requests.open', 'requests.search', 'requests.fulfill']))
    // Digests and hashes are random hex (they may hold any 4 digits by chance): the rest must name no one.
    const text = JSON.stringify(log.json.entries.map(({hash: _h, prevHash: _p, digest: _d, ...e}: any) => e))
    for (const pii of ['Okafor', 'adaeze', '6781', 'PA-2026']) expect(text).not.toContain(pii)
    expect(po(env, ['audit', 'verify'], 'aud').json.ok).toBe(true)
  })
})

describe('disclosures record --record', () => {
  it('accounts only a record the person has, under the id it goes by', () => {
    const env = exportedStore()
    const count = () => po(env, ['disclosures', 'list', '--employee', 'E1001']).json.disclosures.length
    const before = count()
    const record = (ref: string) => po(env, ['disclosures', 'record', '--employee', 'E1001', '--recipient', 'GAO', '--address', '441 G St NW', '--purpose', 'Audit', '--date', '2026-11-20', '--record', ref])
    for (const ref of ['timecard:999999', 'employee:E1002', 'payroll_batch:NO-SUCH-BATCH']) {
      const refused = record(ref)
      expect(refused.code, ref).toBe(5)
      expect(refused.json.error).toMatchObject({code: 'RECORD_NOT_FOUND', record: ref})
    }
    expect(count()).toBe(before)
    const batchId: string = po(env, ['disclosures', 'list', '--employee', 'E1001']).json.disclosures.find((d: any) => d.recordType === 'payroll_batch').recordRef
    const ok = record(`payroll_batch:${batchId.toLowerCase()}`)
    expect(ok.code).toBe(0)
    expect(ok.json).toMatchObject({recordType: 'payroll_batch', recordRef: batchId})
    expect(count()).toBe(before + 1)
  })
})

describe('amendment: amend, decide, disagree, and statements carried forward', () => {
  let env: Store
  beforeAll(() => {
    env = exportedStore()
    expect(po(env, ['disclosures', 'record', '--employee', 'E1001', '--recipient', 'Office of Personnel Management', '--address', '1900 E St NW, Washington, DC 20415', '--purpose', 'Retirement review', '--date', '2026-11-20']).code).toBe(0)
    po(env, ['disclosures', 'record', '--employee', 'E1002', '--recipient', 'State of Maryland', '--address', 'Annapolis', '--purpose', 'Child support', '--date', '2026-11-20'])
    po(env, ['requests', 'open', '--type', 'amendment', '--requester', 'Okafor, Adaeze', '--received', '2026-11-23'])
  })

  it('states a correction only on the subject\'s own amendable field, with the edit checks of an import', () => {
    const amend = (record: string, field: string, value: string, id = 'PA-2026-0001') => po(env, ['requests', 'amend', id, '--record', record, '--field', field, '--value', value])
    const bad = amend('employee:E1001', 'email', 'adaeze@agency')
    expect(bad.code).toBe(3)
    expect(bad.json.error.code).toBe('PE-EMAIL')
    expect(amend('employee:E1001', 'ssn', '123-45-6782').json.error.code).toBe('PE-SSN-DUP')
    expect(amend('employee:E1001', 'annual_leave_balance', '200').code).toBe(2)
    expect(amend('employee:E1002', 'last_name', 'Smith').code).toBe(2)
    expect(amend('timecard:1', 'hours', '8').code).toBe(2)
    const ok = amend('employee:E1001', 'last_name', 'Okafor-Eze')
    expect(ok.code).toBe(0)
    expect(ok.json).toEqual({requestId: 'PA-2026-0001', amendment: expect.objectContaining({record: 'employee:E1001', field: 'last_name', currentValue: 'Okafor', requestedValue: 'Okafor-Eze', status: 'pending'})})
    po(env, ['requests', 'open', '--type', 'access', '--requester', 'Okafor, Adaeze', '--employee', 'E1001', '--received', '2026-11-23'])
    expect(amend('employee:E1001', 'last_name', 'X', 'PA-2026-0002').code).toBe(2)
    // Nothing closes while a decision is pending.
    expect(po(env, ['requests', 'close', 'PA-2026-0001']).json.error.code).toBe('AMENDMENT_PENDING')
  })

  it('grants through the edit path (history, audit) and names the earlier recipients to tell', () => {
    const g = po(env, ['requests', 'decide', 'PA-2026-0001', '--grant', '--reason', 'Court order of name change'])
    expect(g.code).toBe(0)
    expect(g.json).toMatchObject({requestId: 'PA-2026-0001', decision: 'granted', amendments: [{field: 'last_name', status: 'granted', reason: 'Court order of name change', decidedBy: 'po'}]})
    expect(g.json.notify.map((d: any) => d.recipient).sort()).toEqual(['National Finance Center (payroll provider)', 'Office of Personnel Management'])
    expect(po(env, ['personnel', 'show', 'E1001']).json.lastName).toBe('Okafor-Eze')
    const found = po(env, ['requests', 'search', 'PA-2026-0001']).json
    const history = found.records.employee[0].history
    expect(history.at(-1)).toMatchObject({actor: 'po', action: 'requests.amendment', reason: 'PA-2026-0001: Court order of name change', changes: [{field: 'last_name', from: 'Okafor', to: 'Okafor-Eze'}]})
    // The import that created the employee, field by field (the import keeps it compact: personnel/history.ts).
    expect(history[0]).toMatchObject({action: 'import.insert', reason: null})
    expect(history[0].changes).toEqual(Object.entries({
      ssn: '***-**-6781', last_name: 'Okafor', first_name: 'Adaeze', middle_name: 'N', email: 'adaeze.okafor@agency.example.gov', pay_plan: 'GS',
      grade: '13', step: 5, tour_of_duty: 'FT', scheduled_hours: 80, agency_code: 'HS', org_code: '030105', supervisor_id: 'E1000',
      service_comp_date: '2012-03-18', hire_date: '2012-03-18', annual_leave_balance: 112.5, sick_leave_balance: 240, comp_time_balance: 0,
    }).map(([field, to]) => ({field, from: null, to})))
    // The name search key follows the edit.
    po(env, ['requests', 'open', '--type', 'access', '--requester', 'adaeze okafor-eze', '--received', '2026-11-23'])
    expect(po(env, ['requests', 'search', 'PA-2026-0003']).json.subject).toMatchObject({employeeId: 'E1001', matchedBy: 'name'})
    expect(po(env, ['requests', 'decide', 'PA-2026-0001', '--grant']).json.error.code).toBe('NO_PENDING_AMENDMENT')
    const audit = po(env, ['audit', 'log', '--action', 'requests'], 'aud').json.entries.map((e: any) => e.action)
    expect(audit).toEqual(expect.arrayContaining(['requests.amend', 'requests.amendment', 'requests.grant']))
  })

  it('denies only with a reason; the statement of disagreement goes with every later disclosure and package', () => {
    po(env, ['requests', 'amend', 'PA-2026-0001', '--record', 'employee:E1001', '--field', 'hire_date', '--value', '2012-03-19'])
    expect(po(env, ['requests', 'disagree', 'PA-2026-0001', '--statement', writeFile(env.dir, 'early.txt', 'too early')]).json.error.code).toBe('NOT_DENIED')
    expect(po(env, ['requests', 'decide', 'PA-2026-0001', '--deny']).code).toBe(2)
    expect(po(env, ['requests', 'decide', 'PA-2026-0001', '--grant', '--deny', '--reason', 'x']).code).toBe(2)
    const d = po(env, ['requests', 'decide', 'PA-2026-0001', '--deny', '--reason', 'The SF-50 on file shows 2012-03-18'])
    expect(d.json).toMatchObject({decision: 'denied', notify: [], amendments: [{field: 'hire_date', status: 'denied'}]})
    expect(po(env, ['personnel', 'show', 'E1001']).json.hireDate).toBe('2012-03-18')

    // An SSN asked for is never shown whole in a search; one amendment is decided on its own.
    const ssn = po(env, ['requests', 'amend', 'PA-2026-0001', '--record', 'employee:E1001', '--field', 'ssn', '--value', '123-45-6790'])
    expect(ssn.json.amendment).toMatchObject({field: 'ssn', currentValue: '***-**-6781', requestedValue: '***-**-6790'})
    const searched = cli({...env, operator: 'po'}, ['requests', 'search', 'PA-2026-0001', '--json'])
    expect(searched.stdout).not.toMatch(/123-?45-?6790/)
    expect(searched.stdout).toContain('***-**-6790')
    const one = po(env, ['requests', 'decide', 'PA-2026-0001', '--deny', '--amendment', String(ssn.json.amendment.amendmentId), '--reason', 'SSA records show the number on file'])
    expect(one.json.amendments).toEqual([expect.objectContaining({field: 'ssn', status: 'denied'})])

    const statement = 'I started work on March 19, 2012; my first timesheet shows it.'
    expect(po(env, ['requests', 'disagree', 'PA-2026-0001', '--statement', path.join(env.dir, 'nope.txt')]).code).toBe(5)
    const s = po(env, ['requests', 'disagree', 'PA-2026-0001', '--statement', writeFile(env.dir, 'statement.txt', `${statement}\n`)])
    expect(s.json).toMatchObject({requestId: 'PA-2026-0001', statements: [{record: 'employee:E1001'}]})
    expect(po(env, ['requests', 'show', 'PA-2026-0001']).json.statements).toEqual([expect.objectContaining({record: 'employee:E1001', statement})])
    expect(po(env, ['requests', 'close', 'PA-2026-0001', '--note', 'Denied in part; statement filed']).code).toBe(0)
    expect(po(env, ['requests', 'decide', 'PA-2026-0001', '--grant']).code).toBe(6)

    const later = po(env, ['disclosures', 'record', '--employee', 'E1001', '--recipient', 'MSPB', '--address', '1615 M St NW', '--purpose', 'Appeal'])
    expect(later.json.statements).toEqual([expect.objectContaining({requestId: 'PA-2026-0001', record: 'employee:E1001', statement})])
    const unrelated = po(env, ['disclosures', 'record', '--employee', 'E1002', '--recipient', 'MSPB', '--address', '1615 M St NW', '--purpose', 'Appeal'])
    expect(unrelated.json.statements).toEqual([])
    const list = po(env, ['disclosures', 'list', '--employee', 'E1001']).json
    expect(list.statements).toEqual([expect.objectContaining({record: 'employee:E1001', statement})])
    expect(list.disclosures.map((x: any) => `${x.recipient}:${x.disputed}`).sort()).toEqual(['MSPB:true', 'National Finance Center (payroll provider):true', 'Office of Personnel Management:true'])

    const out = path.join(env.dir, 'later-package')
    expect(po(env, ['requests', 'fulfill', 'PA-2026-0002', '--out', out]).json.statements).toBe(1)
    const records = JSON.parse(fs.readFileSync(path.join(out, 'records.json'), 'utf8'))
    expect(records.statements).toEqual([expect.objectContaining({requestId: 'PA-2026-0001', record: 'employee:E1001', statement})])
    expect(pdfText(fs.readFileSync(path.join(out, 'letter.pdf')))).toMatch(/statements? of disagreement you filed/)
  })
})
