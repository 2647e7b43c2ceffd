import Ajv from 'ajv'
import {spawnSync} from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import pg from 'pg'
import {beforeAll, describe, expect, it} from 'vitest'

import {BIN, ROOT, addOperator, cli, cliAsync, connectAs, freshStore, onPostgres, storeRows} from '../helpers/cli.js'
import {adminQuery} from '../helpers/postgres.js'

// CLI.md "Public inquiries (DOL CRM)" and RULES.md "Public inquiries": intake with IQ-* checks, case numbers,
// routing, repeat matching, the caller's status look-up, updates and closure, retention 24 months after
// closure through the registry, access search. Every date is given (--received, --date, --as-of).

type Env = ReturnType<typeof freshStore>
const as = (env: Env, operator: string, args: string[]) => cli({...env, operator}, [...args, '--json'])
const ajv = new Ajv({allErrors: true})
const validators = new Map<string, ReturnType<typeof ajv.compile>>()
/** The result matches schemas/<name>.json. */
function matchesSchema(name: string, json: unknown): void {
  if (!validators.has(name)) validators.set(name, ajv.compile(JSON.parse(fs.readFileSync(path.join(ROOT, 'schemas', `${name}.json`), 'utf8'))))
  const validate = validators.get(name)!
  expect(validate(json), `${name}: ${JSON.stringify(validate.errors)}`).toBe(true)
}

/** The intake form's flags: a complete, valid form unless overridden (a null drops the flag). */
const DANA: Record<string, string> = {
  'first-name': 'Dana', 'last-name': 'Whitfield', 'home-zip': '19104', 'contact-method': 'email', email: 'Dana.Whitfield@Example.com',
  company: 'Keystone Fabrication', street: '400 N Broad St', city: 'Philadelphia', county: 'Philadelphia', state: 'pa', 'workplace-zip': '19122',
  category: 'wages-hours', description: 'My overtime for March was not paid.', received: '2026-11-23',
}
function form(over: Record<string, string | null> = {}, base: Record<string, string> = DANA): string[] {
  const all = {...base, ...over}
  return Object.entries(all).flatMap(([k, v]) => (v === null ? [] : [`--${k}`, v]))
}
const open = (env: Env, over: Record<string, string | null> = {}, base?: Record<string, string>) => as(env, 'liz', ['inquiries', 'open', ...form(over, base)])

function staffed(): Env {
  const env = freshStore()
  addOperator(env, 'liz', 'liaison')
  addOperator(env, 'po', 'privacy-officer')
  return env
}

describe('inquiries open, show, list', () => {
  let env: Env
  beforeAll(() => {
    env = staffed()
  })

  it('opens a case numbered by its received year, status new, routed to DOL-NATIONAL with no rule; show gives the form as stored', () => {
    const first = open(env)
    expect(first.code, first.stdout).toBe(0)
    expect(first.json).toEqual({caseNumber: 'INQ-2026-000001', status: 'new', routedTo: 'DOL-NATIONAL', repeatOf: null, received: '2026-11-23', warnings: []})
    matchesSchema('inquiries-open', first.json)
    // The year is the received date's: a case received in 2025 starts 2025's count; 2026's goes on.
    expect(open(env, {'first-name': 'Luis', 'last-name': 'Ortega', email: 'luis@example.org', received: '2025-12-31'}).json.caseNumber).toBe('INQ-2025-000001')
    expect(open(env, {'first-name': 'Mei', 'last-name': 'Chen', email: 'mei@example.org', received: '2026-01-02'}).json.caseNumber).toBe('INQ-2026-000002')

    const shown = as(env, 'liz', ['inquiries', 'show', 'inq-2026-000001'])
    expect(shown.code).toBe(0)
    matchesSchema('inquiries-show', shown.json)
    expect(shown.json).toMatchObject({
      caseNumber: 'INQ-2026-000001', status: 'new', received: '2026-11-23', firstName: 'Dana', lastName: 'Whitfield', homeZip: '19104',
      contactMethod: 'email', phone: null, email: 'dana.whitfield@example.com', company: 'Keystone Fabrication', street: '400 N Broad St',
      city: 'Philadelphia', county: 'Philadelphia', state: 'PA', workplaceZip: '19122', category: 'wages-hours',
      description: 'My overtime for March was not paid.', routedTo: 'DOL-NATIONAL', repeatOf: null, closedOn: null, createdBy: 'liz',
    })
    expect(shown.json.updates).toEqual([{at: shown.json.createdAt, actor: 'liz', status: 'new', note: null}])
    // The privacy officer may list and show; a timekeeper may not.
    expect(as(env, 'po', ['inquiries', 'show', 'INQ-2026-000001']).json.caseNumber).toBe('INQ-2026-000001')
    addOperator(env, 'tk', 'timekeeper')
    expect(as(env, 'tk', ['inquiries', 'list']).code).toBe(4)
    expect(as(env, 'po', ['inquiries', 'open', ...form()]).code).toBe(4)

    const list = as(env, 'po', ['inquiries', 'list'])
    matchesSchema('inquiries-list', list.json)
    expect(list.json.inquiries.map((i: any) => i.caseNumber)).toEqual(['INQ-2025-000001', 'INQ-2026-000001', 'INQ-2026-000002'])
    expect(as(env, 'liz', ['inquiries', 'list', '--status', 'closed']).json.inquiries).toEqual([])
    expect(as(env, 'liz', ['inquiries', 'list', '--routed-to', 'dol-national']).json.inquiries).toHaveLength(3)
    expect(as(env, 'liz', ['inquiries', 'list', '--status', 'lost']).code).toBe(2)
    const missing = as(env, 'liz', ['inquiries', 'show', 'INQ-2026-999999'])
    expect(missing.code).toBe(5)
    expect(missing.json.error.code).toBe('INQUIRY_NOT_FOUND')

    // Human output: the case line and where it went.
    const human = cli({...env, operator: 'liz'}, ['inquiries', 'open', ...form({'first-name': 'Ana', 'last-name': 'Ruiz', email: 'ana@example.org', received: '2026-11-24'})])
    expect(human.stdout).toBe('Opened INQ-2026-000003 (new), received 2026-11-24, routed to DOL-NATIONAL.\n')
  })

  it('numbers cases concurrently opened without a gap or a repeat', async () => {
    const fresh = staffed()
    const runs = Array.from({length: 6}, (_, i) => new Promise<{code: number | null; out: string}>((resolve) => {
      const child = cliAsync({...fresh, operator: 'liz'}, ['inquiries', 'open', ...form({'first-name': `Caller${'abcdef'[i]}`, email: `caller${i}@example.org`}), '--json'])
      let out = ''
      child.stdout!.on('data', (d) => (out += d))
      child.on('close', (code) => resolve({code, out}))
    }))
    const results = await Promise.all(runs)
    for (const r of results) expect(r.code, r.out).toBe(0)
    expect(results.map((r) => JSON.parse(r.out).caseNumber).sort()).toEqual([1, 2, 3, 4, 5, 6].map((n) => `INQ-2026-00000${n}`))
  })
})

