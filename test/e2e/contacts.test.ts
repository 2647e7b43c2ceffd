import {spawnSync} from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {beforeEach, describe, expect, it} from 'vitest'

import {BIN, FIXTURES, ROOT, addOperator, cli, connectAs, freshStore, onPostgres, sqliteTraces, storeExec, storeRows, writeFile} from '../helpers/cli.js'

// CLI.md "Stakeholder contacts (DHS/ALL-002)", RULES.md "Stakeholder contacts": add, import, list, show with
// masking by owner and role, touch, forget (destroyed as a sweep destroys, keyed-hash suppression), export.

const FIXTURE = path.join(FIXTURES, 'contacts.csv')
const HEADER = 'name,salutation,organization,title,email,work_phone,cell_phone,work_address,issues,interests,notes,owner,last_contacted'
type Env = ReturnType<typeof freshStore>

/** Each test's own key file (created by init run again with CUSTODIAN_KEY_FILE). */
const keyed = (env: Env) => ({...env, env: {CUSTODIAN_KEY_FILE: path.join(env.dir, 'custodian.key')}})
const as = (env: Env, operator: string, args: string[]) => cli({...keyed(env), operator}, [...args, '--json'])
const count = (env: Env, table: string) => Number(storeRows(env, `SELECT count(*) AS n FROM ${table}`)[0].n)

const DANA = ['--name', 'Dana Whitfield', '--organization', 'Port Authority of Example', '--title', 'Director of Security',
  '--email', 'Dana.Whitfield@port.example.org', '--work-phone', '(202) 555-0143', '--cell-phone', '1-202-555-0199', '--issues', 'port security grants']

/** A store with its key file, a liaison who owns contacts (liz), another liaison (leo) and one operator of every other role. */
function contactsStore(): Env {
  const env = freshStore()
  expect(cli(keyed(env), ['init', '--json']).code).toBe(0)
  expect(fs.statSync(path.join(env.dir, 'custodian.key')).mode & 0o777).toBe(0o600)
  addOperator(env, 'liz', 'liaison')
  addOperator(env, 'leo', 'liaison')
  addOperator(env, 'pat', 'privacy-officer')
  addOperator(env, 'rex', 'records-officer')
  addOperator(env, 'aud', 'auditor')
  addOperator(env, 'tk', 'timekeeper')
  return env
}

