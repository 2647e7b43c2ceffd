import fs from 'node:fs'
import path from 'node:path'
import {beforeAll, describe, expect, it} from 'vitest'

import {pdfText} from '../helpers/pdf.js'
import {FIXTURES, addOperator, cli, fixtureCycle, freshStore, storeRows} from '../helpers/cli.js'

/**
 * Subjects beyond employees (CLI.md "Systems of records"): a request names its subject by any identifier a
 * system retrieves by, the search looks in every system, the package and letter go system by system, and an
 * amendment may name any field a record type shows the individual.
 */
type Store = ReturnType<typeof freshStore>

const SYSTEMS = ['OPM/GOVT-1', 'USPS-550.000', 'DHS/ALL-002', 'DOL-CRM', 'PA-REQUESTS']
const PP = ['--pay-period', '2026-11-01']

/** The fixture cycle up to a payroll export, the fixture sign-in log (jnunez is E1002; kpatel is no employee), and the staff. */
function spanningStore(): Store {
  const env = freshStore()
  fixtureCycle(env, 'exported')
  expect(cli(env, ['accounts', 'import', path.join(FIXTURES, 'signins.csv'), '--as-of', '2026-11-20', '--json']).code).toBe(0)
  addOperator(env, 'po', 'privacy-officer')
  addOperator(env, 'rex', 'records-officer')
  return env
}

const as = (env: Store, operator: string, args: string[]) => cli({...env, operator}, [...args, '--json'])
const po = (env: Store, args: string[]) => as(env, 'po', args)
const open = (env: Store, extra: string[], type = 'access') => po(env, ['requests', 'open', '--type', type, '--received', '2026-11-23', ...extra])

