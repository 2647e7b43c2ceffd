import type {Config as OclifConfig} from '@oclif/core'
import {createRequire} from 'node:module'
import path from 'node:path'

import {type CliResult, type Env, ROOT} from './cli.js'

// The built CLI's own copy of oclif (bundled by scripts/vendor.mjs): the commands' classes come from it,
// so the config that loads and runs them must too.
const oclif = createRequire(import.meta.url)(path.join(ROOT, 'dist', 'vendor', 'oclif.cjs'))
const {Config} = oclif['@oclif/core/config'] as typeof import('@oclif/core/config')
const {run} = oclif['@oclif/core/run'] as typeof import('@oclif/core/run')

let config: OclifConfig | undefined

/**
 * Runs the built CLI inside the test process (same oclif entry as bin/run.js, one loaded Config), for suites
 * that run hundreds of commands, where spawning a process each time would cost minutes. stdout/stderr are
 * captured; the exit code is what the process would have exited with. One command at a time.
 */
export async function runInProcess(env: Env, argv: string[]): Promise<CliResult> {
  config ??= await Config.load({root: ROOT})
  const saved = {db: process.env.CUSTODIAN_DB, operator: process.env.CUSTODIAN_OPERATOR, noColor: process.env.NO_COLOR}
  process.env.CUSTODIAN_DB = env.db
  process.env.CUSTODIAN_OPERATOR = env.operator ?? 'admin'
  process.env.NO_COLOR = '1'
  const out: string[] = []
  const err: string[] = []
  const stdoutWrite = process.stdout.write
  const stderrWrite = process.stderr.write
  const capture = (sink: string[]) => ((chunk: string | Uint8Array, ...rest: unknown[]) => {
    sink.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'))
    const cb = rest.find((r) => typeof r === 'function') as (() => void) | undefined
    cb?.()
    return true
  }) as typeof process.stdout.write
  process.stdout.write = capture(out)
  process.stderr.write = capture(err)
  process.exitCode = undefined
  let code: number
  try {
    await run(argv, config)
    code = Number(process.exitCode ?? 0)
  } catch (error) {
    const e = error as {oclif?: {exit?: number}; message?: string}
    code = e.oclif?.exit ?? 1
    err.push(String(e.message ?? error))
  } finally {
    process.stdout.write = stdoutWrite
    process.stderr.write = stderrWrite
    process.exitCode = undefined
    for (const [key, value] of [['CUSTODIAN_DB', saved.db], ['CUSTODIAN_OPERATOR', saved.operator], ['NO_COLOR', saved.noColor]] as const) {
      if (value === undefined) delete process.env[key]
      else process.env[key] = value
    }
  }
  const stdout = out.join('')
  let json: unknown
  if (argv.includes('--json')) {
    try {
      json = JSON.parse(stdout)
    } catch {
      throw new Error(`stdout of "${argv.join(' ').slice(0, 200)}" is not one JSON document:\n${stdout.slice(0, 2000)}\n--- stderr:\n${err.join('').slice(0, 2000)}`)
    }
  }
  return {code, stdout, stderr: err.join(''), json}
}
