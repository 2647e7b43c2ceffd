import Ajv from 'ajv'
import fs from 'node:fs'
import path from 'node:path'
import {beforeAll, describe, expect, it} from 'vitest'

import {PERSONNEL_HEADER, ROOT, addOperator, cli, freshStore, onPostgres, personnelLine, storeRows, writeFile} from '../helpers/cli.js'

// CLI.md "Reports": every figure of the four reports against data made through the CLI with explicit dates
// (--received, --date, --as-of), worked out by hand on the 2026 calendar (New Year's Day Thu 01-01, Martin
// Luther King Jr. Day Mon 01-19, Washington's Birthday Mon 02-16). Runs on both engines: on PostgreSQL the
// report roles read through the server's grants.

type Env = ReturnType<typeof freshStore>
const as = (env: Env, operator: string, args: string[]) => cli({...env, operator}, [...args, '--json'])
const ajv = new Ajv({allErrors: true})
function matchesSchema(name: string, json: unknown): void {
  const validate = ajv.compile(JSON.parse(fs.readFileSync(path.join(ROOT, 'schemas', `${name}.json`), 'utf8')))
  expect(validate(json), `${name}: ${JSON.stringify(validate.errors)}`).toBe(true)
}
const mode = (file: string) => (fs.statSync(file).mode & 0o777).toString(8)

function staffed(): Env {
  const env = freshStore()
  addOperator(env, 'po', 'privacy-officer')
  addOperator(env, 'ro', 'records-officer')
  addOperator(env, 'aud', 'auditor')
  addOperator(env, 'liz', 'liaison')
  addOperator(env, 'tk', 'timekeeper')
  return env
}

