import {spawnSync} from 'node:child_process'
import {createHash} from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import {expect} from 'vitest'

import {ROOT, cli, freshStore} from './cli.js'

/**
 * A generated pay period (bench/generate.mjs, seed 7: 300 full-time employees, each card over 10 accounting
 * codes), imported, validated and certified in a fresh store, and the sha256 its payroll files had before the
 * export streamed (computed on main, commit 31f5664). payroll-golden and payroll-chunks export it.
 */
export const GENERATED_PP = ['--pay-period', '2026-11-01']
export const GENERATED_EMPLOYEES = 300
export const GOLDEN = {
  nfc: '96a5c4e48cd047d5f38af8233d43233b04614eceeb1eb3701ee53bdc5c7085f0',
  csv: 'e17989729ec9d70bd8c4045aa64a4fc465f176cadb6dde84f2a6b9953b9ad7be',
  correctionNfc: 'ba6212121d3fac8888bbf9f196dc717a8ebb2e73550c3cc494bda3d8b03da3e5',
}

export function generate(args: string[]): void {
  const r = spawnSync(process.execPath, [path.join(ROOT, 'bench', 'generate.mjs'), ...args], {encoding: 'utf8'})
  if (r.status !== 0) throw new Error(`generate ${args.join(' ')}: ${r.stderr}`)
}

/** sha256 of a payroll file; for NFC the header's creation stamp (positions 28-41, the only bytes that follow the clock) blanked. */
export function payrollDigest(file: string, nfc: boolean): string {
  const bytes = fs.readFileSync(file)
  if (nfc) bytes.fill(0x30, 27, 41)
  return createHash('sha256').update(bytes).digest('hex')
}

/** A fresh store holding the generated pay period, certified and ready to export. */
export function certifiedGeneratedPeriod(): ReturnType<typeof freshStore> {
  const env = freshStore()
  const people = path.join(env.dir, 'people.csv')
  const period = path.join(env.dir, 'period.csv')
  generate(['personnel', String(GENERATED_EMPLOYEES), people, '--seed', '7', '--tour', 'FT', '--min-leave', '80'])
  generate(['timesheet-period', String(GENERATED_EMPLOYEES), '2026-11-01', period, '--seed', '7', '--accounts-per-card', '10'])
  expect(cli(env, ['personnel', 'import', people, '--json']).json).toMatchObject({inserted: GENERATED_EMPLOYEES, rejected: 0})
  expect(cli(env, ['timesheets', 'import', period, '--json']).json).toMatchObject({rejected: 0})
  expect(cli(env, ['timecards', 'validate', ...GENERATED_PP]).code).toBe(0)
  expect(cli(env, ['timecards', 'certify', ...GENERATED_PP, '--json']).json).toMatchObject({certified: GENERATED_EMPLOYEES})
  return env
}
