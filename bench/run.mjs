// Benchmark runner: `npm run bench` (builds first), or `node bench/run.mjs [name ...]` to run some benches.
//
// Each bench is an async function (ctx) => {title, rows}, where rows are plain objects printed as one table.
// Add a bench by writing such a function and putting it in `benches` below. A bench that finds the CLI
// failing throws BenchFailure (its message carries the command's exit status, stdout and stderr).
//
// Environment: BENCH_PERSONNEL_ROWS (default 200000), BENCH_SEED (default 1), BENCH_KEEP=1 keeps the temp dir.

import {spawn} from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {fileURLToPath} from 'node:url'

const BENCH_DIR = path.dirname(fileURLToPath(import.meta.url))
const ROOT = path.resolve(BENCH_DIR, '..')
const BIN = path.join(ROOT, 'bin', 'run.js')
const GENERATE = path.join(BENCH_DIR, 'generate.mjs')
const RSS_PRELOAD = path.join(BENCH_DIR, 'rss.cjs')

const PERSONNEL_ROWS = Number(process.env.BENCH_PERSONNEL_ROWS ?? 200_000)
const SEED = Number(process.env.BENCH_SEED ?? 1)
const BAD_EVERY = 1000
const STARTUP_RUNS = 10

class BenchFailure extends Error {}

// ---------------------------------------------------------------------------------------------------------
// Helpers

/** NODE_OPTIONS value preloading rss.cjs (quoted if the path has spaces, as NODE_OPTIONS allows). */
const rssNodeOptions = () => `--require ${/\s/.test(RSS_PRELOAD) ? JSON.stringify(RSS_PRELOAD) : RSS_PRELOAD}`

/**
 * Runs `node args...` in ROOT and resolves to {code, signal, stdout, stderr, ms, rssKB}. With measureRss the
 * child is started with the rss.cjs preload and rssKB is its peak RSS (null when it did not report).
 */
function runNode(ctx, args, {env = {}, measureRss = false} = {}) {
  const rssFile = measureRss ? path.join(ctx.tmp, `rss-${process.pid}-${++ctx.seq}.txt`) : undefined
  const childEnv = {
    ...process.env,
    NO_COLOR: '1',
    ...env,
    ...(rssFile ? {NODE_OPTIONS: [process.env.NODE_OPTIONS, rssNodeOptions()].filter(Boolean).join(' '), BENCH_RSS_FILE: rssFile} : {}),
  }
  return new Promise((resolve, reject) => {
    const t0 = performance.now()
    const child = spawn(process.execPath, args, {cwd: ROOT, env: childEnv, stdio: ['ignore', 'pipe', 'pipe']})
    const out = []
    const err = []
    child.stdout.on('data', (b) => out.push(b))
    child.stderr.on('data', (b) => err.push(b))
    child.on('error', reject)
    child.on('close', (code, signal) => {
      const ms = performance.now() - t0
      let rssKB = null
      if (rssFile && fs.existsSync(rssFile)) {
        rssKB = Number(fs.readFileSync(rssFile, 'utf8').trim()) || null
        fs.rmSync(rssFile, {force: true})
      }
      resolve({code, signal, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8'), ms, rssKB})
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

/** Generates PERSONNEL_ROWS personnel rows, then imports them into a fresh store. */
async function personnelImport(ctx) {
  const csv = path.join(ctx.tmp, 'personnel.csv')
  const db = path.join(ctx.tmp, 'bench.db')
  const env = {CUSTODIAN_OPERATOR: 'bench'}

  ctx.log(`generating ${fmtInt(PERSONNEL_ROWS)} personnel rows (seed ${SEED}, every ${BAD_EVERY}th invalid)...`)
  const gen = await runNode(ctx, [GENERATE, 'personnel', String(PERSONNEL_ROWS), csv, '--seed', String(SEED), '--bad-every', String(BAD_EVERY)], {measureRss: true})
  if (gen.code !== 0) throw failure('generate personnel', gen)
  const bytes = fs.statSync(csv).size
  const expectedBad = Math.floor(PERSONNEL_ROWS / BAD_EVERY)

  const init = await runNode(ctx, [BIN, 'init', '--db', db, '--admin', 'bench', '--agency', 'HS'], {env})
  if (init.code !== 0) throw failure('custodian init', init)

  ctx.log('importing...')
  const imp = await runNode(ctx, [BIN, 'personnel', 'import', csv, '--json', '--db', db], {env, measureRss: true})
  if (imp.code !== 0) throw failure('custodian personnel import', imp)
  let result
  try {
    result = JSON.parse(imp.stdout)
  } catch {
    throw failure('custodian personnel import (stdout is not JSON)', imp)
  }
  const problems = []
  if (result.rowsRead !== PERSONNEL_ROWS) problems.push(`rowsRead ${result.rowsRead}, expected ${PERSONNEL_ROWS}`)
  if (result.rejected !== expectedBad) problems.push(`rejected ${result.rejected}, expected ${expectedBad}`)
  if (result.inserted !== PERSONNEL_ROWS - expectedBad) problems.push(`inserted ${result.inserted}, expected ${PERSONNEL_ROWS - expectedBad}`)
  if (problems.length) ctx.log(`WARNING: unexpected import counts: ${problems.join('; ')}`)

  const genS = gen.ms / 1000
  const impS = imp.ms / 1000
  return {
    title: `personnel import (${(bytes / 1024 / 1024).toFixed(1)} MB CSV)`,
    rows: [
      {step: 'generate CSV', rows: fmtInt(PERSONNEL_ROWS), seconds: genS.toFixed(2), 'rows/s': fmtInt(PERSONNEL_ROWS / genS), 'peak RSS MB': mb(gen.rssKB), note: `${expectedBad} invalid rows`},
      {step: 'personnel import', rows: fmtInt(PERSONNEL_ROWS), seconds: impS.toFixed(2), 'rows/s': fmtInt(PERSONNEL_ROWS / impS), 'peak RSS MB': mb(imp.rssKB), note: `inserted ${fmtInt(result.inserted)}, rejected ${fmtInt(result.rejected)}`},
    ],
  }
}

/** Median wall time of STARTUP_RUNS runs of `custodian --help` against a bare `node -e 0`. */
async function startup(ctx) {
  const time = async (args) => {
    await runNode(ctx, args) // warm-up (file cache), not counted
    const ms = []
    for (let i = 0; i < STARTUP_RUNS; i++) {
      const r = await runNode(ctx, args)
      if (r.code !== 0) throw failure(`node ${args.join(' ')}`, r)
      ms.push(r.ms)
    }
    return median(ms)
  }
  ctx.log(`timing startup (median of ${STARTUP_RUNS})...`)
  const node = await time(['-e', '0'])
  const help = await time([BIN, '--help'])
  return {
    title: `startup (median of ${STARTUP_RUNS} runs)`,
    rows: [
      {command: 'node -e 0', 'median ms': node.toFixed(1), ratio: '1.00'},
      {command: 'custodian --help', 'median ms': help.toFixed(1), ratio: (help / node).toFixed(2)},
    ],
  }
}

const benches = [
  {name: 'personnel', run: personnelImport},
  {name: 'startup', run: startup},
]

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
