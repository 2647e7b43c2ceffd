import Database from 'better-sqlite3'
import {spawnSync, spawn, type ChildProcess} from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {fileURLToPath} from 'node:url'

import {pgAdminUrl} from './postgres.js'

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..')
export const BIN = path.join(ROOT, 'bin', 'run.js')
export const FIXTURES = path.join(ROOT, 'fixtures')

export interface CliResult {
  code: number
  stdout: string
  stderr: string
  /** stdout parsed as JSON (only when --json was passed). */
  json: any
}

export interface Env {
  db: string
  operator?: string
  /** On PostgreSQL, the login to connect as when it is not the operator (to claim another name than the login's). */
  login?: string
  env?: Record<string, string>
}

/**
 * The engine the end-to-end tests run on: SQLite, or PostgreSQL in the `postgres` project of
 * vitest.config.ts (CUSTODIAN_TEST_ENGINE=postgres), where freshStore() makes a new database on the run's
 * server and each operator is the server login of the same name.
 */
export const ENGINE: 'sqlite' | 'postgres' = process.env.CUSTODIAN_TEST_ENGINE === 'postgres' ? 'postgres' : 'sqlite'
export const onPostgres = ENGINE === 'postgres'

const isPgUrl = (db: string) => /^postgres(ql)?:\/\//.test(db)
const PG_ADMIN = path.join(ROOT, 'test', 'helpers', 'pg-admin.mjs')
const logins = new Set<string>()

/** As a DBA on the test server (test/helpers/pg-admin.mjs), synchronously. */
function pgAdmin(adminUrl: string, what: 'createdb' | 'login' | 'query' | 'exec', args: string[]): string {
  const r = spawnSync(process.execPath, [PG_ADMIN, adminUrl, what, ...args], {encoding: 'utf8', maxBuffer: 256 * 1024 * 1024})
  if (r.status !== 0) throw new Error(`pg-admin ${what} ${args.join(' ')} failed: ${r.stderr}`)
  return r.stdout
}

/**
 * Rows of a query on the store, read behind custodian's back (SQLite: the file; PostgreSQL: the server's
 * superuser): `?` placeholders, SQL both engines read alike.
 */
export function storeRows<T = any>(env: Env, text: string, ...params: unknown[]): T[] {
  if (isPgUrl(env.db)) {
    let n = 0
    return JSON.parse(pgAdmin(env.db, 'query', [JSON.stringify({text: text.replaceAll('?', () => `$${++n}`), params})])) as T[]
  }
  const db = new Database(env.db, {readonly: true})
  try {
    return db.prepare(text).all(...params) as T[]
  } finally {
    db.close()
  }
}

/** Statements run on the store behind custodian's back, as whoever could (a file's owner; the server's superuser, triggers off). */
export function storeExec(env: Env, text: string): void {
  if (isPgUrl(env.db)) {
    pgAdmin(env.db, 'exec', [text])
    return
  }
  const db = new Database(env.db)
  try {
    db.exec(text)
  } finally {
    db.close()
  }
}

/**
 * On PostgreSQL the operator is the login: the URL a command connects with names the operator (created on
 * the server when missing, like a person who has a login but may not be an operator of this store); the
 * server's superuser keeps its password.
 */
export function connectAs(env: Env): string {
  if (!isPgUrl(env.db)) return env.db
  const url = new URL(env.db)
  const operator = env.login ?? env.operator ?? 'admin'
  if (operator === decodeURIComponent(url.username)) return env.db
  if (!logins.has(operator) && /^[A-Za-z0-9._@-]{1,63}$/.test(operator)) {
    pgAdmin(env.db, 'login', [operator])
    logins.add(operator)
  }
  url.username = encodeURIComponent(operator)
  url.password = ''
  return url.toString()
}

/** Runs the built CLI (bin/run.js) as a user would, against a temporary store. */
/**
 * The store's own key file, beside it in the test's folder (unless the test names another with env.env): never
 * the user's config folder, which every test would share (and whose key would MAC one store's first audit
 * entries and not its later ones).
 */
function ownKeyFile(env: Env): Record<string, string> {
  const dir = (env as {dir?: string}).dir
  return dir ? {CUSTODIAN_KEY_FILE: path.join(dir, 'custodian.key')} : {}
}

export function cli(env: Env, args: string[], opts: {input?: string; cwd?: string} = {}): CliResult {
  const r = spawnSync(process.execPath, [BIN, ...args], {
    cwd: opts.cwd ?? ROOT,
    input: opts.input,
    encoding: 'utf8',
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? os.tmpdir(),
      CUSTODIAN_DB: connectAs(env),
      CUSTODIAN_OPERATOR: env.operator ?? 'admin',
      NO_COLOR: '1',
      ...ownKeyFile(env),
      ...env.env,
    },
    timeout: 120_000,
    maxBuffer: 512 * 1024 * 1024,
  })
  let json: any
  if (args.includes('--json')) {
    try {
      json = JSON.parse(r.stdout)
    } catch {
      throw new Error(`stdout of "${args.join(' ')}" is not one JSON document:\n${r.stdout}\n--- stderr:\n${r.stderr}`)
    }
  }
  return {code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr, json}
}

/** Starts the CLI without waiting (for kill and concurrency tests). */
export function cliAsync(env: Env, args: string[]): ChildProcess {
  return spawn(process.execPath, [BIN, ...args], {
    cwd: ROOT,
    env: {PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? os.tmpdir(), CUSTODIAN_DB: connectAs(env), CUSTODIAN_OPERATOR: env.operator ?? 'admin', NO_COLOR: '1', ...ownKeyFile(env), ...env.env},
    stdio: ['ignore', 'pipe', 'pipe'],
  })
}

