import Database from 'better-sqlite3'
import {spawn, spawnSync} from 'node:child_process'
import {createHash} from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import {gunzipSync} from 'node:zlib'
import {describe, expect, it} from 'vitest'

import {RECORD_TYPES} from '../../src/records/registry.js'
import {readKeyRing} from '../../src/store/keyfile.js'
import {openBytes, ssnKeysOf} from '../../src/store/ssn-vault.js'
import {addOperator, BIN, cli, cliAsync, connectAs, fixtureCycle, freshStore, onPostgres, PERSONNEL_HEADER, personnelLine, storeExec, storeRows} from '../helpers/cli.js'

type Env = ReturnType<typeof freshStore>
const PP = ['--pay-period', '2026-11-01']
// Pay period 2026-11-01 ends 2026-11-14: its timecards are due 36 months later, on 2029-11-14.
const DUE = '2029-11-14'
const DAY_BEFORE = '2029-11-13'

/** The fixture cycle: personnel and timesheets imported and validated (6 cards); operators of every role. */
function cycleStore(): Env {
  const env = freshStore()
  fixtureCycle(env, 'validated')
  addOperator(env, 'rex', 'records-officer')
  addOperator(env, 'po', 'privacy-officer')
  addOperator(env, 'aud', 'auditor')
  return env
}

const as = (env: Env, operator: string, args: string[]) => cli({...env, operator}, [...args, '--json'])
const rex = (env: Env, args: string[]) => as(env, 'rex', args)
const item = (plan: any, type: string) => plan.items.find((i: any) => i.recordType === type)

const query = storeRows

function insertRequest(env: Env, r: {requestId: string; employeeId: string; status: 'open' | 'closed'; closedOn?: string; requester?: string}): void {
  const text = (v: string | null) => (v === null ? 'NULL' : `'${v.replaceAll("'", "''")}'`)
  storeExec(env, `INSERT INTO requests (request_id, type, status, requester, email, phone, employee_id, ssn, received, verified, acknowledge_by, due_by,
      closed_at, closed_on, close_note, created_by, created_at)
    VALUES (${text(r.requestId)}, 'access', ${text(r.status)}, ${text(r.requester ?? 'Requester')}, NULL, NULL, ${text(r.employeeId)}, NULL, '2026-01-05', 'in person', '2026-01-15', '2026-02-02',
      ${text(r.closedOn ? `${r.closedOn}T12:00:00.000Z` : null)}, ${text(r.closedOn ?? null)}, NULL, 'po', '2026-01-05T10:00:00.000Z')`)
}

describe('retention schedules', () => {
  it('lists the RULES.md defaults; a records officer changes a period (audited); others may not', () => {
    const env = cycleStore()
    const list = as(env, 'aud', ['retention', 'schedules'])
    expect(list.code).toBe(0)
    expect(list.json.schedules.map((s: any) => [s.code, s.recordType, s.retainMonths, s.action])).toEqual([
      ['GRS-2.4-030', 'timecard', 36, 'destroy'],
      ['GRS-2.4-010', 'payroll_batch', 36, 'destroy'],
      ['TA-PROFILE', 'employee', 36, 'destroy'],
      ['GRS-4.2-020', 'request', 72, 'destroy'],
      ['USPS-550.000-SIGN-IN', 'sign_in', 24, 'destroy'],
      ['USPS-550.000-ACCOUNT', 'account', 24, 'destroy'],
      ['DHS/ALL-002-INTERACTION', 'interaction', 12, 'destroy'],
      ['DHS/ALL-002-CONTACT', 'contact', 12, 'destroy'],
      ['DOL-CRM-INQUIRY', 'inquiry', 24, 'destroy'],
      ['GRS-4.2-050', 'disclosure', 60, 'destroy'],
    ])
    expect(list.json.schedules[0].authority).toMatch(/GRS 2\.4 item 030/)

    expect(item(rex(env, ['retention', 'plan', '--as-of', DUE]).json, 'timecard').eligible).toBe(6)
    const set = rex(env, ['retention', 'schedules', 'set', 'grs-2.4-030', '--retain-months', '72'])
    expect(set.code).toBe(0)
    expect(set.json).toMatchObject({code: 'GRS-2.4-030', retainMonths: 72, updatedBy: 'rex'})
    expect(item(rex(env, ['retention', 'plan', '--as-of', DUE]).json, 'timecard').eligible).toBe(0)
    expect(item(rex(env, ['retention', 'plan', '--as-of', '2032-11-14']).json, 'timecard').eligible).toBe(6)
    expect(rex(env, ['audit', 'log', '--action', 'retention.schedules.set']).json.entries).toEqual([
      expect.objectContaining({actor: 'rex', recordType: 'retention_schedule', recordId: 'GRS-2.4-030'}),
    ])

    expect(as(env, 'aud', ['retention', 'schedules', 'set', 'GRS-2.4-030', '--retain-months', '12']).code).toBe(4)
    expect(as(env, 'tk', ['retention', 'schedules']).code).toBe(4)
    expect(rex(env, ['retention', 'schedules', 'set', 'NOPE', '--retain-months', '12']).json.error.code).toBe('SCHEDULE_NOT_FOUND')
    expect(rex(env, ['retention', 'schedules', 'set', 'GRS-2.4-030', '--retain-months', '0']).code).toBe(2)
  }, 60_000)
})