describe('reports requests', () => {
  let env: Env
  const period = ['--from', '2026-01-01', '--to', '2026-02-28', '--as-of', '2026-03-02']
  beforeAll(() => {
    env = staffed()
    const open = (type: string, received: string) => {
      const r = as(env, 'po', ['requests', 'open', '--type', type, '--requester', 'Pat Doe', '--received', received])
      if (r.code !== 0) throw new Error(r.stdout)
      return r.json
    }
    const close = (id: string, date: string) => expect(as(env, 'po', ['requests', 'close', id, '--date', date]).code).toBe(0)
    const r6 = open('access', '2025-12-29')
    close(r6.requestId, '2026-01-05') // 4 working days (12-30, 12-31, 01-02, 01-05)
    const r1 = open('access', '2026-01-02')
    close(r1.requestId, '2026-01-09') // 5
    const r2 = open('access', '2026-01-16')
    close(r2.requestId, '2026-01-23') // 4 (MLK day skipped)
    const r3 = open('access', '2026-01-30')
    close(r3.requestId, '2026-02-02') // 1
    const r4 = open('amendment', '2026-01-05')
    expect(r4.dueBy).toBe('2026-02-18') // 30 working days
    open('accounting', '2026-02-20') // due 2026-03-20
    open('access', '2026-03-01') // after the period, pending as of 03-02
  })

  it('gives received, processed, pending, overdue, median and p90 working days by type, by month, and the oldest pending', () => {
    const r = as(env, 'po', ['reports', 'requests', ...period])
    expect(r.code, r.stdout).toBe(0)
    expect(r.json).toEqual({
      from: '2026-01-01', to: '2026-02-28', asOf: '2026-03-02',
      byType: [
        // closed in the period: 4, 5, 4, 1 working days → sorted 1 4 4 5: median (rank 2) 4, p90 (rank 4) 5
        {type: 'access', received: 3, processed: 4, pending: 1, overdue: 0, medianWorkingDays: 4, p90WorkingDays: 5},
        {type: 'amendment', received: 1, processed: 0, pending: 1, overdue: 1, medianWorkingDays: null, p90WorkingDays: null},
        {type: 'accounting', received: 1, processed: 0, pending: 1, overdue: 0, medianWorkingDays: null, p90WorkingDays: null},
      ],
      byMonth: [
        {month: '2026-01', type: 'access', received: 3, processed: 3},
        {month: '2026-01', type: 'amendment', received: 1, processed: 0},
        {month: '2026-01', type: 'accounting', received: 0, processed: 0},
        {month: '2026-02', type: 'access', received: 0, processed: 1},
        {month: '2026-02', type: 'amendment', received: 0, processed: 0},
        {month: '2026-02', type: 'accounting', received: 1, processed: 0},
      ],
      // 01-05 (Mon) to 03-02: 4 + 5 + 4 + 5 + 5 + 5 + 4 + 5 + 1
      oldestPending: {requestId: 'PA-2026-0004', received: '2026-01-05', workingDaysOpen: 38},
    })
    matchesSchema('reports-requests', r.json)
  })

  it('defaults the period to the 12 months that end on --as-of, and counts pending as things stood then', () => {
    const r = as(env, 'po', ['reports', 'requests', '--as-of', '2026-01-20'])
    expect(r.json).toMatchObject({from: '2025-01-21', to: '2026-01-20', asOf: '2026-01-20'})
    expect(r.json.byMonth).toHaveLength(13 * 3)
    // As of 01-20: R2 (received 01-16, closed 01-23) and R4 were open; R3 not yet received.
    expect(r.json.byType.map((t: any) => [t.type, t.received, t.processed, t.pending, t.overdue])).toEqual([
      ['access', 3, 2, 1, 0], ['amendment', 1, 0, 1, 0], ['accounting', 0, 0, 0, 0],
    ])
    expect(r.json.oldestPending).toEqual({requestId: 'PA-2026-0004', received: '2026-01-05', workingDaysOpen: 10})
  })

  it('is the same for a records officer and an auditor; a liaison or a timekeeper gets exit 4', () => {
    const po = as(env, 'po', ['reports', 'requests', ...period]).json
    expect(as(env, 'ro', ['reports', 'requests', ...period]).json).toEqual(po)
    expect(as(env, 'aud', ['reports', 'requests', ...period]).json).toEqual(po)
    for (const who of ['liz', 'tk']) {
      const r = as(env, who, ['reports', 'requests', ...period])
      expect(r.code).toBe(4)
      expect(r.json.error.code).toBe('NOT_PERMITTED')
    }
  })

  it('writes the tables to one CSV (a table column) and a self-contained HTML page, both 0600', () => {
    const csv = path.join(env.dir, 'requests.csv')
    const html = path.join(env.dir, 'requests.html')
    const r = as(env, 'aud', ['reports', 'requests', ...period, '--csv', csv, '--html', html])
    expect(r.code, r.stdout).toBe(0)
    expect(mode(csv)).toBe('600')
    expect(mode(html)).toBe('600')
    const lines = fs.readFileSync(csv, 'utf8').trim().split('\n')
    expect(lines[0]).toBe('table,type,received,processed,pending,overdue,medianWorkingDays,p90WorkingDays,month,requestId,receivedOn,workingDaysOpen')
    expect(lines).toContain('byType,access,3,4,1,0,4,5,,,,')
    expect(lines).toContain('byMonth,access,0,1,,,,,2026-02,,,')
    expect(lines).toContain('oldestPending,,,,,,,,,PA-2026-0004,2026-01-05,38')
    expect(lines).toHaveLength(1 + 3 + 6 + 1)
    const page = fs.readFileSync(html, 'utf8')
    expect(page.match(/<svg[\s>]/g)?.length).toBeGreaterThanOrEqual(4) // the pattern definitions and three charts
    expect(page).toContain('2026-01-01 to 2026-02-28')
    expect(page).toMatch(/<time datetime="\d{4}-\d{2}-\d{2}T/)
    expect(page).not.toMatch(/<script|<link|src=|@import|url\((?!#)/i)
    expect(page).toContain('PA-2026-0004')
    if (onPostgres) expect(page).not.toContain(new URL(env.db).password || 'never-a-password')
    else expect(page).toContain(env.db)
    expect(storeRows(env, "SELECT count(*) AS n FROM audit_log WHERE action = 'reports.requests'")[0].n).toBeGreaterThan(0)
  })

  it('refuses a period that ends before it starts, a bad date, and a file that is the store, writing nothing', () => {
    const csv = path.join(env.dir, 'never.csv')
    const back = as(env, 'po', ['reports', 'requests', '--from', '2026-03-01', '--to', '2026-02-01', '--csv', csv])
    expect(back.code).toBe(2)
    expect(back.json.error.message).toMatch(/--from 2026-03-01 is after --to 2026-02-01/)
    expect(as(env, 'po', ['reports', 'requests', '--to', '2026-02-30']).code).toBe(2)
    expect(fs.existsSync(csv)).toBe(false)
    if (!onPostgres) {
      const before = fs.readFileSync(env.db)
      const r = as(env, 'po', ['reports', 'requests', '--html', env.db])
      expect(r.code).toBe(2)
      expect(r.json.error.code).toBe('OUTPUT_IS_STORE')
      expect(as(env, 'po', ['reports', 'requests', '--csv', `${env.db}-wal`]).json.error.code).toBe('OUTPUT_IS_STORE')
      expect(fs.readFileSync(env.db).length).toBe(before.length)
    }
    expect(fs.readdirSync(env.dir).filter((f) => f.endsWith('.tmp'))).toEqual([])
  })

  it('prints the tables on the terminal', () => {
    const r = cli({...env, operator: 'po'}, ['reports', 'requests', ...period])
    expect(r.code).toBe(0)
    expect(r.stdout).toMatch(/Requests by type\ntype +received +processed +pending +overdue/)
    expect(r.stdout).toMatch(/access +3 +4 +1 +0 +4 +5/)
    expect(r.stdout).toMatch(/PA-2026-0004 +2026-01-05 +38/)
  })
})

describe('reports retention', () => {
  let env: Env
  beforeAll(() => {
    env = staffed()
    const inquiry = (name: string, email: string, received: string, closed: string) => {
      const o = as(env, 'liz', ['inquiries', 'open', '--first-name', name, '--last-name', 'Tester', '--home-zip', '19104', '--contact-method', 'email',
        '--email', email, '--category', 'other', '--description', 'A question.', '--received', received])
      if (o.code !== 0) throw new Error(o.stdout)
      expect(as(env, 'liz', ['inquiries', 'close', o.json.caseNumber, '--date', closed]).code).toBe(0)
      return o.json.caseNumber as string
    }
    inquiry('Ann', 'ann@example.org', '2025-03-01', '2025-03-15') // due 2027-03-15
    const blocked = inquiry('Bo', 'bo@example.org', '2025-03-20', '2025-03-31') // due 2027-03-31
    inquiry('Cy', 'cy@example.org', '2025-03-25', '2025-04-01') // due 2027-04-01
    inquiry('Di', 'di@example.org', '2023-05-20', '2023-06-01') // due 2025-06-01: already due
    // An open request about Bo's case keeps that inquiry.
    expect(as(env, 'po', ['requests', 'open', '--type', 'access', '--requester', 'Bo Tester', '--case', blocked, '--received', '2025-12-01']).code).toBe(0)
    // A request closed 2020-03-10 is due 72 months later, 2026-03-10; a hold on requests keeps it.
    const old = as(env, 'po', ['requests', 'open', '--type', 'access', '--requester', 'Ed Tester', '--received', '2020-01-15']).json.requestId
    expect(as(env, 'po', ['requests', 'close', old, '--date', '2020-03-10']).code).toBe(0)
    expect(as(env, 'ro', ['holds', 'place', '--reason', 'Matter 26-01', '--record-type', 'request']).code).toBe(0)
  })

  it('counts records by the month they come due over the 24 months from --as-of, with held and blocked', () => {
    const r = as(env, 'ro', ['reports', 'retention', '--as-of', '2026-01-01'])
    expect(r.code, r.stdout).toBe(0)
    expect(r.json).toEqual({
      asOf: '2026-01-01',
      months: [
        {month: '2026-03', system: 'PA-REQUESTS', schedule: 'GRS-4.2-020', recordType: 'request', due: 1, held: 1, blockedByRequest: 0},
        {month: '2027-03', system: 'DOL-CRM', schedule: 'DOL-CRM-INQUIRY', recordType: 'inquiry', due: 2, held: 0, blockedByRequest: 1},
        {month: '2027-04', system: 'DOL-CRM', schedule: 'DOL-CRM-INQUIRY', recordType: 'inquiry', due: 1, held: 0, blockedByRequest: 0},
      ],
    })
    matchesSchema('reports-retention', r.json)
    expect(as(env, 'aud', ['reports', 'retention', '--as-of', '2026-01-01']).json).toEqual(r.json)
    expect(as(env, 'po', ['reports', 'retention', '--as-of', '2026-01-01']).json).toEqual(r.json)
  })

  it('ends the window 24 months on and takes --from/--to months', () => {
    // From 2024-01 to 2025-12: Di's inquiry (due 2025-06) only; the request (2026-03) and the 2027 inquiries lie beyond.
    expect(as(env, 'ro', ['reports', 'retention', '--as-of', '2024-01-01']).json.months.map((m: any) => [m.month, m.recordType, m.due])).toEqual([['2025-06', 'inquiry', 1]])
    // From 2024-04 the 24th month is 2026-03: the request due 2026-03-10 comes in.
    expect(as(env, 'ro', ['reports', 'retention', '--as-of', '2024-04-30']).json.months.map((m: any) => [m.month, m.recordType])).toEqual([['2025-06', 'inquiry'], ['2026-03', 'request']])
    const r = as(env, 'ro', ['reports', 'retention', '--as-of', '2026-01-01', '--from', '2027-04-01', '--to', '2027-04-30'])
    expect(r.json.months.map((m: any) => [m.month, m.due])).toEqual([['2027-04', 1]])
    // The terminal lists what is already due apart: Di's inquiry, due 2025-06-01.
    const text = cli({...env, operator: 'ro'}, ['reports', 'retention', '--as-of', '2026-01-01'])
    expect(text.stdout).toMatch(/Already due before these months[^\n]*\n[^\n]+\n[^\n]+\nDOL-CRM +DOL-CRM-INQUIRY +inquiry +1 +0 +0/)
  })

  it('draws the forecast on the page', () => {
    const html = path.join(env.dir, 'retention.html')
    expect(as(env, 'ro', ['reports', 'retention', '--as-of', '2026-01-01', '--html', html]).code).toBe(0)
    const page = fs.readFileSync(html, 'utf8')
    expect(page).toContain('Records coming due per month')
    expect(page).toContain('2027-03')
  })

  it('is not a liaison\'s', () => {
    expect(as(env, 'liz', ['reports', 'retention']).code).toBe(4)
  })
})

describe('reports inquiries', () => {
  let env: Env
  beforeAll(() => {
    env = staffed()
    expect(as(env, 'admin', ['inquiries', 'routes', 'set', '--state', 'PA', '--agency', 'WHD-PA']).code).toBe(0)
    const open = (name: string, state: string, category: string, received: string) => {
      const o = as(env, 'liz', ['inquiries', 'open', '--first-name', name, '--last-name', 'Caller', '--home-zip', '19104', '--contact-method', 'email',
        '--email', `${name.toLowerCase()}@example.org`, '--state', state, '--category', category, '--description', 'A question.', '--received', received])
      if (o.code !== 0) throw new Error(o.stdout)
      return o.json.caseNumber as string
    }
    const a = open('Ann', 'PA', 'wages-hours', '2026-01-05')
    const b = open('Bo', 'NY', 'leave', '2026-01-20')
    const c = open('Cy', 'PA', 'wages-hours', '2026-02-10')
    open('Di', 'PA', 'leave', '2026-03-05') // after the period
    expect(as(env, 'liz', ['inquiries', 'close', a, '--date', '2026-01-12']).code).toBe(0) // 7 days
    expect(as(env, 'liz', ['inquiries', 'close', b, '--date', '2026-01-21']).code).toBe(0) // 1 day
    expect(as(env, 'liz', ['inquiries', 'update', c, '--status', 'in-progress']).code).toBe(0)
  })

  it('counts the period\'s inquiries by status, category and agency, and the median days to answer', () => {
    const r = as(env, 'liz', ['reports', 'inquiries', '--from', '2026-01-01', '--to', '2026-02-28'])
    expect(r.code, r.stdout).toBe(0)
    expect(r.json).toEqual({
      from: '2026-01-01', to: '2026-02-28',
      byStatus: [{status: 'new', count: 0}, {status: 'in-progress', count: 1}, {status: 'referred', count: 0}, {status: 'answered', count: 0}, {status: 'closed', count: 2}],
      byCategory: [{category: 'wages-hours', count: 2}, {category: 'leave', count: 1}],
      byAgency: [{agency: 'WHD-PA', count: 2}, {agency: 'DOL-NATIONAL', count: 1}],
      medianDaysToAnswer: 1, // 1 and 7: the nearest-rank median is the first
    })
    matchesSchema('reports-inquiries', r.json)
    for (const who of ['po', 'ro', 'aud']) expect(as(env, who, ['reports', 'inquiries', '--from', '2026-01-01', '--to', '2026-02-28']).json, who).toEqual(r.json)
    expect(as(env, 'tk', ['reports', 'inquiries']).code).toBe(4)
  })

  it('has no median when nothing in the period was answered', () => {
    const r = as(env, 'liz', ['reports', 'inquiries', '--from', '2026-02-01', '--to', '2026-03-31'])
    expect(r.json.medianDaysToAnswer).toBeNull()
    expect(r.json.byCategory).toEqual([{category: 'leave', count: 1}, {category: 'wages-hours', count: 1}])
  })
})

describe('reports imports', () => {
  let env: Env
  let month: string
  beforeAll(() => {
    env = staffed()
    const file = (name: string, lines: string[]) => writeFile(env.dir, name, `${PERSONNEL_HEADER}\n${lines.join('\n')}\n`)
    const first = file('a.csv', [
      personnelLine({employee_id: 'E3001', ssn: '123-45-6701'}),
      personnelLine({employee_id: 'E3002', ssn: '12-345'}), // PE-SSN
      personnelLine({employee_id: 'E3003', ssn: '12-346', pay_plan: 'ZZ'}), // PE-SSN, PE-PAYPLAN
      personnelLine({employee_id: 'E3004', ssn: '123-45-6704', tour_of_duty: 'XX'}), // PE-TOUR (and maybe PE-HOURS)
    ])
    const second = file('b.csv', [personnelLine({employee_id: 'E3005', ssn: '1'})]) // PE-SSN
    const strict = file('c.csv', [personnelLine({employee_id: 'E3006', ssn: '2'})]) // --strict: nothing stored, nothing counted
    for (const f of [first, second]) expect(as(env, 'tk', ['personnel', 'import', f, '--as-of', '2026-11-23']).code).toBe(0)
    expect(as(env, 'tk', ['personnel', 'import', strict, '--strict', '--as-of', '2026-11-23']).code).toBe(3)
    month = storeRows<{imported_at: string}>(env, 'SELECT imported_at FROM import_batches ORDER BY id')[0]!.imported_at.slice(0, 7)
  })

  it('counts rejected rows per reject code and month of import, most frequent first', () => {
    const r = as(env, 'aud', ['reports', 'imports', '--from', '2000-01-01', '--to', '2999-12-31'])
    expect(r.code, r.stdout).toBe(0)
    const tour = r.json.months.filter((m: any) => m.code !== 'PE-SSN' && m.code !== 'PE-PAYPLAN')
    expect(r.json.months.slice(0, 1)).toEqual([{month, kind: 'personnel', code: 'PE-SSN', count: 3}])
    expect(r.json.months).toContainEqual({month, kind: 'personnel', code: 'PE-PAYPLAN', count: 1})
    expect(tour.map((m: any) => m.code)).toContain('PE-TOUR')
    expect(tour.every((m: any) => m.count === 1)).toBe(true)
    expect(r.json).toMatchObject({from: '2000-01-01', to: '2999-12-31'})
    matchesSchema('reports-imports', r.json)
    for (const who of ['po', 'ro']) expect(as(env, who, ['reports', 'imports', '--from', '2000-01-01', '--to', '2999-12-31']).json).toEqual(r.json)
    expect(as(env, 'liz', ['reports', 'imports']).code).toBe(4)
  })

  it('leaves out imports outside the period', () => {
    expect(as(env, 'aud', ['reports', 'imports', '--from', '2000-01-01', '--to', '2020-12-31']).json).toEqual({from: '2000-01-01', to: '2020-12-31', months: []})
  })
})
