import Database from 'better-sqlite3'
import fs from 'node:fs'
import path from 'node:path'
import pg from 'pg'
import {describe, expect, it} from 'vitest'

import {migrations} from '../../migrations/index.js'
import {FIXTURES, PERSONNEL_HEADER, cli, cliAsync, personnelLine, tempDir} from '../helpers/cli.js'
import {adminQuery, freshDatabase, pgAdminUrl} from '../helpers/postgres.js'

// The PostgreSQL engine against SQLite's answers: a store on a real server (the run's own,
// test/helpers/postgres-server.ts), created and migrated by init with the same schema as a SQLite store, the
// operator taken from the server's login, the whole pay period and a sweep with the same JSON and files on both
// engines, store copy between them, many people at once, and clear errors for what cannot be reached. (The
// end-to-end files run on PostgreSQL too: vitest.config.ts; the server's enforcement: postgres-enforcement.)

const login = () => new URL(pgAdminUrl()).username

describe('a store on PostgreSQL', () => {
  it('init creates the schema and the admin; the URL it echoes has no password; a second init changes nothing', async () => {
    const {url, name} = await freshDatabase()
    const password = new URL(url).password
    const first = cli({db: url, operator: login()}, ['init', '--agency', 'HS', '--json'])
    expect(first.code, first.stderr).toBe(0)
    expect(first.json).toMatchObject({created: true, admin: login(), agency: 'HS', schemaVersion: Object.keys(migrations).length})
    expect(first.json.db).toContain(name)
    expect(first.stdout + first.stderr).not.toContain(password)

    const again = cli({db: url, operator: login()}, ['init', '--json'])
    expect(again.code, again.stderr).toBe(0)
    expect(again.json).toMatchObject({created: false, admin: null, schemaVersion: Object.keys(migrations).length})
    const [{n}] = await adminQuery<{n: string}>('SELECT count(*) AS n FROM audit_log', name)
    expect(Number(n)).toBe(2)
  })

  it('has the same tables and columns as a SQLite store', async () => {
    const {url, name} = await freshDatabase()
    expect(cli({db: url, operator: login()}, ['init', '--json']).code).toBe(0)
    const file = path.join(tempDir(), 'store.db')
    expect(cli({db: file, operator: 'admin'}, ['init', '--admin', 'admin', '--json']).code).toBe(0)

    const sqlite = new Database(file, {readonly: true})
    const sqliteTables = Object.fromEntries((sqlite.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'").pluck().all() as string[])
      .map((t) => [t, (sqlite.prepare(`SELECT name FROM pragma_table_info('${t}')`).pluck().all() as string[]).sort()]))
    sqlite.close()
    const pgColumns = await adminQuery<{table_name: string; column_name: string}>(
      "SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = 'public' ORDER BY table_name, column_name", name)
    const pgTables: Record<string, string[]> = {}
    for (const c of pgColumns) (pgTables[c.table_name] ??= []).push(c.column_name)
    for (const columns of Object.values(pgTables)) columns.sort()
    expect(pgTables).toEqual(sqliteTables)
  })

  it('the operator is the login: operators are added and listed, the audit trail verifies, and a claimed other name is refused', async () => {
    const {url} = await freshDatabase()
    expect(cli({db: url, operator: login()}, ['init', '--json']).code).toBe(0)
    const added = cli({db: url, operator: login()}, ['operators', 'add', 'tina', '--role', 'timekeeper', '--org', '0301', '--json'])
    expect(added.code, added.stderr).toBe(0)
    const listed = cli({db: url, operator: login()}, ['operators', 'list', '--json'])
    expect(listed.json.operators.map((o: {name: string}) => o.name).sort()).toEqual([login(), 'tina'].sort())

    const mismatch = cli({db: url, operator: 'tina', login: login()}, ['operators', 'list', '--json'])
    expect(mismatch.code).toBe(4)
    expect(mismatch.json.error.code).toBe('OPERATOR_MISMATCH')

    const verify = cli({db: url, operator: login()}, ['audit', 'verify', '--json'])
    expect(verify.code, verify.stderr).toBe(0)
    expect(verify.json).toMatchObject({ok: true, entries: 4, firstBadSeq: null})
  })

  it('a server that cannot be reached or refuses the login is exit 5, STORE_UNREACHABLE, naming host, port, database and user, never the password', () => {
    const wrong = new URL(pgAdminUrl())
    wrong.password = 'not-the-password-x7'
    const refused = cli({db: wrong.toString(), operator: login()}, ['operators', 'list', '--json'])
    expect(refused.code).toBe(5)
    expect(refused.json.error.code).toBe('STORE_UNREACHABLE')
    expect(refused.json.error).toMatchObject({host: wrong.hostname, port: wrong.port, user: wrong.username})
    expect(refused.stdout + refused.stderr).not.toContain('not-the-password-x7')

    const closed = new URL(pgAdminUrl())
    closed.port = '1'
    const nobody = cli({db: closed.toString(), operator: login()}, ['init', '--json'])
    expect(nobody.code).toBe(5)
    expect(nobody.json.error.code).toBe('STORE_UNREACHABLE')
    expect(nobody.stdout + nobody.stderr).not.toContain(closed.password)
  })

  it('init leaves a database of something else alone (exit 6), and a database without a store is not found (exit 5)', async () => {
    const {url, name} = await freshDatabase()
    const empty = cli({db: url, operator: login()}, ['operators', 'list', '--json'])
    expect(empty.code).toBe(5)
    expect(empty.json.error.code).toBe('STORE_NOT_FOUND')

    await adminQuery('CREATE TABLE invoices (id integer primary key, amount integer); INSERT INTO invoices VALUES (1, 100)', name)
    const foreign = cli({db: url, operator: login()}, ['init', '--json'])
    expect(foreign.code).toBe(6)
    expect(foreign.json.error.code).toBe('FOREIGN_DATABASE')
    const tables = await adminQuery<{table_name: string}>("SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'", name)
    expect(tables.map((t) => t.table_name)).toEqual(['invoices'])
  })

  it('imports personnel with the same checks and results as on SQLite, and shows and lists them masked', async () => {
    const {url, name} = await freshDatabase()
    expect(cli({db: url, operator: login()}, ['init', '--agency', 'HS', '--json']).code).toBe(0)
    const file = path.join(tempDir(), 'store.db')
    expect(cli({db: file, operator: 'admin'}, ['init', '--agency', 'HS', '--admin', 'admin', '--json']).code).toBe(0)
    const args = ['personnel', 'import', path.join(FIXTURES, 'personnel.csv'), '--as-of', '2026-11-23', '--json']
    const onPg = cli({db: url, operator: login()}, args)
    const onSqlite = cli({db: file, operator: 'admin'}, args)
    expect(onPg.code, onPg.stderr).toBe(onSqlite.code)
    const strip = (j: Record<string, unknown>) => ({...j, file: undefined, batchId: undefined})
    expect(strip(onPg.json)).toEqual(strip(onSqlite.json))
    expect(onPg.json.inserted).toBeGreaterThan(0)

    const listed = cli({db: url, operator: login()}, ['personnel', 'list', '--as-of', '2026-11-23', '--json'])
    expect(listed.json).toEqual(cli({db: file, operator: 'admin'}, ['personnel', 'list', '--as-of', '2026-11-23', '--json']).json)
    // The server holds SSNs sealed (store/ssn-vault.ts): no fixture SSN in clear, none listed whole.
    const sealed = await adminQuery<{ssn_cipher: string | null}>('SELECT ssn_cipher FROM employees WHERE ssn_cipher IS NOT NULL', name)
    expect(sealed.length).toBeGreaterThan(0)
    const fixtureSsns = [...fs.readFileSync(path.join(FIXTURES, 'personnel.csv'), 'utf8').matchAll(/\b(\d{3})-(\d{2})-(\d{4})\b/g)].map((m) => m[1] + m[2] + m[3])
    for (const {ssn_cipher: cipher} of sealed) for (const ssn of fixtureSsns) expect(cipher).not.toContain(ssn)
    for (const ssn of fixtureSsns) expect(listed.stdout).not.toContain(ssn)

    const again = cli({db: url, operator: login()}, args)
    expect(again.code).toBe(6)
    expect(again.json.error.code).toBe('ALREADY_IMPORTED')
    expect(cli({db: url, operator: login()}, ['audit', 'verify', '--json']).json.ok).toBe(true)
  })

  it('the Kysely use cases give the same answers on both engines: personnel, requests, holds, disclosures, settings, closures', async () => {
    const {url} = await freshDatabase()
    const file = path.join(tempDir(), 'store.db')
    const engines = [{db: url, operator: login()}, {db: file, operator: 'admin'}]
    expect(cli(engines[0], ['init', '--agency', 'HS', '--json']).code).toBe(0)
    expect(cli(engines[1], ['init', '--agency', 'HS', '--admin', 'admin', '--json']).code).toBe(0)
    const steps: string[][] = [
      ['personnel', 'import', path.join(FIXTURES, 'personnel.csv'), '--as-of', '2026-11-23'],
      ['personnel', 'show', 'E1001', '--as-of', '2026-11-23'],
      ['personnel', 'separate', 'E1003', '--date', '2026-11-20', '--as-of', '2026-11-23'],
      ['settings', 'set', 'agency.name', 'Department of Testing'],
      ['calendar', '--add-closure', '2026-12-24', '--reason', 'Executive order'],
      ['requests', 'open', '--type', 'access', '--requester', 'Ada Okafor', '--employee', 'E1001', '--received', '2026-11-02'],
      ['requests', 'open', '--type', 'amendment', '--requester', 'Ada Okafor', '--employee', 'E1001', '--received', '2026-11-03'],
      ['requests', 'extend', 'PA-2026-0001', '--working-days', '10', '--reason', 'Unusual circumstances'],
      ['requests', 'list', '--as-of', '2026-12-01'],
      ['requests', 'show', 'PA-2026-0001', '--as-of', '2026-12-01'],
      ['disclosures', 'record', '--employee', 'E1001', '--recipient', 'Office of Personnel Management', '--address', '1900 E St NW, Washington DC', '--purpose', 'background investigation', '--date', '2026-11-10'],
      ['disclosures', 'list', '--employee', 'E1001'],
      ['holds', 'place', '--reason', 'GAO audit FY2026', '--employee', 'E1002'],
      ['holds', 'list'],
      ['requests', 'close', 'PA-2026-0001', '--date', '2026-11-30'],
      ['retention', 'schedules'],
      ['audit', 'verify'],
    ]
    // What differs by nature: times of day, the store's name, the operator's name.
    const normal = (j: unknown) => JSON.stringify(j).replaceAll(/\d{4}-\d{2}-\d{2}T[\d:.]+Z/g, 'T').replaceAll(login(), 'OP').replaceAll('"admin"', '"OP"')
    for (const step of steps) {
      const [pg, sqlite] = engines.map((env) => cli(env, [...step, '--json']))
      expect(pg.code, `${step.join(' ')}: ${pg.stdout}${pg.stderr}`).toBe(sqlite.code)
      expect(normal(pg.json), step.join(' ')).toBe(normal(sqlite.json))
    }
  })

  it('a writer waits for another as long as the busy timeout, then STORE_BUSY (exit 6) with nothing changed', async () => {
    const {url} = await freshDatabase()
    expect(cli({db: url, operator: login()}, ['init', '--json']).code).toBe(0)
    const other = new pg.Client({connectionString: url})
    await other.connect()
    try {
      // Another custodian writer, holding the store's write lock.
      await other.query('BEGIN')
      await other.query(`SELECT pg_advisory_xact_lock(${0x637573746f64})`)
      const r = cli({db: url, operator: login(), env: {CUSTODIAN_BUSY_TIMEOUT_MS: '1000'}}, ['operators', 'add', 'tina', '--role', 'timekeeper', '--json'])
      expect(r.code, r.stdout + r.stderr).toBe(6)
      expect(r.json.error.code).toBe('STORE_BUSY')
      await other.query('COMMIT')
    } finally {
      await other.end()
    }
    const listed = cli({db: url, operator: login()}, ['operators', 'list', '--json'])
    expect(listed.json.operators.map((o: {name: string}) => o.name)).toEqual([login()])
  })

  it('the whole pay period gives the same answers and the same payroll file on both engines: import, validate, certify, export, amend, correct, re-export, sweep', async () => {
    const {url, name} = await freshDatabase()
    const dirs = {pg: tempDir(), sqlite: tempDir()}
    const file = path.join(dirs.sqlite, 'store.db')
    const engines = [{key: 'pg' as const, env: {db: url, operator: login()}}, {key: 'sqlite' as const, env: {db: file, operator: 'admin'}}]
    expect(cli(engines[0].env, ['init', '--agency', 'HS', '--json']).code).toBe(0)
    expect(cli(engines[1].env, ['init', '--agency', 'HS', '--admin', 'admin', '--json']).code).toBe(0)
    const pp = ['--pay-period', '2026-11-01']
    const steps: ((dir: string) => string[])[] = [
      () => ['personnel', 'import', path.join(FIXTURES, 'personnel.csv'), '--as-of', '2026-11-23'],
      (dir) => ['timesheets', 'import', path.join(FIXTURES, 'timesheets.csv'), '--rejects', path.join(dir, 'rejects.csv')],
      () => ['timesheets', 'import', path.join(FIXTURES, 'timesheets-fix.csv')],
      () => ['timesheets', 'import', path.join(FIXTURES, 'timesheets-fix.csv')],
      () => ['timecards', 'validate', ...pp],
      () => ['timecards', 'list', ...pp],
      () => ['timecards', 'certify', ...pp],
      (dir) => ['payroll', 'export', ...pp, '--out', path.join(dir, 'pp.nfc')],
      (dir) => ['payroll', 'export', ...pp, '--out', path.join(dir, 'again.nfc')],
      (dir) => ['payroll', 'verify', path.join(dir, 'pp.nfc')],
      () => ['personnel', 'show', 'E1002', '--as-of', '2026-11-23'],
      () => ['timecards', 'amend', 'E1002', ...pp, '--lines', path.join(FIXTURES, 'amend-E1002.csv'), '--reason', 'sick, not regular'],
      () => ['timecards', 'validate', ...pp],
      () => ['timecards', 'certify', ...pp],
      (dir) => ['payroll', 'export', ...pp, '--out', path.join(dir, 'correction.nfc')],
      () => ['timecards', 'history', 'E1002', ...pp],
      () => ['payroll', 'batches'],
      (dir) => ['payroll', 'reexport', 'B000000001', '--out', path.join(dir, 'copy.nfc')],
      () => ['personnel', 'separate', 'E1003', '--date', '2026-11-20', '--as-of', '2026-11-23'],
      () => ['retention', 'plan', '--as-of', '2040-01-01'],
      () => ['retention', 'sweep', '--as-of', '2040-01-01', '--yes'],
      () => ['retention', 'disposals'],
      () => ['audit', 'verify'],
    ]
    const normal = (j: unknown) => JSON.stringify(j).replaceAll(/\d{4}-\d{2}-\d{2}T[\d:.]+Z/g, 'T').replaceAll(login(), 'OP').replaceAll('"admin"', '"OP"')
      .replaceAll(dirs.pg, 'DIR').replaceAll(dirs.sqlite, 'DIR').replaceAll(/"sha256":"[0-9a-f]{64}"/g, '"sha256":"H"').replaceAll(/"certificateSha256":"[0-9a-f]{64}"/g, '"certificateSha256":"H"')
    for (const step of steps) {
      const [pg, sqlite] = engines.map(({key, env}) => cli(env, [...step(dirs[key]), '--json']))
      const label = step('DIR').join(' ')
      expect(pg.code, `${label}: ${pg.stdout}${pg.stderr}`).toBe(sqlite.code)
      expect(normal(pg.json), label).toBe(normal(sqlite.json))
    }
    // The files, apart from the time they were made (header), are the same bytes; the rejects files are equal.
    const body = (f: string) => fs.readFileSync(f, 'latin1').split(/\r?\n/).slice(1).join('\n')
    for (const f of ['pp.nfc', 'correction.nfc']) expect(body(path.join(dirs.pg, f)), f).toBe(body(path.join(dirs.sqlite, f)))
    expect(fs.readFileSync(path.join(dirs.pg, 'copy.nfc'))).toEqual(fs.readFileSync(path.join(dirs.pg, 'pp.nfc')))
    expect(fs.readFileSync(path.join(dirs.pg, 'rejects.csv'), 'utf8')).toBe(fs.readFileSync(path.join(dirs.sqlite, 'rejects.csv'), 'utf8'))
    // The sweep left no row of a destroyed record on the server.
    const [{n}] = await adminQuery<{n: string}>('SELECT count(*) AS n FROM timecards', name)
    expect(Number(n)).toBe(0)
  })

  it('store copy moves a whole SQLite store to PostgreSQL and back, audit chain included; a target that holds data is refused (exit 6)', async () => {
    const dir = tempDir()
    const file = path.join(dir, 'store.db')
    const sqlite = {db: file, operator: 'admin'}
    expect(cli(sqlite, ['init', '--agency', 'HS', '--admin', 'admin', '--json']).code).toBe(0)
    expect(cli(sqlite, ['personnel', 'import', path.join(FIXTURES, 'personnel.csv'), '--as-of', '2026-11-23', '--json']).code).toBe(0)
    expect(cli(sqlite, ['timesheets', 'import', path.join(FIXTURES, 'timesheets.csv'), '--json']).code).toBe(0)
    expect(cli(sqlite, ['requests', 'open', '--type', 'access', '--requester', 'Ada Okafor', '--employee', 'E1001', '--received', '2026-11-02', '--json']).code).toBe(0)
    const {url, name} = await freshDatabase()

    const copied = cli(sqlite, ['store', 'copy', '--to', url, '--json'])
    expect(copied.code, copied.stdout + copied.stderr).toBe(0)
    expect(copied.json).toMatchObject({from: file, auditEntries: 5})
    expect(copied.json.to).toContain(name)
    expect(copied.stdout).not.toContain(new URL(url).password)
    expect(copied.json.tables).toMatchObject({employees: 7, timecard_lines: 53, requests: 1, audit_log: 5})
    const [{n}] = await adminQuery<{n: string}>('SELECT count(*) AS n FROM timecard_lines', name)
    expect(Number(n)).toBe(53)

    // The copy is a working store: its chain verifies, and what it holds reads as in the original.
    const onPg = {db: url, operator: login()}
    await adminQuery(`INSERT INTO operators (name, role, org_prefix, employee_id, created_at, created_by) VALUES ('${login()}', 'admin', NULL, NULL, '2026-11-23T00:00:00Z', 'test') ON CONFLICT DO NOTHING`, name)
    expect(cli(onPg, ['audit', 'verify', '--json']).json).toMatchObject({ok: true, entries: 6})
    for (const step of [['personnel', 'list'], ['timecards', 'list'], ['requests', 'show', 'PA-2026-0001', '--as-of', '2026-12-01']]) {
      expect(cli(onPg, [...step, '--json']).json, step.join(' ')).toEqual(cli(sqlite, [...step, '--json']).json)
    }
    // New rows continue the ids: a second request is numbered after the copied one.
    expect(cli(onPg, ['requests', 'open', '--type', 'access', '--requester', 'Bo Li', '--employee', 'E1002', '--received', '2026-11-03', '--json']).json.requestId).toBe('PA-2026-0002')

    const again = cli(sqlite, ['store', 'copy', '--to', url, '--json'])
    expect(again.code).toBe(6)
    expect(again.json.error.code).toBe('TARGET_NOT_EMPTY')

    const back = path.join(dir, 'back.db')
    const returned = cli(onPg, ['store', 'copy', '--to', back, '--json'])
    expect(returned.code, returned.stdout + returned.stderr).toBe(0)
    expect(fs.statSync(back).mode & 0o777).toBe(0o600)
    expect(returned.json.auditEntries).toBeGreaterThan(6)
    expect(cli({db: back, operator: 'admin'}, ['audit', 'verify', '--json']).json).toMatchObject({ok: true, entries: returned.json.auditEntries + 1})
  })

  it('many people at once: imports of different files both commit, the same file twice at once is stored once (the other exit 6), two exports of a pay period export each card once', async () => {
    const {url} = await freshDatabase()
    const env = {db: url, operator: login()}
    expect(cli(env, ['init', '--agency', 'HS', '--json']).code).toBe(0)
    expect(cli(env, ['personnel', 'import', path.join(FIXTURES, 'personnel.csv'), '--as-of', '2026-11-23', '--json']).code).toBe(0)
    const run = (args: string[]) => new Promise<{code: number | null; out: string}>((resolve) => {
      const child = cliAsync(env, [...args, '--json'])
      let out = ''
      child.stdout!.on('data', (d) => (out += d))
      child.on('exit', (code) => resolve({code, out}))
    })
    const [a, b] = await Promise.all([run(['timesheets', 'import', path.join(FIXTURES, 'timesheets.csv')]), run(['personnel', 'import', path.join(FIXTURES, 'personnel.csv'), '--force', '--as-of', '2026-11-23'])])
    expect([a.code, b.code]).toEqual([0, 0])
    const same = await Promise.all([run(['timesheets', 'import', path.join(FIXTURES, 'timesheets-fix.csv')]), run(['timesheets', 'import', path.join(FIXTURES, 'timesheets-fix.csv')])])
    expect(same.map((r) => r.code).sort()).toEqual([0, 6])
    expect(JSON.parse(same.find((r) => r.code === 6)!.out).error.code).toBe('ALREADY_IMPORTED')
    expect(cli(env, ['timecards', 'validate', '--pay-period', '2026-11-01', '--json']).code).toBe(0)
    expect(cli(env, ['timecards', 'certify', '--pay-period', '2026-11-01', '--json']).json.certified).toBe(6)
    const dir = tempDir()
    const exports = await Promise.all(['a.nfc', 'b.nfc'].map((f) => run(['payroll', 'export', '--pay-period', '2026-11-01', '--out', path.join(dir, f)])))
    expect(exports.map((r) => r.code).sort()).toEqual([0, 5])
    const done = JSON.parse(exports.find((r) => r.code === 0)!.out)
    expect(done.employees).toBe(6)
    const listed = cli(env, ['timecards', 'list', '--pay-period', '2026-11-01', '--json']).json.timecards
    expect(listed.map((c: {status: string}) => c.status)).toEqual(Array(listed.length).fill('exported'))
    expect(cli(env, ['payroll', 'batches', '--json']).json.batches).toHaveLength(1)
    expect(cli(env, ['audit', 'verify', '--json']).json.ok).toBe(true)
  })

  it('an import killed mid-way (kill -9) leaves the store exactly as it was: the server rolls its transaction back', async () => {
    const {url, name} = await freshDatabase()
    const env = {db: url, operator: login()}
    expect(cli(env, ['init', '--agency', 'HS', '--json']).code).toBe(0)
    const dir = tempDir()
    const big = path.join(dir, 'big.csv')
    const lines = [PERSONNEL_HEADER]
    for (let i = 1; i <= 20_000; i++) lines.push(personnelLine({employee_id: `C${String(i).padStart(6, '0')}`, ssn: '', email: ''}))
    fs.writeFileSync(big, `${lines.join('\n')}\n`)
    const count = async () => (await adminQuery<{e: string; b: string; a: string}>('SELECT (SELECT count(*) FROM employees) AS e, (SELECT count(*) FROM import_batches) AS b, (SELECT count(*) FROM audit_log) AS a', name))[0]
    const before = await count()
    const importer = cliAsync(env, ['personnel', 'import', big, '--json', '--as-of', '2026-11-23'])
    const exited = new Promise((resolve) => importer.on('exit', resolve))
    // Killed once it has stored rows in its (uncommitted) transaction.
    const t0 = Date.now()
    while (Date.now() - t0 < 30_000) {
      const [{n}] = await adminQuery<{n: string}>("SELECT count(*) AS n FROM pg_stat_activity WHERE state = 'idle in transaction' OR (state = 'active' AND query LIKE 'insert into \"employees\"%')", name)
      if (Number(n) > 0) break
      await new Promise((r) => setTimeout(r, 50))
    }
    await new Promise((r) => setTimeout(r, 500))
    importer.kill('SIGKILL')
    await exited
    // The server notices the dropped connection and rolls back.
    for (let i = 0; i < 100 && Number((await adminQuery<{n: string}>("SELECT count(*) AS n FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()", name))[0].n) > 0; i++) await new Promise((r) => setTimeout(r, 50))
    expect(await count()).toEqual(before)
    const again = cli(env, ['personnel', 'import', path.join(FIXTURES, 'personnel.csv'), '--as-of', '2026-11-23', '--json'])
    expect(again.code, again.stderr).toBe(0)
    expect(cli(env, ['audit', 'verify', '--json']).json.ok).toBe(true)
  })
})