describe('retention plan and sweep', () => {
  it('a timecard is eligible on its trigger + retain months, not the day before; plan changes nothing', () => {
    const env = cycleStore()
    const before = rex(env, ['retention', 'plan', '--as-of', DAY_BEFORE])
    expect(before.json.asOf).toBe(DAY_BEFORE)
    expect(item(before.json, 'timecard')).toMatchObject({code: 'GRS-2.4-030', eligible: 0, held: 0, blockedByRequest: 0})
    const on = rex(env, ['retention', 'plan', '--as-of', DUE])
    expect(item(on.json, 'timecard')).toMatchObject({eligible: 6, held: 0, blockedByRequest: 0})
    expect(query(env, 'SELECT count(*) AS n FROM timecards')[0].n).toBe(6)

    const early = rex(env, ['retention', 'sweep', '--as-of', DAY_BEFORE, '--yes'])
    expect(early.code).toBe(0)
    expect(early.json.destroyed.timecard).toBe(0)
    expect(query(env, 'SELECT count(*) AS n FROM timecards')[0].n).toBe(6)
    const sweep = rex(env, ['retention', 'sweep', '--as-of', DUE, '--yes'])
    expect(sweep.json).toMatchObject({disposalId: 'D000000002', asOf: DUE, destroyed: {timecard: 6, payroll_batch: 0, employee: 0, request: 0, disclosure: 0}, held: 0, blockedByRequest: 0})
    expect(query(env, 'SELECT (SELECT count(*) FROM timecards) + (SELECT count(*) FROM timecard_lines) + (SELECT count(*) FROM timecard_history) AS n')[0].n).toBe(0)
  }, 60_000)

  it('without a terminal and without --yes a sweep refuses (exit 2) and changes nothing', () => {
    const env = cycleStore()
    const auditBefore = rex(env, ['audit', 'verify']).json.entries
    for (const args of [['retention', 'sweep', '--as-of', DUE, '--json'], ['retention', 'sweep', '--as-of', DUE]]) {
      const r = cli({...env, operator: 'rex'}, args)
      expect(r.code).toBe(2)
      if (args.includes('--json')) expect(r.json.error.code).toBe('CONFIRMATION_REQUIRED')
      else expect(r.stderr).toMatch(/--yes/)
    }
    expect(query(env, 'SELECT count(*) AS n FROM timecards')[0].n).toBe(6)
    expect(query(env, 'SELECT count(*) AS n FROM disposals')[0].n).toBe(0)
    expect(rex(env, ['audit', 'verify']).json.entries).toBe(auditBefore)
  }, 60_000)

  it('blocks: a hold by employee, a hold by record type, an open request; released, the records go', () => {
    const env = cycleStore()
    // E1004 separated 2026-06-30 and has no timecard: its profile is due on 2029-06-30.
    expect(item(rex(env, ['retention', 'plan', '--as-of', DUE]).json, 'employee')).toMatchObject({eligible: 1, held: 0})

    const byEmployee = rex(env, ['holds', 'place', '--reason', 'Case 26-0142', '--employee', 'E1003'])
    expect(byEmployee.code).toBe(0)
    expect(byEmployee.json).toMatchObject({holdId: 1, employees: ['E1003'], recordType: null, active: true, placedBy: 'rex'})
    const byType = rex(env, ['holds', 'place', '--reason', 'GAO audit FY2026', '--record-type', 'employee'])
    expect(byType.json).toMatchObject({holdId: 2, employees: [], recordType: 'employee'})
    insertRequest(env, {requestId: 'PA-2026-0001', employeeId: 'E1002', status: 'open'})
    // A closed request is a record with its own clock (6 years after closing); an open one never runs out.
    insertRequest(env, {requestId: 'PA-2026-0002', employeeId: 'E1006', status: 'closed', closedOn: '2026-02-01'})

    const plan = rex(env, ['retention', 'plan', '--as-of', DUE]).json
    expect(item(plan, 'timecard')).toMatchObject({eligible: 4, held: 1, blockedByRequest: 1})
    expect(item(plan, 'employee')).toMatchObject({eligible: 0, held: 1})
    expect(item(plan, 'request')).toMatchObject({eligible: 0, held: 0, blockedByRequest: 0})
    expect(item(rex(env, ['retention', 'plan', '--as-of', '2032-02-01']).json, 'request')).toMatchObject({eligible: 1})

    const sweep = rex(env, ['retention', 'sweep', '--as-of', DUE, '--yes'])
    expect(sweep.json).toMatchObject({destroyed: {timecard: 4, employee: 0}, held: 2, blockedByRequest: 1})
    const left = query(env, 'SELECT e.employee_id FROM timecards t JOIN employees e ON e.id = t.employee_ref ORDER BY 1').map((r) => r.employee_id)
    expect(left).toEqual(['E1002', 'E1003'])
    expect(query(env, "SELECT count(*) AS n FROM employees WHERE employee_id = 'E1004'")[0].n).toBe(1)

    // A hold by type and employee together holds only that type of the employee's records.
    rex(env, ['holds', 'release', '1'])
    rex(env, ['holds', 'release', '2', '--reason', 'Audit closed'])
    const narrow = rex(env, ['holds', 'place', '--reason', 'Grievance 7', '--employee', 'E1003', '--record-type', 'employee'])
    expect(narrow.json).toMatchObject({holdId: 3, employees: ['E1003'], recordType: 'employee'})
    const after = rex(env, ['retention', 'sweep', '--as-of', DUE, '--yes'])
    expect(after.json).toMatchObject({destroyed: {timecard: 1, employee: 1}, held: 0, blockedByRequest: 1})
    expect(query(env, "SELECT count(*) AS n FROM employees WHERE employee_id = 'E1004'")[0].n).toBe(0)

    const holds = as(env, 'aud', ['holds', 'list']).json.holds
    expect(holds.map((h: any) => [h.holdId, h.active, h.releasedBy])).toEqual([[1, false, 'rex'], [2, false, 'rex'], [3, true, null]])
    expect(holds[1]).toMatchObject({releaseReason: 'Audit closed', releasedAt: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T/)})
    expect(rex(env, ['audit', 'verify']).json.ok).toBe(true)
  }, 60_000)

  it('holds: unknown employee (5), nothing named (2), bad type (2), unknown hold (5), released twice (6)', () => {
    const env = cycleStore()
    const unknown = rex(env, ['holds', 'place', '--reason', 'x', '--employee', 'E1001', '--employee', 'E7777'])
    expect(unknown.code).toBe(5)
    expect(unknown.json.error.code).toBe('EMPLOYEE_NOT_FOUND')
    expect(rex(env, ['holds', 'list']).json.holds).toEqual([])
    expect(rex(env, ['holds', 'place', '--reason', 'x']).code).toBe(2)
    expect(rex(env, ['holds', 'place', '--reason', '  ', '--employee', 'E1001']).code).toBe(2)
    expect(rex(env, ['holds', 'place', '--reason', 'x', '--record-type', 'memo']).code).toBe(2)
    expect(rex(env, ['holds', 'place', '--reason', 'x', '--employee', 'e1001']).json.employees).toEqual(['E1001'])
    expect(rex(env, ['holds', 'release', '9']).code).toBe(5)
    expect(rex(env, ['holds', 'release', '1']).code).toBe(0)
    const twice = rex(env, ['holds', 'release', '1'])
    expect(twice.code).toBe(6)
    expect(twice.json.error.code).toBe('HOLD_RELEASED')
  }, 60_000)

  it('role refusals (exit 4): plan, sweep, holds, certificates', () => {
    const env = cycleStore()
    addOperator(env, 'rita', 'records-officer', ['--org', '0301'])
    expect(as(env, 'tk', ['retention', 'plan', '--as-of', DUE]).code).toBe(4)
    expect(as(env, 'pay', ['retention', 'disposals']).code).toBe(4)
    expect(as(env, 'aud', ['retention', 'plan', '--as-of', DUE]).code).toBe(0)
    expect(as(env, 'po', ['holds', 'list']).code).toBe(0)
    for (const op of ['po', 'aud', 'tk', 'sam', 'rita']) {
      const r = as(env, op, ['retention', 'sweep', '--as-of', DUE, '--yes'])
      expect(r.code, op).toBe(4)
      expect(r.json.error.code, op).toBe('NOT_PERMITTED')
    }
    expect(as(env, 'po', ['holds', 'place', '--reason', 'x', '--employee', 'E1001']).code).toBe(4)
    expect(as(env, 'aud', ['holds', 'release', '1']).code).toBe(4)
    expect(as(env, 'tk', ['retention', 'certificate', 'D000000001']).code).toBe(4)
    expect(query(env, 'SELECT count(*) AS n FROM timecards')[0].n).toBe(6)
    expect(rex(env, ['audit', 'log', '--action', 'denied:retention.sweep']).json.entries.length).toBe(4)
  }, 60_000)
})