describe('contacts add, list, show, touch', () => {
  let env: Env
  beforeEach(() => {
    env = contactsStore()
  })

  it('adds a contact owned by the operator, with C000001, phones normalized and lastContacted null', () => {
    const r = as(env, 'liz', ['contacts', 'add', ...DANA])
    expect(r.code).toBe(0)
    expect(r.json).toEqual({
      contactId: 'C000001', name: 'Dana Whitfield', salutation: null, organization: 'Port Authority of Example', title: 'Director of Security',
      email: 'Dana.Whitfield@port.example.org', workPhone: '2025550143', cellPhone: '2025550199', workAddress: null, issues: 'port security grants',
      interests: null, notes: null, owner: 'liz', lastContacted: null, interactions: [],
    })
    expect(as(env, 'liz', ['contacts', 'show', 'C000001']).json).toEqual(r.json)
    // Another operator as owner; the adder (not the owner, not an admin) gets it masked.
    const other = as(env, 'liz', ['contacts', 'add', '--name', 'Lee Ortiz', '--cell-phone', '+44 20 7946 0958', '--email', 'lee@example.org', '--owner', 'leo'])
    expect(other.code).toBe(0)
    expect(other.json).toMatchObject({contactId: 'C000002', owner: 'leo', email: '***', cellPhone: '***'})
    expect(as(env, 'leo', ['contacts', 'show', 'c2']).json).toMatchObject({email: 'lee@example.org', cellPhone: '+442079460958'})
  })

  it('a single add that fails a check is exit 3 with the check\'s code and its findings; no terminal and no --name is exit 2', () => {
    const cases: [string[], string, string][] = [
      [['--name', 'A', '--work-phone', '555-0143'], 'CT-PHONE', 'work_phone'],
      [['--name', 'A', '--cell-phone', 'call me'], 'CT-PHONE', 'cell_phone'],
      [['--name', 'A', '--work-phone', '+12345'], 'CT-PHONE', 'work_phone'],
      [['--name', 'A', '--email', 'not-an-email'], 'CT-EMAIL', 'email'],
      [['--name', 'A', '--owner', 'nobody'], 'CT-OWNER', 'owner'],
      [['--name', 'A', '--notes', 'She is a devout Católica'], 'CT-NOTES', 'notes'],
      [['--name', 'A', '--interests', 'LGBTQ issues; he is gay'], 'CT-NOTES', 'interests'],
    ]
    for (const [args, code, column] of cases) {
      const r = as(env, 'liz', ['contacts', 'add', ...args])
      expect(r.code, args.join(' ')).toBe(3)
      expect(r.json.error.code).toBe(code)
      expect(r.json.error.errors).toContainEqual(expect.objectContaining({code, column}))
    }
    // The message names the category, never the words.
    const notes = as(env, 'liz', ['contacts', 'add', '--name', 'A', '--notes', 'Diagnosed with diabetes; registered Republican'])
    expect(notes.json.error.message).toMatch(/health and political affiliation/)
    expect(notes.json.error.message).not.toMatch(/diabet|republican/i)
    expect(count(env, 'contacts')).toBe(0)
    const bare = as(env, 'liz', ['contacts', 'add'])
    expect(bare.code).toBe(2)
    expect(bare.json.error.code).toBe('USAGE')
  })

  it('email and cell phone are masked for everyone but the owner, admins and privacy officers; other roles may not read contacts', () => {
    expect(as(env, 'liz', ['contacts', 'add', ...DANA]).code).toBe(0)
    const open = {email: 'Dana.Whitfield@port.example.org', cellPhone: '2025550199', workPhone: '2025550143'}
    const masked = {email: '***', cellPhone: '***', workPhone: '2025550143'}
    for (const [operator, expected] of [['liz', open], ['admin', open], ['pat', open], ['leo', masked]] as const) {
      const show = as(env, operator, ['contacts', 'show', 'C000001'])
      expect(show.code, operator).toBe(0)
      expect(show.json, operator).toMatchObject(expected)
      const list = as(env, operator, ['contacts', 'list'])
      expect(list.json.contacts[0], operator).toMatchObject(expected)
      expect(JSON.stringify(list.json).includes('0199'), operator).toBe(expected === open)
    }
    for (const operator of ['rex', 'aud', 'tk']) {
      for (const args of [['contacts', 'show', 'C000001'], ['contacts', 'list'], ['contacts', 'add', '--name', 'X'], ['contacts', 'touch', 'C000001', '--date', '2026-11-01', '--mode', 'email']]) {
        const r = as(env, operator, args)
        expect(r.code, `${operator} ${args.join(' ')}`).toBe(4)
        expect(r.json.error.code).toBe('NOT_PERMITTED')
      }
    }
    expect(as(env, 'pat', ['contacts', 'add', '--name', 'X']).code).toBe(4)
  })

  it('list filters by owner and organization; show of an unknown contact is exit 5', () => {
    expect(as(env, 'liz', ['contacts', 'add', ...DANA]).code).toBe(0)
    expect(as(env, 'leo', ['contacts', 'add', '--name', 'Lee Ortiz', '--organization', 'Coastal Council']).code).toBe(0)
    expect(as(env, 'liz', ['contacts', 'list']).json.contacts.map((c: any) => c.contactId)).toEqual(['C000001', 'C000002'])
    expect(as(env, 'liz', ['contacts', 'list', '--owner', 'leo']).json.contacts.map((c: any) => c.name)).toEqual(['Lee Ortiz'])
    expect(as(env, 'liz', ['contacts', 'list', '--organization', 'port authority of example']).json.contacts.map((c: any) => c.name)).toEqual(['Dana Whitfield'])
    for (const id of ['C000009', 'nonsense']) {
      const r = as(env, 'liz', ['contacts', 'show', id])
      expect(r.code).toBe(5)
      expect(r.json.error.code).toBe('CONTACT_NOT_FOUND')
    }
  })

  it('touch records interactions; lastContacted is the latest date; the note is screened', () => {
    expect(as(env, 'liz', ['contacts', 'add', ...DANA]).code).toBe(0)
    const t1 = as(env, 'leo', ['contacts', 'touch', 'C000001', '--date', '2026-10-20', '--mode', 'meeting', '--note', 'Port security roundtable'])
    expect(t1.code).toBe(0)
    expect(t1.json).toMatchObject({lastContacted: '2026-10-20', interactions: [{date: '2026-10-20', mode: 'meeting', note: 'Port security roundtable', recordedBy: 'leo'}]})
    // An earlier interaction is recorded but does not move lastContacted back.
    const t2 = as(env, 'liz', ['contacts', 'touch', 'C000001', '--date', '2026-09-01', '--mode', 'phone'])
    expect(t2.json.lastContacted).toBe('2026-10-20')
    expect(t2.json.interactions.map((i: any) => i.date)).toEqual(['2026-09-01', '2026-10-20'])
    const bad = as(env, 'liz', ['contacts', 'touch', 'C000001', '--date', '2026-11-01', '--mode', 'email', '--note', 'Asked about her pregnancy'])
    expect(bad.code).toBe(3)
    expect(bad.json.error).toMatchObject({code: 'CT-NOTES', errors: [{code: 'CT-NOTES', column: 'note'}]})
    expect(bad.json.error.message).toMatch(/health/)
    expect(as(env, 'liz', ['contacts', 'touch', 'C000001', '--date', '2026-02-30', '--mode', 'email']).code).toBe(2)
    expect(as(env, 'liz', ['contacts', 'touch', 'C000001', '--date', '2999-01-01', '--mode', 'email']).code).toBe(2)
    expect(as(env, 'liz', ['contacts', 'touch', 'C000001', '--date', '2026-11-01', '--mode', 'fax']).code).toBe(2)
    const missing = as(env, 'liz', ['contacts', 'touch', 'C000077', '--date', '2026-11-01', '--mode', 'email'])
    expect(missing.code).toBe(5)
    expect(missing.json.error.code).toBe('CONTACT_NOT_FOUND')
    expect(count(env, 'interactions')).toBe(2)
  })
})