export function tempDir(prefix = 'custodian-test-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix))
}

/**
 * A fresh store with an admin named "admin" (agency HS): a file in a new temp folder, or on PostgreSQL a new
 * database (the folder still holds the test's files), created by the server's superuser as a DBA would.
 */
export function freshStore(): Env & {dir: string} {
  const dir = tempDir()
  if (onPostgres) {
    const url = new URL(pgAdminUrl())
    const name = `custodian_${path.basename(dir).replace(/[^A-Za-z0-9]/g, '').toLowerCase()}`
    pgAdmin(url.toString(), 'createdb', [name])
    url.pathname = `/${name}`
    const r = cli({db: url.toString(), operator: decodeURIComponent(url.username), dir} as Env, ['init', '--agency', 'HS', '--admin', 'admin', '--json'])
    if (r.code !== 0) throw new Error(`init failed: ${r.stdout}${r.stderr}`)
    return {db: url.toString(), operator: 'admin', dir}
  }
  const env = {db: path.join(dir, 'store.db'), operator: 'admin', dir}
  const r = cli(env, ['init', '--agency', 'HS', '--admin', 'admin', '--json'])
  if (r.code !== 0) throw new Error(`init failed: ${r.stdout}${r.stderr}`)
  return env
}

/** Adds an operator (as admin). */
export function addOperator(env: Env, name: string, role: string, extra: string[] = []): void {
  const r = cli({...env, operator: 'admin'}, ['operators', 'add', name, '--role', role, ...extra, '--json'])
  if (r.code !== 0) throw new Error(`operators add failed: ${r.stdout}${r.stderr}`)
}

export function writeFile(dir: string, name: string, content: string | Buffer): string {
  const p = path.join(dir, name)
  fs.writeFileSync(p, content)
  return p
}

export const PERSONNEL_HEADER = 'employee_id,ssn,last_name,first_name,middle_name,email,pay_plan,grade,step,tour_of_duty,scheduled_hours,agency_code,org_code,supervisor_id,service_comp_date,hire_date,separation_date,annual_leave_balance,sick_leave_balance,comp_time_balance'

/** A valid personnel CSV line; override any column by name. */
export function personnelLine(over: Record<string, string> = {}): string {
  const base: Record<string, string> = {
    employee_id: 'E2001', ssn: '123-45-6701', last_name: 'Doe', first_name: 'Jane', middle_name: '', email: 'jane.doe@agency.example.gov',
    pay_plan: 'GS', grade: '12', step: '3', tour_of_duty: 'FT', scheduled_hours: '80', agency_code: 'HS', org_code: '030105',
    supervisor_id: '', service_comp_date: '2015-01-04', hire_date: '2015-01-04', separation_date: '', annual_leave_balance: '40',
    sick_leave_balance: '40', comp_time_balance: '0', ...over,
  }
  return PERSONNEL_HEADER.split(',').map((c) => csvCell(base[c] ?? '')).join(',')
}

export function csvCell(v: string): string {
  return /[",\r\n]/.test(v) ? `"${v.replaceAll('"', '""')}"` : v
}

/** How far fixtureCycle takes the shipped fixtures through the time-and-attendance cycle of pay period 2026-11-01. */
export type CycleStage = 'validated' | 'certified' | 'exported'

/**
 * The shipped fixtures through the cycle of pay period 2026-11-01, as timekeeper tk, supervisor sam and
 * payroll pay (operators added here): personnel and timesheets imported, the fix applied, every card
 * validated; then certified (6 cards) and exported to `<dir>/pp.nfc` as the stage asks.
 */
export function fixtureCycle(env: Env & {dir: string}, stage: CycleStage): void {
  addOperator(env, 'tk', 'timekeeper')
  addOperator(env, 'sam', 'supervisor')
  addOperator(env, 'pay', 'payroll')
  const tk = {...env, operator: 'tk'}
  const pp = ['--pay-period', '2026-11-01']
  if (cli(tk, ['personnel', 'import', path.join(FIXTURES, 'personnel.csv'), '--as-of', '2026-11-23']).code !== 0) throw new Error('fixture personnel import failed')
  cli(tk, ['timesheets', 'import', path.join(FIXTURES, 'timesheets.csv')])
  cli(tk, ['timesheets', 'import', path.join(FIXTURES, 'timesheets-fix.csv')])
  if (cli(tk, ['timecards', 'validate', ...pp]).code !== 0) throw new Error('fixture validation failed')
  if (stage === 'validated') return
  const certified = cli({...env, operator: 'sam'}, ['timecards', 'certify', ...pp, '--json']).json.certified
  if (certified !== 6) throw new Error(`fixture certification certified ${certified} cards, not 6`)
  if (stage === 'certified') return
  if (cli({...env, operator: 'pay'}, ['payroll', 'export', ...pp, '--out', path.join(env.dir, 'pp.nfc'), '--json']).code !== 0) throw new Error('fixture payroll export failed')
}

/** Which needles (any case) a SQLite store's files (db, WAL, shared memory) still hold, as "<needle> in <file>". */
export function sqliteTraces(db: string, needles: string[]): string[] {
  const found: string[] = []
  for (const f of [db, `${db}-wal`, `${db}-shm`]) {
    if (!fs.existsSync(f)) continue
    const text = fs.readFileSync(f).toString('latin1').toLowerCase()
    for (const n of needles) if (text.includes(n.toLowerCase())) found.push(`${n} in ${path.basename(f)}`)
  }
  return found
}
