import fs from 'node:fs'
import path from 'node:path'
import {describe, expect, it} from 'vitest'

// @ts-expect-error: a plain ES module script, without types
import {FAMILIES, checkCodesPage} from '../../scripts/check-codes.mjs'
import * as accounts from '../../src/accounts/checks.js'
import * as contacts from '../../src/contacts/checks.js'
import * as csv from '../../src/csv/read.js'
import * as inquiries from '../../src/inquiries/checks.js'
import * as personnel from '../../src/personnel/checks.js'
import * as timecards from '../../src/timecards/checks.js'

const tables = {...csv, ...personnel, ...timecards, ...accounts, ...inquiries, ...contacts}
const file = path.resolve(__dirname, '../../docs/check-codes.md')

describe('docs/check-codes.md', () => {
  it('is what the codes and rules tables say (run `npm run docs` after changing a rule)', () => {
    expect(fs.readFileSync(file, 'utf8'), 'docs/check-codes.md is out of date: run npm run docs').toBe(checkCodesPage(tables))
  })

  it('lists every code of every family, each once', () => {
    const page = checkCodesPage(tables)
    for (const family of FAMILIES as {codes: keyof typeof tables}[]) {
      for (const code of Object.keys(tables[family.codes] as object)) expect(page.split(`| \`${code}\` |`).length - 1, code).toBe(1)
    }
  })

  it('the README links it, and neither the README nor any help text points outside the repository', () => {
    const readme = fs.readFileSync(path.resolve(__dirname, '../../README.md'), 'utf8')
    expect(readme).toContain('docs/check-codes.md')
    const outside = /\.\.\/shared|\b(RULES|CLI|DESIGN|FORMATS)\.md\b/
    expect(readme).not.toMatch(outside)
    const commands = path.resolve(__dirname, '../../src/commands')
    for (const f of fs.readdirSync(commands, {recursive: true}) as string[]) {
      if (f.endsWith('.ts')) expect(fs.readFileSync(path.join(commands, f), 'utf8'), f).not.toMatch(outside)
    }
  })
})