describe('contacts import', () => {
  it('imports the fixture with the behaviour and JSON of personnel import; one row per CT-* code is rejected', () => {
    const env = contactsStore()
    const r = as(env, 'liz', ['contacts', 'import', FIXTURE])
    expect(r.code).toBe(0)
    expect(r.json).toMatchObject({file: FIXTURE, rowsRead: 3, inserted: 3, updated: 0, rejected: 0, errors: [], warnings: [], dryRun: false})
    expect(as(env, 'liz', ['contacts', 'show', 'C000001']).json).toMatchObject({owner: 'liz', lastContacted: '2026-10-14', workPhone: '2025550143'})
    expect(as(env, 'liz', ['contacts', 'show', 'C000003']).json).toMatchObject({workPhone: '+442079460958', lastContacted: null})
    const again = as(env, 'liz', ['contacts', 'import', FIXTURE])
    expect(again.code).toBe(6)
    expect(again.json.error.code).toBe('ALREADY_IMPORTED')

    const file = writeFile(env.dir, 'codes.csv', [
      HEADER,
      'Good Row,,,,good@example.org,2025550100,,,,,,leo,', // 1: stored, owned by leo
      ',,,,,,,,,,,,', // 2: CT-REQUIRED
      'Bad Mail,,,,bad@,,,,,,,,', // 3: CT-EMAIL
      'Bad Phone,,,,,12345,,,,,,,', // 4: CT-PHONE
      'Future,,,,,,,,,,,,2999-01-01', // 5: CT-DATE
      'Notes,,,,,,,,,,Attends mass every Sunday,,', // 6: CT-NOTES
      'Owner,,,,,,,,,,,ghost,', // 7: CT-OWNER
    ].join('\n'))
    const rejects = path.join(env.dir, 'rejects.csv')
    const codes = as(env, 'liz', ['contacts', 'import', file, '--rejects', rejects])
    expect(codes.code).toBe(0)
    expect(codes.json).toMatchObject({rowsRead: 7, inserted: 1, rejected: 6})
    expect(codes.json.errors.map((e: any) => [e.row, e.code, e.column])).toEqual([
      [2, 'CT-REQUIRED', 'name'], [3, 'CT-EMAIL', 'email'], [4, 'CT-PHONE', 'work_phone'], [5, 'CT-DATE', 'last_contacted'],
      [6, 'CT-NOTES', 'notes'], [7, 'CT-OWNER', 'owner'],
    ])
    expect(JSON.stringify(codes.json)).not.toMatch(/mass/i)
    expect(fs.readFileSync(rejects, 'utf8').split('\n')[0]).toBe(`row,${HEADER},errors`)
    expect(as(env, 'leo', ['contacts', 'list', '--owner', 'leo']).json.contacts.map((c: any) => c.name)).toEqual(['Good Row'])
    const strict = as(env, 'liz', ['contacts', 'import', file, '--strict', '--force'])
    expect(strict.code).toBe(3)
    expect(strict.json.error.code).toBe('IMPORT_REJECTED')
    expect(as(env, 'tk', ['contacts', 'import', FIXTURE, '--force']).code).toBe(4)
    expect(count(env, 'contacts')).toBe(4)
  })
})