const hasPython = spawnSync('python3', ['-c', 'import pty'], {encoding: 'utf8'}).status === 0
const BACKSPACE = '\u007F'

describe('inquiries open on a terminal: the intake form', () => {
  it.skipIf(!hasPython)('asks for each field, refuses a bad name, ZIP, email or state as it is typed, and opens the case', () => {
    const env = staffed()
    const steps = [
      ['First name', 'Dana\r'],
      ['Last name', 'Whitf1eld\r'],
      ['holds characters', `${BACKSPACE.repeat(9)}Whitfield\r`],
      ['Home ZIP', '1910\r'],
      ['is not a ZIP code', `${BACKSPACE.repeat(4)}19104\r`],
      ['Preferred contact method', '\r'], // the first choice: email
      ['Phone (optional', '\r'],
      ['Email', 'dana@example\r'],
      ['not a plausible', '.com\r'],
      ['Employer', 'Keystone Fabrication\r'],
      ['street address', '\r'],
      ['Workplace city', 'Philadelphia\r'],
      ['Workplace county', '\r'],
      ['Workplace state', 'XX\r'],
      ['not a USPS state', `${BACKSPACE.repeat(2)}pa\r`],
      ['Workplace ZIP', '19122\r'],
      ['Category', '\r'], // the first choice: discrimination
      ['Describe', 'Let go after asking about overtime.\r'],
      ['Received on', '2026-11-20\r'],
    ]
    const r = spawnSync('python3', [path.join(ROOT, 'test', 'helpers', 'pty-drive.py'), JSON.stringify(steps), process.execPath, BIN, 'inquiries', 'open'], {
      encoding: 'utf8',
      env: {PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? os.tmpdir(), CUSTODIAN_DB: connectAs({...env, operator: 'liz'}), CUSTODIAN_OPERATOR: 'liz', NO_COLOR: '1', TERM: 'xterm'},
      timeout: 90_000,
    })
    expect(r.status, r.stdout + r.stderr).toBe(0)
    expect(r.stdout).toContain('Opened INQ-2026-000001 (new), received 2026-11-20, routed to DOL-NATIONAL.')
    expect(as(env, 'liz', ['inquiries', 'show', 'INQ-2026-000001']).json).toMatchObject({
      firstName: 'Dana', lastName: 'Whitfield', homeZip: '19104', contactMethod: 'email', phone: null, email: 'dana@example.com', company: 'Keystone Fabrication',
      street: null, city: 'Philadelphia', county: null, state: 'PA', workplaceZip: '19122', category: 'discrimination', description: 'Let go after asking about overtime.',
    })
  })

  it('without a terminal and without the form\'s flags, it is IQ-REQUIRED (exit 3) and opens nothing', () => {
    const env = staffed()
    const r = as(env, 'liz', ['inquiries', 'open'])
    expect(r.code).toBe(3)
    expect(r.json.error.code).toBe('IQ-REQUIRED')
    expect(r.json.error.errors.map((e: any) => e.column)).toEqual(['first_name', 'last_name', 'home_zip', 'contact_method', 'category', 'description'])
  })
})

