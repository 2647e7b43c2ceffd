import fs from 'node:fs'
import path from 'node:path'
import {describe, expect, it} from 'vitest'

import {ROOT} from '../helpers/cli.js'
import {README_DAY, normalize, readmeSteps, runReadme} from '../helpers/readme.js'

describe('README sessions', () => {
  it('every `$ custodian ...` in the README runs as written and shows what the README shows', () => {
    const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8')
    const steps = readmeSteps(readme)
    expect(steps.filter((s) => s.expected).length).toBeGreaterThanOrEqual(30)
    const {dir, runs} = runReadme(steps, {CUSTODIAN_OPERATOR: 'alice'})
    const today = new Date().toISOString().slice(0, 10)
    const failures: string[] = []
    for (const {step, code, output} of runs) {
      if (!step.expected) {
        if (code !== 0) failures.push(`README.md:${step.line} setup "${step.command}" exited ${code}:\n${output}`)
        continue
      }
      const actual = output.split('\n').map((l) => normalize(l, dir, today)).filter((l) => l !== '')
      // In a partial block, "..." stands for lines left out.
      const shown = step.expected.map((l) => normalize(l, dir, today)).filter((l) => l !== '' && !(step.partial && l === '...'))
      const ok = step.partial ? isSubsequence(shown, actual) : JSON.stringify(shown) === JSON.stringify(actual)
      if (!ok) failures.push(`README.md:${step.line} $ ${step.command}\n--- README shows:\n${shown.join('\n')}\n--- it prints:\n${actual.join('\n')}`)
    }
    // README_WRITE=1: the shown outputs are replaced by what the commands print now (review the diff).
    if (process.env.README_WRITE) fs.writeFileSync(path.join(ROOT, 'README.md'), rewrite(readme, runs, dir, today))
    else expect(failures.join('\n\n')).toBe('')
  }, 300_000)
})

function isSubsequence(want: string[], have: string[]): boolean {
  let i = 0
  for (const line of have) if (i < want.length && line === want[i]) i++
  return i === want.length
}

/** The README with each session's shown output replaced by the real one (partial blocks are left as they are). */
function rewrite(readme: string, runs: {step: {line: number; expected: string[] | null; partial: boolean}; output: string}[], dir: string, today: string): string {
  const lines = readme.split('\n')
  for (const {step, output} of [...runs].reverse()) {
    if (!step.expected || step.partial) continue
    const indent = /^\s*/.exec(lines[step.line - 1]!)![0]
    const shown = output.replaceAll(dir, '/tmp/custodian-readme').replaceAll(today, README_DAY).replace(/\n+$/, '').split('\n').map((l) => (l === '' ? '' : indent + l))
    // The shown block runs from the line after the command to the last non-blank line before the next one.
    let end = step.line
    for (let n = 0; n < step.expected.length; n++) end++
    lines.splice(step.line, end - step.line, ...shown)
  }
  return lines.join('\n')
}