/** On PostgreSQL: the files of the contact tables, their indexes and TOAST, as the server keeps them (the test server is local). */
function postgresTraces(env: Env, needles: string[]): string[] {
  const [{dir}] = storeRows(env, "SELECT current_setting('data_directory') AS dir")
  const files = storeRows(env, `SELECT pg_relation_filepath(c.oid) AS f FROM pg_class c WHERE c.relname IN ('contacts', 'interactions', 'do_not_contact')
    OR c.oid IN (SELECT indexrelid FROM pg_index WHERE indrelid IN ('contacts'::regclass, 'interactions'::regclass))
    OR c.oid IN (SELECT reltoastrelid FROM pg_class WHERE relname IN ('contacts', 'interactions'))`)
  const found: string[] = []
  for (const {f} of files) {
    if (!f) continue
    const file = path.join(dir, f)
    if (!fs.existsSync(file)) continue
    const text = fs.readFileSync(file).toString('latin1').toLowerCase()
    for (const n of needles) if (text.includes(n.toLowerCase())) found.push(`${n} in ${f}`)
  }
  return found
}

const traces = (env: Env, needles: string[]) => (onPostgres ? postgresTraces(env, needles) : sqliteTraces(env.db, needles))

describe('contacts forget', () => {
  let env: Env
  const GONE = ['Whitfield', 'dana.whitfield@port.example.org', '2025550199', 'Port security roundtable']
  beforeEach(() => {
    env = contactsStore()
    expect(as(env, 'liz', ['contacts', 'add', ...DANA, '--notes', 'Met at the port security roundtable']).code).toBe(0)
    expect(as(env, 'liz', ['contacts', 'touch', 'C000001', '--date', '2026-10-20', '--mode', 'meeting', '--note', 'Port security roundtable']).code).toBe(0)
    expect(as(env, 'leo', ['contacts', 'add', '--name', 'Kept Person', '--email', 'kept.person@example.org']).code).toBe(0)
  })

  it('the owner forgets: destroyed now as a sweep destroys, a certificate without personal data, no byte left; the person is suppressed', () => {
    // On PostgreSQL the rows reach the table files at a checkpoint: made now, so the scan can fail.
    if (onPostgres) storeExec(env, 'CHECKPOINT')
    expect(traces(env, ['Whitfield']).length).toBeGreaterThan(0)
    const other = as(env, 'leo', ['contacts', 'forget', 'C000001', '--yes'])
    expect(other.code).toBe(4)
    expect(other.json.error.code).toBe('NOT_PERMITTED')
    const unconfirmed = as(env, 'liz', ['contacts', 'forget', 'C000001'])
    expect(unconfirmed.code).toBe(2)
    expect(unconfirmed.json.error.code).toBe('CONFIRMATION_REQUIRED')
    expect(count(env, 'contacts')).toBe(2)

    const r = as(env, 'liz', ['contacts', 'forget', 'C000001', '--yes'])
    expect(r.code).toBe(0)
    expect(r.json).toMatchObject({disposalId: 'D000000001', destroyed: {contact: 1, interaction: 1}, compacted: true})
    expect(r.json.certificateSha256).toMatch(/^[0-9a-f]{64}$/)
    expect(count(env, 'contacts')).toBe(1)
    expect(count(env, 'interactions')).toBe(0)
    expect(count(env, 'do_not_contact')).toBe(3)
    expect(traces(env, GONE)).toEqual([])
    expect(traces(env, ['kept.person@example.org']).length).toBeGreaterThan(0)

    // The certificate (as a sweep's) holds counts and digests, never the person.
    const cert = as(env, 'rex', ['retention', 'certificate', r.json.disposalId])
    expect(cert.code).toBe(0)
    expect(cert.json.sha256).toBe(r.json.certificateSha256)
    expect(cert.json.certificate).toMatchObject({operator: 'liz', totals: {destroyed: 2}})
    expect(JSON.stringify(cert.json)).not.toMatch(/whitfield|dana|0199|0143|port\.example/i)
    expect(as(env, 'rex', ['retention', 'disposals']).json.disposals).toHaveLength(1)
    const audit = as(env, 'aud', ['audit', 'verify'])
    expect(audit.json.ok).toBe(true)

    // The same email in another case, the same phone written differently: CT-DO-NOT-CONTACT, by add and by import.
    for (const args of [['--email', 'DANA.WHITFIELD@Port.Example.org'], ['--work-phone', '+1 (202) 555.0199'], ['--cell-phone', '202 555 0143']]) {
      const again = as(env, 'leo', ['contacts', 'add', '--name', 'D. Whitfield', ...args])
      expect(again.code, args.join(' ')).toBe(3)
      expect(again.json.error.code).toBe('CT-DO-NOT-CONTACT')
    }
    const file = writeFile(env.dir, 'again.csv', `${HEADER}\nDana W.,,,,dana.whitfield@PORT.example.org,,,,,,,,\nNew Person,,,,new.person@example.org,2025550100,,,,,,,\n`)
    const imported = as(env, 'leo', ['contacts', 'import', file])
    expect(imported.json).toMatchObject({inserted: 1, rejected: 1, errors: [{row: 1, code: 'CT-DO-NOT-CONTACT', column: 'email'}]})
    // The list keeps keyed hashes, never the email or phone in clear.
    const hashes = storeRows(env, 'SELECT kind, hash FROM do_not_contact ORDER BY id')
    expect(hashes.map((h: any) => h.kind)).toEqual(['email', 'phone', 'phone'])
    for (const h of hashes) expect(h.hash).toMatch(/^[0-9a-f]{64}$/)
    expect(traces(env, GONE)).toEqual([])
  })

  it('an admin forgets anyone\'s contact; unknown is exit 5; a held contact is exit 6; a missing key is exit 4 and nothing changes', () => {
    const noKey = cli({...env, operator: 'liz', env: {CUSTODIAN_KEY_FILE: path.join(env.dir, 'missing.key')}}, ['contacts', 'forget', 'C000001', '--yes', '--json'])
    expect(noKey.code).toBe(4)
    expect(noKey.json.error.code).toBe('KEY_MISSING')
    expect(as(env, 'liz', ['contacts', 'forget', 'C000099', '--yes']).code).toBe(5)
    expect(as(env, 'rex', ['holds', 'place', '--reason', 'Matter 2026-17', '--record-type', 'contact']).code).toBe(0)
    const held = as(env, 'liz', ['contacts', 'forget', 'C000001', '--yes'])
    expect(held.code).toBe(6)
    expect(held.json.error.code).toBe('RECORD_HELD')
    expect(count(env, 'contacts')).toBe(2)
    expect(as(env, 'rex', ['holds', 'release', '1']).code).toBe(0)
    const r = as(env, 'admin', ['contacts', 'forget', 'C000002', '--yes'])
    expect(r.code).toBe(0)
    expect(r.json.destroyed).toEqual({contact: 1, interaction: 0})
    expect(as(env, 'liz', ['contacts', 'show', 'C000002']).code).toBe(5)
    // Ids are never reused.
    expect(as(env, 'liz', ['contacts', 'add', '--name', 'Third Person']).json.contactId).toBe('C000003')
  })
})