describe('inquiries open: the IQ-* intake checks', () => {
  const env = () => shared
  let shared: Env
  beforeAll(() => {
    shared = staffed()
  })

  // [what, code, column, form override]: each form has exactly that one finding.
  const cases: [string, string, string, Record<string, string | null>][] = [
    ['no first name', 'IQ-REQUIRED', 'first_name', {'first-name': null}],
    ['no description', 'IQ-REQUIRED', 'description', {description: null}],
    ['phone named but missing', 'IQ-REQUIRED', 'phone', {'contact-method': 'phone'}],
    ['email named but missing', 'IQ-REQUIRED', 'email', {email: null}],
    ['a name with digits', 'IQ-NAME', 'last_name', {'last-name': 'Whitf1eld'}],
    ['a four-digit home ZIP', 'IQ-ZIP', 'home_zip', {'home-zip': '1910'}],
    ['a workplace ZIP of six digits', 'IQ-ZIP', 'workplace_zip', {'workplace-zip': '191220'}],
    ['contact by fax', 'IQ-CONTACT', 'contact_method', {'contact-method': 'fax'}],
    ['a seven-digit phone', 'IQ-PHONE', 'phone', {phone: '555-0100'}],
    ['an email without a dot in the domain', 'IQ-EMAIL', 'email', {email: 'dana@example'}],
    ['state XX', 'IQ-STATE', 'state', {state: 'XX'}],
    ['category taxes', 'IQ-CATEGORY', 'category', {category: 'taxes'}],
    ['a 4001-character description', 'IQ-DESCRIPTION', 'description', {description: 'x'.repeat(4001)}],
    ['a 101-character company', 'IQ-TEXT', 'company', {company: 'C'.repeat(101)}],
  ]

  it.each(cases)('%s: exit 3, %s on %s, nothing stored', (_what, code, column, over) => {
    const r = open(env(), over)
    expect(r.code, r.stdout).toBe(3)
    expect(r.json.error.code).toBe(code)
    expect(r.json.error.errors).toEqual([{code, column, message: expect.any(String)}])
    matchesSchema('error', r.json)
    expect(as(env(), 'liz', ['inquiries', 'list']).json.inquiries).toEqual([])
  })

  it('reports every finding of a form at once; the first one\'s code is the error code', () => {
    const r = open(env(), {'home-zip': 'abc', email: 'nope', category: 'misc', state: 'ZZ'})
    expect(r.code).toBe(3)
    expect(r.json.error.code).toBe('IQ-ZIP')
    expect(r.json.error.errors.map((e: any) => `${e.code}:${e.column}`)).toEqual(['IQ-ZIP:home_zip', 'IQ-EMAIL:email', 'IQ-STATE:state', 'IQ-CATEGORY:category'])
    const human = cli({...env(), operator: 'liz'}, ['inquiries', 'open', ...form({'home-zip': 'abc'})])
    expect(human.code).toBe(3)
    expect(human.stderr).toBe('Error: The inquiry was not opened: home_zip "abc" is not a ZIP code: 5 digits, or ZIP+4 (12345-6789).\n')
  })

  it('accepts the formats people write: ZIP+4, a phone with punctuation and a leading 1, a four-thousand-character description', () => {
    const r = open(env(), {'contact-method': 'phone', phone: '+1 (215) 555-0100', email: null, 'home-zip': '19104-2201', description: 'y'.repeat(4000)})
    expect(r.code, r.stdout).toBe(0)
    const shown = as(env(), 'liz', ['inquiries', 'show', r.json.caseNumber]).json
    expect(shown).toMatchObject({phone: '2155550100', email: null, homeZip: '19104-2201', contactMethod: 'phone'})
    // A bad --received is a usage error (exit 2), a received date after today a warning.
    expect(open(env(), {received: '2026-02-30'}).code).toBe(2)
    expect(open(env(), {received: '2999-01-04'}).json.warnings).toEqual([expect.stringContaining('after today')])
  })
})

