import fs from 'node:fs'
import path from 'node:path'
import {describe, expect, it} from 'vitest'

import {ROOT, cli, tempDir} from '../helpers/cli.js'

/** Splits a shell line into words, honouring double quotes (enough for the README's commands). */
function words(line: string): string[] {
  return [...line.matchAll(/"([^"]*)"|(\S+)/g)].map((m) => m[1] ?? m[2]!)
}

describe('README', () => {
  it('the five-minute walkthrough runs as written, from imports to a payroll file and a response package', () => {
    const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8')
    const section = readme.slice(readme.indexOf('## From clone to a payroll file'))
    const block = /```sh\n([\s\S]*?)```/.exec(section)![1]!
    const steps = block.split('\n').filter((l) => l.startsWith('npx custodian '))
    expect(steps.length).toBeGreaterThanOrEqual(10)

    const dir = tempDir()
    const env = {db: path.join(dir, 'try.db')}
    for (const step of steps) {
      const [command, comment = ''] = step.split(/\s+#\s+/)
      const args = words(command!).slice(2).map((w) => (w.startsWith('fixtures/') ? path.join(ROOT, w) : w))
      const r = cli(env, args, {cwd: dir})
      const expected = /exit (\d)/.exec(comment)?.[1] ?? '0'
      expect(`${r.code}`, `${command}\n${r.stdout}${r.stderr}`).toBe(expected)
    }
    // What the walkthrough promises at the end.
    expect(fs.existsSync(path.join(dir, 'pp-2026-22.nfc'))).toBe(true)
    const files = fs.readdirSync(path.join(dir, 'response')).sort()
    expect(files).toEqual(expect.arrayContaining(['disclosures.csv', 'letter.pdf', 'manifest.json', 'records.json']))
    expect(fs.readFileSync(path.join(dir, 'response', 'letter.pdf')).subarray(0, 5).toString()).toBe('%PDF-')
  })
})