describe('contacts through the registry', () => {
  it('a contact not contacted for 12 months is due with its interactions; a sweep destroys them and leaves no byte', () => {
    const env = contactsStore()
    expect(as(env, 'liz', ['contacts', 'import', FIXTURE]).code).toBe(0)
    expect(as(env, 'liz', ['contacts', 'touch', 'C000002', '--date', '2026-09-02', '--mode', 'email', '--note', 'Sent the grant notice']).code).toBe(0)
    const item = (plan: any, type: string) => plan.items.find((i: any) => i.recordType === type)
    // C000001 (2026-10-14), C000002 (2026-09-02) and C000003 (added today, never contacted).
    const plan = as(env, 'rex', ['retention', 'plan', '--as-of', '2027-09-15'])
    expect(item(plan.json, 'contact')).toMatchObject({code: 'DHS/ALL-002-CONTACT', retainMonths: 12, eligible: 1})
    expect(item(plan.json, 'interaction')).toMatchObject({code: 'DHS/ALL-002-INTERACTION', eligible: 1})
    expect(as(env, 'aud', ['retention', 'plan', '--as-of', '2027-09-15']).code).toBe(0)
    const sweep = as(env, 'rex', ['retention', 'sweep', '--as-of', '2027-09-15', '--yes'])
    expect(sweep.code).toBe(0)
    expect(sweep.json.destroyed).toMatchObject({contact: 1, interaction: 1})
    expect(traces(env, ['Marcus Bell', 'm.bell@university.example.edu', 'Sent the grant notice'])).toEqual([])
    expect(traces(env, ['ines.duarte@coastal.example.org']).length).toBeGreaterThan(0)
    expect(as(env, 'liz', ['contacts', 'list']).json.contacts.map((c: any) => c.contactId)).toEqual(['C000001', 'C000003'])
  })

  it('access search finds a person\'s contact and interactions by email and by phone', () => {
    const env = contactsStore()
    expect(as(env, 'liz', ['contacts', 'add', ...DANA]).code).toBe(0)
    expect(as(env, 'liz', ['contacts', 'touch', 'C000001', '--date', '2026-10-20', '--mode', 'phone']).code).toBe(0)
    const systems = as(env, 'pat', ['systems', 'list']).json.systems
    expect(systems.find((s: any) => s.id === 'DHS/ALL-002').recordTypes).toEqual(['interaction', 'contact'])
    for (const subject of [['--email', 'dana.whitfield@PORT.example.org'], ['--phone', '2025550199']]) {
      const opened = as(env, 'pat', ['requests', 'open', '--type', 'access', '--requester', 'Dana Whitfield', ...subject, '--received', '2026-11-02'])
      expect(opened.code, subject.join(' ')).toBe(0)
      const found = as(env, 'pat', ['requests', 'search', opened.json.requestId])
      expect(found.code).toBe(0)
      expect(found.json.records.contact.map((c: any) => c.contactId)).toEqual(['C000001'])
      expect(found.json.records.interaction).toHaveLength(1)
    }
  })
})