describe('inquiries routes: ZIP prefix over state, longest prefix first, else DOL-NATIONAL', () => {
  it('routes each inquiry by the rules in force when it is opened; admins manage the table, others may not', () => {
    const env = staffed()
    const admin = (args: string[]) => as(env, 'admin', ['inquiries', 'routes', ...args])
    const empty = admin(['list'])
    expect(empty.json).toEqual({routes: [], fallback: 'DOL-NATIONAL'})
    matchesSchema('inquiries-routes-list', empty.json)
    const state = admin(['set', '--state', 'pa', '--agency', 'ofccp-mid-atlantic'])
    expect(state.code, state.stdout).toBe(0)
    matchesSchema('inquiries-routes-set', state.json)
    expect(state.json).toMatchObject({route: {state: 'PA', zipPrefix: null, agency: 'OFCCP-MID-ATLANTIC', updatedBy: 'admin'}, previous: null})
    expect(admin(['set', '--zip-prefix', '19', '--agency', 'OFCCP-EAST-PA']).code).toBe(0)
    expect(admin(['set', '--zip-prefix', '191', '--agency', 'OFCCP-PHILADELPHIA']).code).toBe(0)
    expect(admin(['set', '--state', 'NJ', '--agency', 'OFCCP-NJ']).code).toBe(0)
    expect(admin(['list']).json.routes.map((r: any) => [r.zipPrefix ?? r.state, r.agency])).toEqual([
      ['191', 'OFCCP-PHILADELPHIA'], ['19', 'OFCCP-EAST-PA'], ['NJ', 'OFCCP-NJ'], ['PA', 'OFCCP-MID-ATLANTIC'],
    ])

    const routed = (workplace: Record<string, string | null>) => open(env, {...workplace}).json.routedTo
    expect(routed({state: 'PA', 'workplace-zip': '19122'})).toBe('OFCCP-PHILADELPHIA') // longest prefix
    expect(routed({state: 'PA', 'workplace-zip': '19010-1234'})).toBe('OFCCP-EAST-PA') // a shorter prefix
    expect(routed({state: 'PA', 'workplace-zip': '15213'})).toBe('OFCCP-MID-ATLANTIC') // no prefix: the state
    expect(routed({state: 'NJ', 'workplace-zip': '19122'})).toBe('OFCCP-PHILADELPHIA') // a prefix wins over a state
    expect(routed({state: 'NJ', 'workplace-zip': null})).toBe('OFCCP-NJ')
    expect(routed({state: 'NY', 'workplace-zip': '10001'})).toBe('DOL-NATIONAL') // no rule
    expect(routed({state: null, 'workplace-zip': null})).toBe('DOL-NATIONAL')

    const changed = admin(['set', '--state', 'PA', '--agency', 'OFCCP-PA'])
    expect(changed.json).toMatchObject({route: {state: 'PA', agency: 'OFCCP-PA'}, previous: 'OFCCP-MID-ATLANTIC'})
    const removed = admin(['remove', '--zip-prefix', '191'])
    expect(removed.code).toBe(0)
    matchesSchema('inquiries-routes-remove', removed.json)
    expect(removed.json.removed).toMatchObject({zipPrefix: '191', state: null, agency: 'OFCCP-PHILADELPHIA'})
    expect(routed({state: 'PA', 'workplace-zip': '19122'})).toBe('OFCCP-EAST-PA')
    const gone = admin(['remove', '--zip-prefix', '191'])
    expect(gone.code).toBe(5)
    expect(gone.json.error.code).toBe('ROUTE_NOT_FOUND')
    // Earlier cases keep where they were sent.
    expect(as(env, 'liz', ['inquiries', 'list', '--routed-to', 'OFCCP-PHILADELPHIA']).json.inquiries).toHaveLength(2)

    // Usage: exactly one of --state and --zip-prefix, a real state, digits, an agency code.
    for (const args of [['set', '--agency', 'X1'], ['set', '--state', 'PA', '--zip-prefix', '1', '--agency', 'X1'], ['set', '--state', 'XX', '--agency', 'X1'],
      ['set', '--zip-prefix', '1a', '--agency', 'X1'], ['set', '--zip-prefix', '123456', '--agency', 'X1'], ['set', '--state', 'PA', '--agency', 'bad agency'],
      ['remove', '--state', 'PA', '--zip-prefix', '19']]) {
      expect(admin(args).code, args.join(' ')).toBe(2)
    }
    // Only admins: a liaison may neither change nor list the table.
    expect(as(env, 'liz', ['inquiries', 'routes', 'set', '--state', 'PA', '--agency', 'X1']).code).toBe(4)
    expect(as(env, 'liz', ['inquiries', 'routes', 'remove', '--state', 'PA']).code).toBe(4)
    expect(as(env, 'liz', ['inquiries', 'routes', 'list']).code).toBe(4)
  })
})

describe('inquiries open: repeat inquiries', () => {
  it('matches the earlier case of the same name (any case and accents) and the same email or phone', () => {
    const env = staffed()
    const first = open(env, {'first-name': 'José', 'last-name': 'Núñez', email: 'jose.nunez@example.org', phone: '215-555-0142', received: '2026-03-01'}).json.caseNumber
    expect(first).toBe('INQ-2026-000001')
    // Same name folded, same email in another case: a repeat of the first.
    const byEmail = open(env, {'first-name': 'JOSE', 'last-name': 'nunez', email: 'Jose.Nunez@EXAMPLE.org', received: '2026-03-05'})
    expect(byEmail.json).toMatchObject({caseNumber: 'INQ-2026-000002', repeatOf: first})
    // Same name, the phone written differently, another email: a repeat of the case that gave that phone.
    const byPhone = open(env, {'first-name': 'Jose', 'last-name': 'Nuñez', email: 'jn@example.net', 'contact-method': 'phone', phone: '(215) 555 0142', received: '2026-03-09'})
    expect(byPhone.json).toMatchObject({caseNumber: 'INQ-2026-000003', repeatOf: first})
    // Same email, another name; same name, other email and phone: not repeats.
    expect(open(env, {'first-name': 'Maria', 'last-name': 'Núñez', email: 'jose.nunez@example.org'}).json.repeatOf).toBeNull()
    expect(open(env, {'first-name': 'José', 'last-name': 'Núñez', email: 'other@example.org'}).json.repeatOf).toBeNull()
    expect(as(env, 'liz', ['inquiries', 'show', 'INQ-2026-000003']).json.repeatOf).toBe(first)
    // Several earlier cases match: the latest of them.
    const human = cli({...env, operator: 'liz'}, ['inquiries', 'open', ...form({'first-name': 'José', 'last-name': 'Núñez', email: 'jose.nunez@example.org'})])
    expect(human.stdout).toContain('It repeats INQ-2026-000002: the same person asked before.')
  })
})