describe('a request names its subject by any identifier a system retrieves by', () => {
  let env: Store
  beforeAll(() => {
    env = spanningStore()
  })

  it('opens by email, phone, user id and case number, stored in the form the systems keep them', () => {
    const r = open(env, ['--requester', 'Kiran Patel', '--email', 'Kiran.Patel@Contractor.Example.com', '--phone', '(202) 555-0143', '--user-id', 'KPatel', '--case', 'inq-2026-000042'])
    expect(r.code, r.stdout).toBe(0)
    const shown = po(env, ['requests', 'show', r.json.requestId]).json
    expect(shown).toMatchObject({email: 'Kiran.Patel@Contractor.Example.com', phone: '2025550143', userId: 'kpatel', caseNumber: 'INQ-2026-000042', employeeId: null})
  })

  it('refuses a bad identifier with a usage error naming its flag (exit 2), and opens nothing', () => {
    const before = po(env, ['requests', 'list']).json.requests.length
    const cases: [string[], RegExp][] = [
      [['--email', 'kiran@contractor'], /--email: Not a plausible email/],
      [['--phone', '555-0143'], /--phone: A phone number has 10 digits/],
      [['--user-id', 'bad user!'], /--user-id: A user id is 1-64/],
      [['--case', 'INQ-26-42'], /--case: A case number is INQ-YYYY-NNNNNN/],
    ]
    for (const [flags, message] of cases) {
      const r = open(env, ['--requester', 'Kiran Patel', ...flags])
      expect(r.code, flags.join(' ')).toBe(2)
      expect(r.json.error).toMatchObject({code: 'USAGE', message: expect.stringMatching(message)})
    }
    expect(po(env, ['requests', 'list']).json.requests).toHaveLength(before)
  })

  it('a user id whose account links an employee finds the records of both systems; the search lists every system', () => {
    const r = open(env, ['--requester', 'José Núñez', '--user-id', 'jnunez'])
    const s = po(env, ['requests', 'search', r.json.requestId])
    expect(s.code, s.stdout).toBe(0)
    expect(s.json.systems).toEqual(SYSTEMS)
    expect(s.json.subject).toMatchObject({employeeId: 'E1002', name: 'Núñez, José', matchedBy: 'user_id'})
    expect(s.json.subject.identifiers).toMatchObject({employeeIds: ['E1002'], userIds: ['jnunez'], emails: ['jose.nunez@agency.example.gov']})
    expect(s.json.records.account.map((a: any) => a.user_id)).toEqual(['jnunez'])
    expect(s.json.records.sign_in).toHaveLength(2)
    expect(s.json.records.employee.map((e: any) => e.employee_id)).toEqual(['E1002'])
    expect(s.json.records.timecard.length).toBeGreaterThan(0)
    expect(s.json.records.payroll_batch.length).toBeGreaterThan(0)
    // The search linked the request to the employee and the account.
    expect(po(env, ['requests', 'show', r.json.requestId]).json).toMatchObject({employeeId: 'E1002', userId: 'jnunez'})
  })

  it('an email finds the employee and the account alike', () => {
    const r = open(env, ['--requester', 'Adaeze Okafor', '--email', 'ADAEZE.OKAFOR@agency.example.gov'])
    const s = po(env, ['requests', 'search', r.json.requestId]).json
    expect(s.subject).toMatchObject({employeeId: 'E1001', matchedBy: 'email'})
    expect(s.records.account.map((a: any) => a.user_id)).toEqual(['aokafor'])
    expect(s.records.sign_in).toHaveLength(3)
  })

  it('a subject who is no employee: their account and sign-ins only, never an employee of the same name', () => {
    // The requester's name is an employee's; the user id is someone else's account, and the name is not used.
    const r = open(env, ['--requester', 'Adaeze Okafor', '--user-id', 'kpatel'])
    const s = po(env, ['requests', 'search', r.json.requestId]).json
    expect(s.subject).toMatchObject({employeeId: null, name: 'Kiran Patel', orgCode: null, matchedBy: 'user_id'})
    expect(s.records.account.map((a: any) => a.user_id)).toEqual(['kpatel'])
    expect(s.records.sign_in).toHaveLength(2)
    for (const type of ['employee', 'timecard', 'payroll_batch', 'disclosure']) expect(s.records[type], type).toEqual([])
    const byEmail = open(env, ['--requester', 'Kiran Patel', '--email', 'kiran.patel@contractor.example.com'])
    expect(po(env, ['requests', 'search', byEmail.json.requestId]).json.subject).toMatchObject({employeeId: null, matchedBy: 'email', identifiers: expect.objectContaining({userIds: ['kpatel']})})
    // A case number no system holds finds nobody: the request itself is no record about the subject.
    const unknown = open(env, ['--requester', 'Kiran Patel', '--case', 'INQ-2026-000999'])
    expect(po(env, ['requests', 'search', unknown.json.requestId]).json.subject).toBeNull()
    // Human output names the systems searched.
    expect(cli({...env, operator: 'po'}, ['requests', 'search', r.json.requestId]).stdout).toContain(`Systems searched: ${SYSTEMS.join(', ')}.`)
  })

  it('the package groups the records by system; the letter names every system searched and how to contest a record in each that holds some', () => {
    const r = open(env, ['--requester', 'José Núñez', '--user-id', 'jnunez', '--address', '4 Oak St | Fairfax, VA 22030'])
    const out = path.join(env.dir, 'jnunez-package')
    const f = po(env, ['requests', 'fulfill', r.json.requestId, '--out', out])
    expect(f.code, f.stdout).toBe(0)
    const records = JSON.parse(fs.readFileSync(path.join(out, 'records.json'), 'utf8'))
    expect(records.systems.map((s: any) => s.id)).toEqual(SYSTEMS)
    const usps = records.systems.find((s: any) => s.id === 'USPS-550.000')
    expect(usps).toMatchObject({name: expect.stringMatching(/^Commercial Information Technology Resources/), contestingProcedures: expect.any(String)})
    expect(usps.records.account.map((a: any) => a.user_id)).toEqual(['jnunez'])
    expect(records.systems.find((s: any) => s.id === 'OPM/GOVT-1').records.employee.map((e: any) => e.employee_id)).toEqual(['E1002'])
    // The manifest still hashes every file.
    const manifest = JSON.parse(fs.readFileSync(path.join(out, 'manifest.json'), 'utf8'))
    expect(manifest.files.map((x: any) => x.name)).toContain('records.json')

    const text = pdfText(fs.readFileSync(path.join(out, 'letter.pdf'))).replaceAll(/\s+/g, ' ')
    expect(text).toContain('Systems of records we searched')
    expect(text).toMatch(/General Personnel Records \(time and attendance, payroll interchange\) \(OPM\/GOVT-1\): records about you, enclosed\./)
    expect(text).toMatch(/\(USPS-550\.000\): records about you, enclosed\./)
    expect(text).toMatch(/\(DOL-CRM\): no records about you\./)
    // How to contest, from each system's notice: the timekeeper for a timecard; USPS's own procedures for an account.
    expect(text).toMatch(/How to contest a record in this system: An employee who needs a correction to a timecard contacts their timekeeper/)
    expect(text).toMatch(/How to contest a record in this system: See Notification Procedure and Record Access Procedures above\./)
  })
})