// ---------------------------------------------------------------------------------------------------------

/** Every file of the store (db, WAL, shared memory) as lower-case latin1 text, to search for bytes. */
function storeBytes(db: string): Record<string, string> {
  const out: Record<string, string> = {}
  for (const f of [db, `${db}-wal`, `${db}-shm`]) if (fs.existsSync(f)) out[path.basename(f)] = fs.readFileSync(f).toString('latin1').toLowerCase()
  return out
}

function traces(db: string, needles: string[]): string[] {
  const found: string[] = []
  for (const [file, text] of Object.entries(storeBytes(db))) {
    for (const n of needles) if (text.includes(n.toLowerCase())) found.push(`${n} in ${file}`)
  }
  return found
}

// SQLite's own files; on PostgreSQL the rows' removal and the tables' rewrite are tested in postgres.test.ts.
describe.skipIf(onPostgres)('a sweep leaves no trace of what it destroys', () => {
  // E1009 Rafael Castellanos: timecard, payroll batch (the NFC file carries his name and SSN), disclosure of the
  // export, profile with history. Separated: everything of his goes. E1001 Adaeze Okafor stays employed: her
  // profile is kept, so her data must still be found (the scan can fail).
  const GONE = ['Castellanos', 'Rafael', '123-45-6789', '123456789', 'rafael.castellanos@agency.example.gov']
  // (Her SSN is not among them: SSNs are kept only encrypted, never in clear; test/e2e/ssn-at-rest.test.ts.)
  const KEPT = ['Okafor', 'Adaeze', 'adaeze.okafor@agency.example.gov']
  const FAR = '2099-01-01'

  it('byte scan of db, WAL and shm; audit verifies; the certificate counts and digests the destroyed ids', () => {
    const env = cycleStore()
    const tk = {...env, operator: 'tk'}
    expect(cli({...env, operator: 'sam'}, ['timecards', 'certify', ...PP, '--json']).json.certified).toBe(6)
    expect(cli({...env, operator: 'pay'}, ['payroll', 'export', ...PP, '--out', path.join(env.dir, 'pp.nfc')]).code).toBe(0)
    expect(cli(tk, ['personnel', 'separate', 'E1009', '--date', '2026-11-20']).code).toBe(0)
    expect(cli(tk, ['timecards', 'history', 'E1009', ...PP]).code).toBe(0)
    // The batch keeps its file in chunks sealed under the store's key (SSNs at rest): opened, it names the employee.
    const keys = ssnKeysOf(readKeyRing(path.join(env.dir, 'custodian.key'), 'the test'))
    const chunks = query(env, 'SELECT content FROM payroll_batch_chunks ORDER BY seq').map((r) => gunzipSync(openBytes(keys, r.content)))
    expect(Buffer.concat(chunks).toString('latin1')).toMatch(/CASTELLANOS,RAFAEL/)
    expect(traces(env.db, GONE).length).toBeGreaterThan(0)

    const ids = (sql: string) => query(env, sql).map((r) => r.id)
    const expected = {
      timecard: ids('SELECT id FROM timecards'),
      payroll_batch: ids('SELECT id FROM payroll_batches'),
      employee: ids("SELECT id FROM employees WHERE separation_date IS NOT NULL"),
      disclosure: ids("SELECT d.id FROM disclosures d JOIN employees e ON e.id = d.employee_ref WHERE e.separation_date IS NOT NULL"),
    }
    // Another process has the store open (not reading): SQLite then keeps the WAL file when the sweep's
    // connection closes, so only the sweep's own checkpoint and truncation can empty it.
    const watcher = new Database(env.db, {readonly: true})
    watcher.prepare('SELECT count(*) FROM employees').get()
    const sweep = rex(env, ['retention', 'sweep', '--as-of', FAR, '--yes'])
    expect(sweep.code).toBe(0)
    // Scripts read the warning in the JSON (the human output prints it on stderr).
    expect(sweep.json.warnings).toEqual([expect.stringMatching(/^--as-of 2099-01-01 is after today/)])
    expect(sweep.json).toMatchObject({
      disposalId: 'D000000001', asOf: FAR, compacted: true,
      destroyed: {timecard: 6, payroll_batch: 1, employee: expected.employee.length, request: 0, disclosure: 1},
    })

    expect(traces(env.db, GONE)).toEqual([])
    const kept = traces(env.db, KEPT)
    for (const k of KEPT) expect(kept.some((t) => t.startsWith(`${k} in store.db`)), k).toBe(true)
    expect(fs.statSync(`${env.db}-wal`).size).toBe(0)
    watcher.close()
    expect(query(env, "SELECT count(*) AS n FROM employees WHERE employee_id = 'E1001'")[0].n).toBe(1)
    // Her disclosure waits for her profile (the accounting lives as long as the record).
    expect(query(env, "SELECT count(*) AS n FROM disclosures WHERE subject_employee_id = 'E1001'")[0].n).toBe(1)

    const verify = as(env, 'aud', ['audit', 'verify'])
    expect(verify.code).toBe(0)
    expect(verify.json).toMatchObject({ok: true, firstBadSeq: null})

    const out = path.join(env.dir, 'cert.json')
    const cert = as(env, 'aud', ['retention', 'certificate', 'd000000001', '--out', out])
    expect(cert.code).toBe(0)
    expect(cert.json.sha256).toBe(sweep.json.certificateSha256)
    const file = fs.readFileSync(out)
    expect(createHash('sha256').update(file).digest('hex')).toBe(sweep.json.certificateSha256)
    expect(fs.statSync(out).mode & 0o777).toBe(0o600)
    const c = cert.json.certificate
    expect(c).toMatchObject({disposalId: 'D000000001', asOf: FAR, operator: 'rex', at: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T.*Z$/)})
    expect(c.schedules.map((s: any) => s.recordType)).toEqual([...RECORD_TYPES])
    const digest = (list: number[]) => createHash('sha256').update([...list].sort((a, b) => a - b).join('\n')).digest('hex')
    for (const [type, list] of Object.entries(expected)) {
      const s = c.schedules.find((x: any) => x.recordType === type)
      expect(s.destroyed, type).toBe(list.length)
      expect(s.idsSha256, type).toBe(digest(list))
    }
    expect(c.totals).toEqual({destroyed: 6 + 1 + expected.employee.length + 1, held: 0, blockedByRequest: 0})
    const text = file.toString('utf8').toLowerCase()
    for (const n of [...GONE, ...KEPT, 'E1009', 'E1001']) expect(text.includes(n.toLowerCase()), n).toBe(false)

    expect(as(env, 'aud', ['retention', 'disposals']).json.disposals).toEqual([{
      disposalId: 'D000000001', asOf: FAR, operator: 'rex', at: c.at, destroyed: c.totals.destroyed, sha256: sweep.json.certificateSha256,
    }])
    expect(as(env, 'aud', ['retention', 'certificate', 'D000000009']).code).toBe(5)
    // Certificates are never swept: a later sweep keeps them all.
    rex(env, ['retention', 'sweep', '--as-of', FAR, '--yes'])
    expect(as(env, 'aud', ['retention', 'disposals']).json.disposals.map((d: any) => d.disposalId)).toEqual(['D000000001', 'D000000002'])
  }, 90_000)
})