describe('inquiries status: a caller\'s question by case number and home ZIP', () => {
  it('answers status and last change only; a wrong ZIP and an unknown case get the very same answer', () => {
    const env = staffed()
    const {caseNumber} = open(env).json
    const r = as(env, 'liz', ['inquiries', 'status', caseNumber, '--zip', '19104'])
    expect(r.code).toBe(0)
    matchesSchema('inquiries-status', r.json)
    expect(Object.keys(r.json)).toEqual(['caseNumber', 'status', 'updated'])
    expect(r.json).toMatchObject({caseNumber, status: 'new', updated: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/)})
    // ZIP+4 of the same ZIP, and a case number in lower case, are the same question.
    expect(as(env, 'liz', ['inquiries', 'status', caseNumber.toLowerCase(), '--zip', '19104-0001']).json.caseNumber).toBe(caseNumber)

    const wrongZip = as(env, 'liz', ['inquiries', 'status', caseNumber, '--zip', '19103'])
    const unknown = as(env, 'liz', ['inquiries', 'status', 'INQ-2026-000042', '--zip', '19104'])
    const nonsense = as(env, 'liz', ['inquiries', 'status', 'no-such-thing', '--zip', '19104'])
    for (const x of [wrongZip, unknown, nonsense]) {
      expect(x.code).toBe(5)
      expect(x.stdout).toBe(wrongZip.stdout)
    }
    expect(wrongZip.json).toEqual({error: {code: 'INQUIRY_NOT_FOUND', message: 'No inquiry matches that case number and home ZIP code. Check both and ask again.'}})
    const humanWrong = cli({...env, operator: 'liz'}, ['inquiries', 'status', caseNumber, '--zip', '19103'])
    const humanUnknown = cli({...env, operator: 'liz'}, ['inquiries', 'status', 'INQ-2026-000042', '--zip', '19104'])
    expect([humanWrong.code, humanWrong.stdout, humanWrong.stderr]).toEqual([humanUnknown.code, humanUnknown.stdout, humanUnknown.stderr])

    // A ZIP that is no ZIP says nothing about any case: a usage error. Only liaisons answer callers.
    expect(as(env, 'liz', ['inquiries', 'status', caseNumber, '--zip', '191']).code).toBe(2)
    expect(as(env, 'po', ['inquiries', 'status', caseNumber, '--zip', '19104']).code).toBe(4)
    // After an update the status answers it.
    as(env, 'liz', ['inquiries', 'update', caseNumber, '--status', 'referred'])
    expect(as(env, 'liz', ['inquiries', 'status', caseNumber, '--zip', '19104']).json.status).toBe('referred')
  })
})

describe('inquiries update and close', () => {
  it('moves a case along with notes, closes it once (twice: exit 6), and a closed case changes no more', () => {
    const env = staffed()
    const {caseNumber} = open(env, {received: '2026-10-01'}).json
    const updated = as(env, 'liz', ['inquiries', 'update', caseNumber, '--status', 'in-progress', '--note', 'Called back; asked for pay stubs.'])
    expect(updated.code, updated.stdout).toBe(0)
    matchesSchema('inquiries-update', updated.json)
    expect(updated.json.status).toBe('in-progress')
    expect(as(env, 'liz', ['inquiries', 'update', caseNumber, '--status', 'answered']).json.status).toBe('answered')
    expect(as(env, 'liz', ['inquiries', 'update', caseNumber, '--status', 'closed']).code).toBe(2)
    expect(as(env, 'liz', ['inquiries', 'update', caseNumber, '--status', 'new']).code).toBe(2)
    expect(as(env, 'po', ['inquiries', 'update', caseNumber, '--status', 'referred']).code).toBe(4)
    expect(as(env, 'liz', ['inquiries', 'update', 'INQ-2026-000099', '--status', 'referred']).json.error.code).toBe('INQUIRY_NOT_FOUND')

    expect(as(env, 'liz', ['inquiries', 'close', caseNumber, '--date', '2026-09-30']).code).toBe(2) // before it was received
    expect(as(env, 'liz', ['inquiries', 'close', caseNumber, '--date', '2999-01-01']).code).toBe(2) // after today
    const closed = as(env, 'liz', ['inquiries', 'close', caseNumber, '--date', '2026-10-20', '--note', 'Answered by email.'])
    expect(closed.code, closed.stdout).toBe(0)
    matchesSchema('inquiries-close', closed.json)
    expect(closed.json).toMatchObject({caseNumber, status: 'closed', closedOn: '2026-10-20', closedBy: 'liz'})
    expect(closed.json.updates.map((u: any) => [u.status, u.note])).toEqual([
      ['new', null], ['in-progress', 'Called back; asked for pay stubs.'], ['answered', null], ['closed', 'Answered by email.'],
    ])
    const again = as(env, 'liz', ['inquiries', 'close', caseNumber])
    expect(again.code).toBe(6)
    expect(again.json.error.code).toBe('INQUIRY_CLOSED')
    expect(as(env, 'liz', ['inquiries', 'update', caseNumber, '--status', 'referred']).json.error.code).toBe('INQUIRY_CLOSED')
    expect(as(env, 'liz', ['inquiries', 'list', '--status', 'closed']).json.inquiries.map((i: any) => i.caseNumber)).toEqual([caseNumber])
  })
})