describe('contacts amended through a Privacy Act request, and kept while a request names their email or phone', () => {
  const item = (plan: any, type: string) => plan.items.find((i: any) => i.recordType === type)

  it('a granted amendment changes what contacts show gives; a screened note is exit 3 CT-NOTES and changes nothing', () => {
    const env = contactsStore()
    expect(as(env, 'liz', ['contacts', 'add', ...DANA]).code).toBe(0)
    const req = as(env, 'pat', ['requests', 'open', '--type', 'amendment', '--requester', 'Dana Whitfield', '--email', 'dana.whitfield@port.example.org', '--received', '2026-11-02'])
    expect(req.code, req.stdout).toBe(0)
    const id = req.json.requestId
    const amend = as(env, 'pat', ['requests', 'amend', id, '--record', 'contact:C000001', '--field', 'organization', '--value', 'Port Authority of Sample'])
    expect(amend.code, amend.stdout).toBe(0)
    expect(amend.json.amendment).toMatchObject({field: 'organization', currentValue: 'Port Authority of Example', requestedValue: 'Port Authority of Sample'})
    const phone = as(env, 'pat', ['requests', 'amend', id, '--record', 'contact:C000001', '--field', 'work_phone', '--value', '1 (202) 555-0100'])
    expect(phone.code, phone.stdout).toBe(0)
    expect(phone.json.amendment).toMatchObject({requestedValue: '2025550100'})
    const notes = as(env, 'pat', ['requests', 'amend', id, '--record', 'contact:C000001', '--field', 'notes', '--value', 'Prefers calls; she is a devout Catholic'])
    expect(notes.code).toBe(3)
    expect(notes.json.error.code).toBe('CT-NOTES')
    expect(notes.json.error.message).not.toMatch(/catholic/i)
    const badPhone = as(env, 'pat', ['requests', 'amend', id, '--record', 'contact:C000001', '--field', 'cell_phone', '--value', 'call me'])
    expect([badPhone.code, badPhone.json.error.code]).toEqual([3, 'CT-PHONE'])
    expect(as(env, 'pat', ['requests', 'amend', id, '--record', 'contact:C000001', '--field', 'owner', '--value', 'leo']).code).toBe(2)
    // Nothing changed yet.
    expect(as(env, 'pat', ['contacts', 'show', 'C000001']).json).toMatchObject({organization: 'Port Authority of Example', workPhone: '2025550143', notes: null})
    const granted = as(env, 'pat', ['requests', 'decide', id, '--grant'])
    expect(granted.code, granted.stdout).toBe(0)
    expect(granted.json.amendments.map((a: any) => a.status)).toEqual(['granted', 'granted'])
    expect(as(env, 'liz', ['contacts', 'show', 'C000001']).json).toMatchObject({organization: 'Port Authority of Sample', workPhone: '2025550100', notes: null})
    expect(storeRows(env, "SELECT count(*) AS n FROM audit_log WHERE action = 'requests.amendment'")[0].n).toEqual(1)
  })

  it('an open access request by the contact\'s email or phone keeps the contact and its interactions out of a sweep until it is closed', () => {
    const env = contactsStore()
    expect(as(env, 'liz', ['contacts', 'add', ...DANA]).code).toBe(0)
    expect(as(env, 'liz', ['contacts', 'touch', 'C000001', '--date', '2026-10-20', '--mode', 'phone']).code).toBe(0)
    const asOf = ['--as-of', '2027-11-01']
    expect(item(as(env, 'rex', ['retention', 'plan', ...asOf]).json, 'contact')).toMatchObject({eligible: 1, blockedByRequest: 0})
    for (const subject of [['--email', 'DANA.Whitfield@port.example.org'], ['--phone', '+1 202 555 0199']]) {
      const req = as(env, 'pat', ['requests', 'open', '--type', 'access', '--requester', 'Dana Whitfield', ...subject, '--received', '2026-11-02'])
      expect(req.code, req.stdout).toBe(0)
      const plan = as(env, 'rex', ['retention', 'plan', ...asOf]).json
      expect(item(plan, 'contact'), subject.join(' ')).toMatchObject({eligible: 0, blockedByRequest: 1})
      expect(item(plan, 'interaction'), subject.join(' ')).toMatchObject({eligible: 0, blockedByRequest: 1})
      // An auditor, who may read no email or phone (on PostgreSQL, by the server's grants), sees the same plan.
      const audited = as(env, 'aud', ['retention', 'plan', ...asOf])
      expect(audited.code, audited.stdout).toBe(0)
      expect(audited.json.items).toEqual(plan.items)
      const sweep = as(env, 'rex', ['retention', 'sweep', ...asOf, '--yes'])
      expect(sweep.code, sweep.stdout).toBe(0)
      expect(sweep.json.destroyed.contact ?? 0).toBe(0)
      expect(as(env, 'liz', ['contacts', 'show', 'C000001']).json.interactions).toHaveLength(1)
      expect(as(env, 'pat', ['requests', 'close', req.json.requestId]).code).toBe(0)
    }
    expect(item(as(env, 'rex', ['retention', 'plan', ...asOf]).json, 'contact')).toMatchObject({eligible: 1, blockedByRequest: 0})
    expect(item(as(env, 'aud', ['retention', 'plan', ...asOf]).json, 'interaction')).toMatchObject({eligible: 1, blockedByRequest: 0})
    expect(as(env, 'rex', ['retention', 'sweep', ...asOf, '--yes']).json.destroyed).toMatchObject({contact: 1, interaction: 1})
  })

  it('an amendment may not give a contact an email or phone on the do-not-contact list: CT-DO-NOT-CONTACT when stated and when granted', () => {
    const env = contactsStore()
    expect(as(env, 'liz', ['contacts', 'add', ...DANA]).code).toBe(0)
    expect(as(env, 'leo', ['contacts', 'add', '--name', 'Lee Ortiz', '--email', 'lee@example.org', '--cell-phone', '(215) 555-0101']).code).toBe(0)
    const req = as(env, 'pat', ['requests', 'open', '--type', 'amendment', '--requester', 'Lee Ortiz', '--email', 'lee@example.org', '--received', '2026-11-02'])
    expect(req.code, req.stdout).toBe(0)
    const id = req.json.requestId
    // Stated before Dana is forgotten, the new email passes; granted after, it is refused and nothing changes.
    const stated = as(env, 'pat', ['requests', 'amend', id, '--record', 'contact:C000002', '--field', 'email', '--value', 'Dana.Whitfield@PORT.example.org'])
    expect(stated.code, stated.stdout).toBe(0)
    expect(as(env, 'liz', ['contacts', 'forget', 'C000001', '--yes']).code).toBe(0)
    const granted = as(env, 'pat', ['requests', 'decide', id, '--grant'])
    expect([granted.code, granted.json.error.code]).toEqual([3, 'CT-DO-NOT-CONTACT'])
    expect(granted.json.error.message).not.toMatch(/whitfield|dana/i)
    expect(as(env, 'leo', ['contacts', 'show', 'C000002']).json).toMatchObject({email: 'lee@example.org', cellPhone: '2155550101'})
    expect(as(env, 'pat', ['requests', 'show', id]).json.amendments.map((a: any) => a.status)).toEqual(['pending'])
    // Stated after: refused at once, the phone written differently too.
    for (const [field, value] of [['email', 'dana.whitfield@port.example.org'], ['work_phone', '+1 202.555.0199'], ['cell_phone', '202-555-0143']]) {
      const again = as(env, 'pat', ['requests', 'amend', id, '--record', 'contact:C000002', '--field', field, '--value', value])
      expect([again.code, again.json.error?.code], `${field} ${value}`).toEqual([3, 'CT-DO-NOT-CONTACT'])
    }
    // Another email is granted as before.
    expect(as(env, 'pat', ['requests', 'decide', id, '--deny', '--reason', 'The address belongs to someone else']).code).toBe(0)
    expect(as(env, 'pat', ['requests', 'amend', id, '--record', 'contact:C000002', '--field', 'email', '--value', 'lee.ortiz@example.org']).code).toBe(0)
    expect(as(env, 'pat', ['requests', 'decide', id, '--grant']).code).toBe(0)
    expect(as(env, 'leo', ['contacts', 'show', 'C000002']).json).toMatchObject({email: 'lee.ortiz@example.org'})
  })
})

