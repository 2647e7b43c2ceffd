import {spawnSync} from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'

import {ROOT, tempDir} from './cli.js'

/**
 * The README's shell sessions, run as written. A fenced block (not ```sh) holds `$ command` lines, each
 * followed by the output it shows. An HTML comment `<!-- readme: <shell line> -->` outside a block is a step
 * the reader does not see but the story needs (an operator added, a file edited); `<!-- readme: partial -->`
 * says the next block shows only some of its output lines (in order).
 */
export interface ReadmeStep {
  /** Line in README.md (1-based). */
  line: number
  command: string
  /** The output shown; null for a hidden setup step. */
  expected: string[] | null
  partial: boolean
}

export function readmeSteps(readme: string): ReadmeStep[] {
  const steps: ReadmeStep[] = []
  const lines = readme.split('\n')
  let fence: string | null = null
  let indent = ''
  let partial = false
  let current: ReadmeStep | null = null
  lines.forEach((raw, i) => {
    const fenceMark = /^(\s*)```(\w*)\s*$/.exec(raw)
    if (fenceMark) {
      if (fence === null) {
        fence = fenceMark[2]!
        indent = fenceMark[1]!
      } else {
        if (current) steps.push(current)
        current = null
        fence = null
        partial = false
      }
      return
    }
    if (fence === null) {
      const comment = /^<!-- readme: (.*) -->$/.exec(raw.trim())
      if (comment?.[1] === 'partial') partial = true
      else if (comment) steps.push({line: i + 1, command: comment[1]!, expected: null, partial: false})
      return
    }
    if (fence !== '') return // ```sh blocks are instructions, not sessions
    const text = raw.startsWith(indent) ? raw.slice(indent.length) : raw
    if (text.startsWith('$ ')) {
      if (current) steps.push(current)
      current = {line: i + 1, command: text.slice(2), expected: [], partial}
    } else if (current) {
      current.expected!.push(text)
    }
  })
  return steps.map((s) => (s.expected ? {...s, expected: trimEnd(s.expected)} : s))
}

function trimEnd(lines: string[]): string[] {
  const out = [...lines]
  while (out.length > 0 && out.at(-1)!.trim() === '') out.pop()
  return out
}

/**
 * The day the README's outputs show as "today" (README_WRITE writes it in place of the real day), so that
 * the comparison never depends on the day the tests run.
 */
export const README_DAY = '2026-11-27'

/**
 * What may differ between two honest runs: clock times, digests, temp folders, today's date; and the table
 * padding that follows from them.
 */
export function normalize(text: string, dir: string, today: string): string {
  return text
    .replaceAll(dir, '<dir>')
    .replaceAll(/\/tmp\/custodian-[\w-]+/g, '<dir>')
    .replaceAll(/\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z/g, '<time>')
    .replaceAll(/\b[0-9a-f]{64}\b/g, '<sha256>')
    .replaceAll(today, '<today>')
    .replaceAll(README_DAY, '<today>')
    .replaceAll(/\d{8}T?\d{6}/g, '<stamp>')
    .replaceAll(/-{2,}/g, '--')
    .replaceAll(/[ \t]+/g, ' ')
    .trim()
}

export interface ReadmeRun {
  step: ReadmeStep
  code: number
  output: string
}

/** Runs every step in one folder and one store, in order; `custodian` is the built CLI. */
export function runReadme(steps: ReadmeStep[], env: Record<string, string>): {dir: string; runs: ReadmeRun[]} {
  const dir = tempDir('custodian-readme-')
  const bin = path.join(dir, '.bin')
  fs.mkdirSync(bin)
  fs.writeFileSync(path.join(bin, 'custodian'), `#!/bin/sh\nexec "${process.execPath}" "${path.join(ROOT, 'bin', 'run.js')}" "$@"\n`, {mode: 0o755})
  fs.symlinkSync(path.join(ROOT, 'fixtures'), path.join(dir, 'fixtures'))
  const runs: ReadmeRun[] = []
  for (const step of steps) {
    const r = spawnSync('/bin/sh', ['-c', `${step.command} 2>&1`], {
      cwd: dir,
      encoding: 'utf8',
      env: {PATH: `${bin}:${process.env.PATH ?? ''}`, HOME: dir, NO_COLOR: '1', CUSTODIAN_DB: path.join(dir, 'agency.db'), ...env},
      timeout: 60_000,
    })
    // The README's convention: a command that fails shows its exit code after its last line.
    const code = r.status ?? -1
    runs.push({step, code, output: code === 0 ? r.stdout : r.stdout.replace(/\n?$/, `   (exit ${code})\n`)})
  }
  return {dir, runs}
}