describe('inquiries through the registry: retention 24 months after closure, holds, access search', () => {
  const GONE = {'first-name': 'Wilhelmina', 'last-name': 'Quargsby', email: 'w.quargsby@example.net', phone: '215-555-0177', description: 'Zorblat overtime never paid', received: '2026-01-05'}
  const KEPT = {'first-name': 'Octavia', 'last-name': 'Fennimore', email: 'o.fennimore@example.net', description: 'Plimsoll safety question', received: '2026-01-06'}
  const needles = ['Quargsby', 'w.quargsby@example.net', '2155550177', 'Zorblat']
  const item = (plan: any) => plan.items.find((i: any) => i.recordType === 'inquiry')

  it('an inquiry is due 24 months after its closing date (never while open); a hold keeps it; a sweep destroys it and leaves no trace', async () => {
    const env = staffed()
    addOperator(env, 'rex', 'records-officer')
    addOperator(env, 'aud', 'auditor')
    const gone = open(env, GONE).json.caseNumber
    const kept = open(env, KEPT).json.caseNumber
    as(env, 'liz', ['inquiries', 'update', gone, '--status', 'answered', '--note', 'Zorblat payroll records requested'])
    expect(as(env, 'liz', ['inquiries', 'close', gone, '--date', '2026-02-10']).code).toBe(0)

    const schedules = as(env, 'aud', ['retention', 'schedules']).json.schedules
    expect(schedules.find((s: any) => s.recordType === 'inquiry')).toMatchObject({code: 'DOL-CRM-INQUIRY', trigger: 'case closed', retainMonths: 24, action: 'destroy'})
    expect(item(as(env, 'aud', ['retention', 'plan', '--as-of', '2028-02-09']).json)).toMatchObject({code: 'DOL-CRM-INQUIRY', eligible: 0})
    expect(item(as(env, 'aud', ['retention', 'plan', '--as-of', '2028-02-10']).json)).toMatchObject({eligible: 1, held: 0})
    // The open case is never due.
    expect(item(as(env, 'aud', ['retention', 'plan', '--as-of', '2040-01-01']).json)).toMatchObject({eligible: 1})

    // An open Privacy Act request naming the case keeps it until the request is closed.
    const req = as(env, 'po', ['requests', 'open', '--type', 'access', '--requester', 'The caller (named in the case)', '--case', gone, '--received', '2026-03-02'])
    expect(req.code, req.stdout).toBe(0)
    expect(item(as(env, 'aud', ['retention', 'plan', '--as-of', '2028-02-10']).json)).toMatchObject({eligible: 0, blockedByRequest: 1})
    expect(as(env, 'po', ['requests', 'close', req.json.requestId]).code).toBe(0)
    expect(item(as(env, 'aud', ['retention', 'plan', '--as-of', '2028-02-10']).json)).toMatchObject({eligible: 1, blockedByRequest: 0})
    const hold = as(env, 'rex', ['holds', 'place', '--reason', 'Wage-hour litigation', '--record-type', 'inquiry'])
    expect(hold.code, hold.stdout).toBe(0)
    expect(item(as(env, 'rex', ['retention', 'plan', '--as-of', '2028-02-10']).json)).toMatchObject({eligible: 0, held: 1})
    expect(as(env, 'rex', ['retention', 'sweep', '--as-of', '2028-02-10', '--yes']).json.destroyed.inquiry ?? 0).toBe(0)
    expect(as(env, 'rex', ['holds', 'release', String(hold.json.holdId)]).code).toBe(0)

    const sweep = as(env, 'rex', ['retention', 'sweep', '--as-of', '2028-02-10', '--yes'])
    expect(sweep.code, sweep.stdout).toBe(0)
    expect(sweep.json.destroyed).toMatchObject({inquiry: 1})
    expect(as(env, 'liz', ['inquiries', 'show', gone]).code).toBe(5)
    // The caller of a destroyed case hears what any unknown case hears.
    expect(as(env, 'liz', ['inquiries', 'status', gone, '--zip', '19104']).json.error.code).toBe('INQUIRY_NOT_FOUND')
    expect(as(env, 'liz', ['inquiries', 'list']).json.inquiries.map((i: any) => i.caseNumber)).toEqual([kept])
    const cert = as(env, 'aud', ['retention', 'certificate', sweep.json.disposalId])
    expect(cert.json.certificate.schedules.find((s: any) => s.recordType === 'inquiry')).toMatchObject({code: 'DOL-CRM-INQUIRY', destroyed: 1})
    expect(storeRows(env, 'SELECT count(*) AS n FROM inquiry_updates')[0].n).toEqual(1)
    // A case number once given is never given again.
    expect(open(env, {'first-name': 'Ida', 'last-name': 'Bell', email: 'ida@example.org', received: '2026-03-01'}).json.caseNumber).toBe('INQ-2026-000003')

    // No byte of the destroyed case is left in the store's files; the kept case's are.
    const found = await traces(env, [...needles, 'Fennimore'])
    expect(found.filter((f) => !f.startsWith('Fennimore'))).toEqual([])
    expect(found.some((f) => f.startsWith('Fennimore'))).toBe(true)
    expect(as(env, 'aud', ['audit', 'verify']).json.ok).toBe(true)
  })


  it('a request naming the caller\'s email or phone keeps the case, in an auditor\'s plan as in a records officer\'s', () => {
    const env = staffed()
    addOperator(env, 'rex', 'records-officer')
    addOperator(env, 'aud', 'auditor')
    const gone = open(env, GONE).json.caseNumber
    expect(as(env, 'liz', ['inquiries', 'close', gone, '--date', '2026-02-10']).code).toBe(0)
    expect(item(as(env, 'aud', ['retention', 'plan', '--as-of', '2028-02-10']).json)).toMatchObject({eligible: 1, blockedByRequest: 0})
    // The auditor may read neither the case's email nor its phone (on PostgreSQL, by the server's grants).
    for (const subject of [['--email', 'W.Quargsby@Example.NET'], ['--phone', '+1 (215) 555.0177']]) {
      const byReach = as(env, 'po', ['requests', 'open', '--type', 'access', '--requester', 'The caller', ...subject, '--received', '2026-03-02'])
      expect(byReach.code, byReach.stdout).toBe(0)
      for (const who of ['aud', 'rex']) {
        expect(item(as(env, who, ['retention', 'plan', '--as-of', '2028-02-10']).json), `${who} ${subject.join(' ')}`).toMatchObject({eligible: 0, blockedByRequest: 1})
      }
      expect(as(env, 'po', ['requests', 'close', byReach.json.requestId]).code).toBe(0)
    }
    expect(item(as(env, 'aud', ['retention', 'plan', '--as-of', '2028-02-10']).json)).toMatchObject({eligible: 1, blockedByRequest: 0})
  })
  it('an access request by the requester\'s email finds their inquiries (every case of theirs), in search and in the response package', () => {
    const env = staffed()
    const a = open(env, GONE).json.caseNumber
    const b = open(env, {...GONE, email: 'W.Quargsby@Example.NET', received: '2026-02-01'}).json.caseNumber
    open(env, KEPT)
    const req = as(env, 'po', ['requests', 'open', '--type', 'access', '--requester', 'Wilhelmina Quargsby', '--email', 'w.quargsby@example.net', '--received', '2026-11-02'])
    expect(req.code, req.stdout).toBe(0)
    const search = as(env, 'po', ['requests', 'search', req.json.requestId])
    expect(search.code, search.stdout).toBe(0)
    expect(search.json.records.inquiry.map((r: any) => r.case_number)).toEqual([a, b])
    expect(search.json.records.inquiry[0]).toMatchObject({first_name: 'Wilhelmina', email: 'w.quargsby@example.net', phone: '2155550177', updates: [{status: 'new'}]})
    const out = path.join(env.dir, 'package')
    expect(as(env, 'po', ['requests', 'fulfill', req.json.requestId, '--out', out]).code).toBe(0)
    expect(fs.readFileSync(path.join(out, 'inquiry.csv'), 'utf8')).toContain(a)
  })
})