describe('contacts export', () => {
  it('admins only; the file is mode 0600, every contact unmasked; never the store', () => {
    const env = contactsStore()
    expect(as(env, 'liz', ['contacts', 'import', FIXTURE]).code).toBe(0)
    const out = path.join(env.dir, 'contacts-out.csv')
    for (const operator of ['liz', 'pat', 'rex', 'aud']) {
      const r = as(env, operator, ['contacts', 'export', '--out', out])
      expect(r.code, operator).toBe(4)
      expect(r.json.error.code).toBe('NOT_PERMITTED')
    }
    expect(fs.existsSync(out)).toBe(false)
    const r = as(env, 'admin', ['contacts', 'export', '--out', out])
    expect(r.code).toBe(0)
    expect(r.json).toMatchObject({file: out, contacts: 3})
    expect(fs.statSync(out).mode & 0o777).toBe(0o600)
    const lines = fs.readFileSync(out, 'utf8').trim().split('\n')
    expect(lines[0]).toBe(`contact_id,${HEADER}`)
    expect(lines[1]).toMatch(/^C000001,Dana Whitfield,.*dana\.whitfield@port\.example\.org,2025550143,2025550199/)
    expect(fs.readdirSync(env.dir).filter((f) => f.includes('.tmp'))).toEqual([])
    if (!onPostgres) {
      const onStore = as(env, 'admin', ['contacts', 'export', '--out', env.db])
      expect(onStore.code).toBe(2)
      expect(onStore.json.error.code).toBe('OUTPUT_IS_STORE')
    }
  })
})