/** Runs a command on a pseudo-terminal (util-linux `script`), answering the first yes/no prompt. */
function onTerminal(env: Env, operator: string, args: string[], answer: string): Promise<{code: number | null; output: string}> {
  const quote = (a: string) => `'${a.replaceAll("'", "'\\''")}'`
  const command = [process.execPath, BIN, ...args].map(quote).join(' ')
  const child = spawn('script', ['-qec', command, '/dev/null'], {
    env: {PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', CUSTODIAN_DB: connectAs({...env, operator}), CUSTODIAN_OPERATOR: operator, NO_COLOR: '1', TERM: 'dumb'},
    stdio: ['pipe', 'pipe', 'pipe'],
  })
  let output = ''
  let answered = false
  child.stdout.on('data', (d) => {
    output += d
    if (!answered && output.includes('(y/N)')) {
      answered = true
      child.stdin.write(`${answer}\r`)
    }
  })
  return new Promise((resolve) => child.on('exit', (code) => resolve({code, output})))
}

const hasScript = spawnSync('script', ['--version']).status === 0

describe.skipIf(!hasScript)('a sweep on a terminal', () => {
  it('shows the plan and asks; no destroys nothing (exit 2), yes sweeps', async () => {
    const env = cycleStore()
    const no = await onTerminal(env, 'rex', ['retention', 'sweep', '--as-of', DUE], 'n')
    expect(no.output).toMatch(/GRS-2\.4-030\s+timecard\s+36 mo\s+6/)
    expect(no.output).toMatch(/Destroy 7 records for good\?/)
    // The as-of date is after today: the warning comes before the question, not after the destruction.
    expect(no.output.indexOf('is after today: records will be destroyed')).toBeGreaterThan(-1)
    expect(no.output.indexOf('is after today')).toBeLessThan(no.output.indexOf('Destroy 7 records'))
    expect(no.code).toBe(2)
    expect(query(env, 'SELECT count(*) AS n FROM timecards')[0].n).toBe(6)
    const yes = await onTerminal(env, 'rex', ['retention', 'sweep', '--as-of', DUE], 'y')
    expect(yes.code).toBe(0)
    expect(yes.output).toMatch(/Disposal D000000001 as of 2029-11-14: destroyed timecard 6, employee 1/)
    expect(query(env, 'SELECT count(*) AS n FROM timecards')[0].n).toBe(0)
  }, 60_000)
})

// Watches SQLite's WAL grow; on PostgreSQL a writer waiting for the write lock is tested in postgres.test.ts.
describe.skipIf(onPostgres)('a sweep during an import', () => {
  it('waits for the write lock and refuses cleanly when it is not free in time (exit 6, nothing destroyed)', async () => {
    const env = cycleStore()
    const big = path.join(env.dir, 'big.csv')
    const lines = [PERSONNEL_HEADER]
    for (let i = 1; i <= 60_000; i++) lines.push(personnelLine({employee_id: `C${String(i).padStart(6, '0')}`, ssn: '', email: ''}))
    fs.writeFileSync(big, `${lines.join('\n')}\n`)
    const importer = cliAsync({...env, operator: 'tk'}, ['personnel', 'import', big, '--json', '--as-of', '2026-11-23'])
    const done = new Promise<number | null>((resolve) => importer.on('exit', (code) => resolve(code)))
    const wal = `${env.db}-wal`
    const t0 = Date.now()
    while (!(fs.existsSync(wal) && fs.statSync(wal).size > 100_000) && Date.now() - t0 < 30_000) await new Promise((r) => setTimeout(r, 10))
    const r = cli({...env, operator: 'rex', env: {CUSTODIAN_BUSY_TIMEOUT_MS: '100'}}, ['retention', 'sweep', '--as-of', DUE, '--yes', '--json'])
    expect(r.code).toBe(6)
    expect(r.json.error.code).toBe('STORE_BUSY')
    expect(await done).toBe(0)
    expect(query(env, 'SELECT count(*) AS n FROM timecards')[0].n).toBe(6)
    expect(query(env, 'SELECT count(*) AS n FROM disposals')[0].n).toBe(0)
    // With the default busy timeout, the sweep waits for the import and then runs.
    const again = rex(env, ['retention', 'sweep', '--as-of', DUE, '--yes'])
    expect(again.json.destroyed.timecard).toBe(6)
    expect(rex(env, ['audit', 'verify']).json.ok).toBe(true)
  }, 120_000)
})