describe('inquiries amended through a Privacy Act request, and kept while a request names their email or phone', () => {
  it('a granted amendment changes the case as stored (email lower case, phone digits) and notes it; an invalid value is refused', () => {
    const env = staffed()
    const caseNumber = open(env, {phone: '215-555-0177'}).json.caseNumber
    const req = as(env, 'po', ['requests', 'open', '--type', 'amendment', '--requester', 'Dana Whitfield', '--case', caseNumber, '--received', '2026-11-30'])
    expect(req.code, req.stdout).toBe(0)
    const id = req.json.requestId
    const amend = (field: string, value: string) => as(env, 'po', ['requests', 'amend', id, '--record', `inquiry:${caseNumber}`, '--field', field, '--value', value])
    const zip = amend('home_zip', '1910')
    expect([zip.code, zip.json.error.code]).toEqual([3, 'IQ-ZIP'])
    expect(amend('email', 'not-an-email').json.error.code).toBe('IQ-EMAIL')
    expect(amend('state', 'ZZ').json.error.code).toBe('IQ-STATE')
    expect(amend('description', 'Something else').code).toBe(2)
    const email = amend('email', 'Dana.W@Example.ORG')
    expect(email.code, email.stdout).toBe(0)
    expect(email.json.amendment).toMatchObject({field: 'email', currentValue: 'dana.whitfield@example.com', requestedValue: 'dana.w@example.org'})
    expect(amend('phone', '1 (215) 555-0188').json.amendment).toMatchObject({currentValue: '2155550177', requestedValue: '2155550188'})
    expect(amend('last_name', 'Whitfield-Ortiz').code).toBe(0)
    expect(as(env, 'liz', ['inquiries', 'show', caseNumber]).json).toMatchObject({email: 'dana.whitfield@example.com', lastName: 'Whitfield'})
    const granted = as(env, 'po', ['requests', 'decide', id, '--grant'])
    expect(granted.code, granted.stdout).toBe(0)
    const shown = as(env, 'liz', ['inquiries', 'show', caseNumber]).json
    expect(shown).toMatchObject({email: 'dana.w@example.org', phone: '2155550188', lastName: 'Whitfield-Ortiz', homeZip: '19104', status: 'new'})
    expect(shown.updates.at(-1)).toMatchObject({actor: 'po', status: 'new', note: expect.stringMatching(new RegExp(`${id}.*email, phone, last_name`))})
    // The name's matching key followed the name: a later case of the amended name and email is a repeat.
    expect(open(env, {'last-name': 'Whitfield-Ortiz', email: 'dana.w@example.org'}).json.repeatOf).toBe(caseNumber)
  })

  it('an open request by the case\'s email or phone keeps the closed case out of a sweep until it is closed', () => {
    const env = staffed()
    addOperator(env, 'rex', 'records-officer')
    const caseNumber = open(env, {phone: '215-555-0177', received: '2026-01-05'}).json.caseNumber
    expect(as(env, 'liz', ['inquiries', 'close', caseNumber, '--date', '2026-02-10']).code).toBe(0)
    const item = (plan: any) => plan.items.find((i: any) => i.recordType === 'inquiry')
    const asOf = ['--as-of', '2028-02-10']
    for (const subject of [['--email', 'DANA.WHITFIELD@example.com'], ['--phone', '(215) 555-0177']]) {
      const req = as(env, 'po', ['requests', 'open', '--type', 'access', '--requester', 'Dana Whitfield', ...subject, '--received', '2026-03-02'])
      expect(req.code, req.stdout).toBe(0)
      expect(item(as(env, 'rex', ['retention', 'plan', ...asOf]).json), subject.join(' ')).toMatchObject({eligible: 0, blockedByRequest: 1})
      expect(as(env, 'rex', ['retention', 'sweep', ...asOf, '--yes']).json.destroyed.inquiry ?? 0).toBe(0)
      expect(as(env, 'po', ['requests', 'close', req.json.requestId]).code).toBe(0)
    }
    expect(item(as(env, 'rex', ['retention', 'plan', ...asOf]).json)).toMatchObject({eligible: 1, blockedByRequest: 0})
  })
})