describe('contacts add on a terminal: the form', () => {
  const hasPython = spawnSync('python3', ['-c', 'import pty'], {encoding: 'utf8'}).status === 0
  const BACKSPACE = '\u007F'

  it.skipIf(!hasPython)('asks for each field, refuses a bad email and screened notes as they are typed, and adds the contact', () => {
    const env = contactsStore()
    const steps = [
      ['Name', 'Renata Salas\r'],
      ['Salutation', 'Ms.\r'],
      ['Organization', 'Gulf Coast Ports Alliance\r'],
      ['Title', '\r'],
      ['Email', 'renata@gcpa\r'],
      ['CT-EMAIL', `${BACKSPACE.repeat(4)}gcpa.example.org\r`],
      ['Work phone', '555\r'],
      ['CT-PHONE', `${BACKSPACE.repeat(3)}(202) 555-0177\r`],
      ['Cell phone', '\r'],
      ['Work address', '\r'],
      ['Issues', 'port security grants\r'],
      ['Interests', '\r'],
      ['Notes', 'Devout Catholic\r'],
      ['CT-NOTES', `${BACKSPACE.repeat(15)}Met at the roundtable\r`],
    ]
    const r = spawnSync('python3', [path.join(ROOT, 'test', 'helpers', 'pty-drive.py'), JSON.stringify(steps), process.execPath, BIN, 'contacts', 'add'], {
      encoding: 'utf8',
      env: {PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? os.tmpdir(), CUSTODIAN_DB: connectAs({...env, operator: 'liz'}), CUSTODIAN_OPERATOR: 'liz',
        CUSTODIAN_KEY_FILE: path.join(env.dir, 'custodian.key'), NO_COLOR: '1', TERM: 'xterm'},
      timeout: 90_000,
    })
    expect(r.status, r.stdout + r.stderr).toBe(0)
    expect(r.stdout).toContain('records the person\'s religion')
    expect(r.stdout).toContain('Added C000001, owned by liz.')
    expect(as(env, 'liz', ['contacts', 'show', 'C000001']).json).toMatchObject({
      name: 'Renata Salas', salutation: 'Ms.', organization: 'Gulf Coast Ports Alliance', title: null, email: 'renata@gcpa.example.org',
      workPhone: '2025550177', notes: 'Met at the roundtable', owner: 'liz',
    })
  })
})