describe('retention keeps the records of an open request\'s subject, whoever the subject is', () => {
  it('an open request about an account-only subject blocks that account and its sign-ins until it is closed', () => {
    const env = spanningStore()
    const plan = () => as(env, 'rex', ['retention', 'plan', '--as-of', '2029-01-01']).json.items
    const item = (items: any[], type: string) => items.find((i: any) => i.recordType === type)
    const before = plan()
    expect(item(before, 'account').blockedByRequest).toBe(0)
    const r = open(env, ['--requester', 'Kiran Patel', '--user-id', 'kpatel'])
    const during = plan()
    expect(item(during, 'account')).toMatchObject({blockedByRequest: 1, eligible: item(before, 'account').eligible - 1})
    expect(item(during, 'sign_in')).toMatchObject({blockedByRequest: 2, eligible: item(before, 'sign_in').eligible - 2})
    // A request by email alone blocks them once its search has found the account (the request is linked to it).
    expect(po(env, ['requests', 'close', r.json.requestId]).code).toBe(0)
    const byEmail = open(env, ['--requester', 'Kiran Patel', '--email', 'kiran.patel@contractor.example.com'])
    expect(item(plan(), 'account').blockedByRequest).toBe(0)
    po(env, ['requests', 'search', byEmail.json.requestId])
    expect(item(plan(), 'account').blockedByRequest).toBe(1)
    expect(po(env, ['requests', 'close', byEmail.json.requestId]).code).toBe(0)
    expect(item(plan(), 'account').blockedByRequest).toBe(0)
  })
})