/** Where the needles are in the store's files: SQLite's file, WAL and shared memory; PostgreSQL's files of the store's database. */
async function traces(env: Env, needles: string[]): Promise<string[]> {
  let files: string[]
  if (onPostgres) {
    const name = new URL(env.db).pathname.slice(1)
    const [{dir}] = await adminQuery<{dir: string}>('SELECT current_setting(\'data_directory\') AS dir')
    const [{oid}] = await adminQuery<{oid: number}>(`SELECT oid FROM pg_database WHERE datname = '${name}'`)
    const base = path.join(dir, 'base', String(oid))
    // The database's own folder of the server the suite started (an outside server's files are not ours to read).
    expect(fs.existsSync(base), `${base} is readable`).toBe(true)
    files = fs.readdirSync(base).map((f) => path.join(base, f)).filter((f) => fs.statSync(f).isFile())
  } else {
    files = [env.db, `${env.db}-wal`, `${env.db}-shm`].filter((f) => fs.existsSync(f))
  }
  const found: string[] = []
  for (const f of files) {
    const text = fs.readFileSync(f).toString('latin1').toLowerCase()
    for (const n of needles) if (text.includes(n.toLowerCase())) found.push(`${n} in ${path.basename(f)}`)
  }
  return found
}

// The server enforces the liaison's duties: connected under its own login with a plain client (as psql
// would), it reads and changes no more than its commands need.
describe.runIf(onPostgres)('on PostgreSQL a liaison connected directly', () => {
  it('is refused every table outside its duties, and every change its commands do not make', async () => {
    const env = staffed()
    open(env)
    const client = new pg.Client({connectionString: connectAs({...env, operator: 'liz'})})
    await client.connect()
    const attempts: [what: string, sql: string, refusal: 'denied' | 'no rows'][] = [
      ['reads employees', 'SELECT * FROM employees', 'denied'],
      ['reads requests', 'SELECT requester FROM requests', 'denied'],
      ['reads accounts', 'SELECT email FROM accounts', 'denied'],
      ['reads disclosures', 'SELECT * FROM disclosures', 'denied'],
      ['reads the audit trail', 'SELECT * FROM audit_log', 'denied'],
      ['deletes an inquiry', 'DELETE FROM inquiries', 'denied'],
      ['deletes inquiry updates', 'DELETE FROM inquiry_updates', 'denied'],
      ['rewrites an inquirer\'s email', "UPDATE inquiries SET email = 'x@example.org'", 'denied'],
      ['rewrites a description', "UPDATE inquiries SET description = 'x'", 'denied'],
      ['rewrites an update\'s note', "UPDATE inquiry_updates SET note = 'x'", 'denied'],
      ['adds a routing rule', "INSERT INTO inquiry_routes (kind, value, agency, updated_at, updated_by) VALUES ('state', 'PA', 'X1', 'now', 'liz')", 'denied'],
      ['changes a routing rule', "UPDATE inquiry_routes SET agency = 'X1'", 'denied'],
      ['adds a category', "INSERT INTO inquiry_categories (code, title) VALUES ('x', 'x')", 'denied'],
      ['changes a retention schedule', 'UPDATE retention_schedules SET retain_months = 1', 'denied'],
      ['changes another setting', "UPDATE settings SET value = 'XX' WHERE key = 'agency.code' RETURNING key", 'no rows'],
      ['writes the request counter', "INSERT INTO settings (key, value) VALUES ('requests.last_number.2026', '9')", 'denied'],
      ['makes itself admin', "UPDATE operators SET role = 'admin' WHERE name = 'liz'", 'denied'],
      ['appends to the audit trail directly', "INSERT INTO audit_log VALUES (999, 'now', 'x', 'x', NULL, NULL, NULL, 'x', 'y')", 'denied'],
    ]
    const failures: string[] = []
    try {
      for (const [what, text, refusal] of attempts) {
        try {
          const r = await client.query(text)
          if (refusal === 'denied') failures.push(`${what}: allowed (${r.rowCount} rows)`)
          else if ((r.rowCount ?? 0) > 0) failures.push(`${what}: ${r.rowCount} rows`)
        } catch (error) {
          const code = (error as {code?: string}).code
          if (refusal === 'no rows' || code !== '42501') failures.push(`${what}: ${code} ${(error as Error).message}`)
        }
      }
      // What its commands do, it may: read its cases, move their status.
      expect((await client.query('SELECT case_number FROM inquiries')).rows).toEqual([{case_number: 'INQ-2026-000001'}])
    } finally {
      await client.end()
    }
    expect(failures).toEqual([])
    expect(as(env, 'liz', ['inquiries', 'update', 'INQ-2026-000001', '--status', 'answered']).code).toBe(0)
    expect(as(env, 'liz', ['inquiries', 'close', 'INQ-2026-000001', '--date', '2026-11-30']).code).toBe(0)
    expect(as(env, 'admin', ['audit', 'verify']).json.ok).toBe(true)
  })
})