describe('amendment of any field a record type shows the individual', () => {
  let env: Store
  let requestId: string
  let cardId: string
  beforeAll(() => {
    env = spanningStore()
    requestId = open(env, ['--requester', 'Adaeze Okafor', '--employee', 'E1001'], 'amendment').json.requestId
    const found = po(env, ['requests', 'search', requestId]).json
    cardId = String(found.records.timecard.find((c: any) => c.is_current && c.pay_period_start === '2026-11-01').id)
  })
  const amend = (record: string, field: string, value: string) => po(env, ['requests', 'amend', requestId, '--record', record, '--field', field, '--value', value])

  it('refuses an unknown field (listing the valid ones), an unknown record, a bad value: exit 2, nothing stated', () => {
    const unknownField = amend('employee:E1001', 'annual_leave_balance', '200')
    expect(unknownField.code).toBe(2)
    expect(unknownField.json.error.message).toMatch(/amendable fields: .*grade, step.*org_code/)
    const lineField = amend(`timecard:${cardId}`, 'hours', '8')
    expect(lineField.code).toBe(2)
    expect(lineField.json.error.message).toMatch(/line:<workDate>:<hourType>/)
    expect(amend('timecard:999999', 'line:2026-11-13:REG', '0').json.error).toMatchObject({code: 'USAGE', message: expect.stringMatching(/has no record timecard:999999/)})
    expect(amend('gadget:1', 'x', '1').json.error).toMatchObject({code: 'USAGE', message: expect.stringMatching(/--record "gadget:1" must be/)})
    expect(amend('sign_in:1', 'ip_address', '10.0.0.1').json.error).toMatchObject({code: 'USAGE', message: expect.stringMatching(/not amended through a request; amendable record types: .*employee.*account/)})
    expect(amend(`timecard:${cardId}`, 'line:2026-11-13:REG', '25').code).toBe(2)
    expect(amend(`timecard:${cardId}`, 'line:2026-11-30:REG', '8').json.error.message).toMatch(/outside the card's pay period/)
    expect(amend(`timecard:${cardId}`, 'line:2026-11-13:SL', '8').json.error.message).toMatch(/name its accounting code/)
    expect(amend('employee:E1001', 'grade', '99').code).toBe(3)
    expect(po(env, ['requests', 'show', requestId]).json.amendments).toEqual([])
  })

  it('grants a grade and a timecard line: the profile changes, the card gets a new draft version naming the request', () => {
    const grade = amend('employee:E1001', 'grade', '14')
    expect(grade.code, grade.stdout).toBe(0)
    expect(grade.json.amendment).toMatchObject({record: 'employee:E1001', field: 'grade', currentValue: '13', requestedValue: '14', status: 'pending'})
    const off = amend(`timecard:${cardId}`, 'line:2026-11-13:REG', '0')
    expect(off.json.amendment).toMatchObject({record: `timecard:${cardId}`, field: 'line:2026-11-13:REG:HS-030105-A1', currentValue: '8', requestedValue: '0'})
    const leave = amend(`timecard:${cardId}`, 'line:2026-11-13:AL:HS-030105-A1', '8')
    expect(leave.json.amendment).toMatchObject({currentValue: null, requestedValue: '8'})

    const g = po(env, ['requests', 'decide', requestId, '--grant', '--reason', 'The leave slip and the SF-50 agree'])
    expect(g.code, g.stdout).toBe(0)
    expect(g.json.amendments.map((a: any) => a.status)).toEqual(['granted', 'granted', 'granted'])
    // The payroll file carried the profile and the card: its recipient is to be told.
    expect(g.json.notify.map((d: any) => d.recipient)).toContain('National Finance Center (payroll provider)')
    expect(as(env, 'tk', ['personnel', 'show', 'E1001']).json.grade).toBe('14')

    const card = as(env, 'tk', ['timecards', 'show', 'E1001', ...PP]).json
    expect(card).toMatchObject({version: 2, status: 'draft'})
    expect(card.lines.find((l: any) => l.workDate === '2026-11-13')).toMatchObject({hourType: 'AL', hours: 8})
    const history = as(env, 'tk', ['timecards', 'history', 'E1001', ...PP]).json
    const entries = Array.isArray(history) ? history : history.history ?? history.entries
    expect(entries.find((h: any) => h.action === 'amend')).toMatchObject({
      actor: 'po', version: 2, reason: `${requestId}: The leave slip and the SF-50 agree`,
      changes: [{field: '2026-11-13 AL HS-030105-A1', from: null, to: 8}, {field: '2026-11-13 REG HS-030105-A1', from: 8, to: null}],
    })
  })

  it('the amended card is validated and certified again before an export takes it', () => {
    const exportNow = (name: string) => as(env, 'pay', ['payroll', 'export', ...PP, '--out', path.join(env.dir, name)])
    // Nothing to send while the new version is a draft, nor once validated but not certified again.
    expect(exportNow('draft.nfc').json.error).toMatchObject({code: 'NOTHING_TO_EXPORT'})
    expect(storeRows(env, "SELECT status FROM timecards t JOIN employees e ON e.id = t.employee_ref WHERE e.employee_id = 'E1001' AND t.is_current = 1")).toEqual([{status: 'draft'}])
    expect(as(env, 'tk', ['timecards', 'validate', ...PP]).code).toBe(0)
    expect(exportNow('validated.nfc').json.error).toMatchObject({code: 'NOTHING_TO_EXPORT'})
    expect(fs.existsSync(path.join(env.dir, 'validated.nfc'))).toBe(false)
    expect(as(env, 'sam', ['timecards', 'certify', ...PP]).json.certified).toBe(1)
    const r = as(env, 'pay', ['payroll', 'export', ...PP, '--out', path.join(env.dir, 'correction.nfc')])
    expect(r.code, r.stdout).toBe(0)
    expect(r.json).toMatchObject({employees: 1, corrections: 1})
  })
})

describe('amendment of an account-only subject\'s account', () => {
  it('states and grants a department; refuses a bad email (exit 3) and a field accounts do not show (exit 2)', () => {
    const env = spanningStore()
    const requestId = open(env, ['--requester', 'Kiran Patel', '--user-id', 'kpatel'], 'amendment').json.requestId
    const amend = (field: string, value: string) => po(env, ['requests', 'amend', requestId, '--record', 'account:KPATEL', '--field', field, '--value', value])
    expect(amend('email', 'kiran@contractor').json.error).toMatchObject({code: 'AA-EMAIL'})
    expect(amend('user_role', 'admin').json.error).toMatchObject({code: 'USAGE', message: expect.stringMatching(/amendable fields: name, email, department/)})
    // Someone else's account is not this request's to amend.
    expect(po(env, ['requests', 'amend', requestId, '--record', 'account:jnunez', '--field', 'department', '--value', 'X']).code).toBe(2)
    const ok = amend('department', 'Cyber Operations')
    expect(ok.code, ok.stdout).toBe(0)
    expect(ok.json.amendment).toMatchObject({record: 'account:kpatel', field: 'department', currentValue: 'IT Operations', requestedValue: 'Cyber Operations'})
    const g = po(env, ['requests', 'decide', requestId, '--grant', '--reason', 'Transferred in October'])
    expect(g.code, g.stdout).toBe(0)
    expect(g.json).toMatchObject({decision: 'granted', notify: []})
    expect(as(env, 'admin', ['accounts', 'show', 'kpatel']).json.department).toBe('Cyber Operations')
  })
})
