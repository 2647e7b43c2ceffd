import fs from 'node:fs'
import path from 'node:path'
import {describe, expect, it} from 'vitest'

import {RECORD_TYPES} from '../../src/records/registry.js'

// The shape issue 14 set, held by a test: record type names live in their modules, SQL in queries modules
// and hot-path implementations, and no domain folder reaches up into the CLI layer.

const src = path.resolve(__dirname, '../../src')
const files = (fs.readdirSync(src, {recursive: true}) as string[]).filter((f) => f.endsWith('.ts')).map((f) => f.split(path.sep).join('/'))
const text = (f: string) => fs.readFileSync(path.join(src, f), 'utf8')

/** Where SQL may be written: queries modules, history and accounting writers, hot paths, record types, the store. */
const SQL_HOMES = [/\/queries\.ts$/, /-sqlite\.ts$/, /-postgres\.ts$/, /\/history\.ts$/, /^disclosures\/accounting\.ts$/, /\/import(-lines)?\.ts$/, /^records\/(types\/|kit\.ts)/, /^store\//]

describe('architecture', () => {
  it('record type names are written only in src/records/types/ (commands\' table headings and examples are words for people)', () => {
    for (const f of files.filter((f) => !f.startsWith('records/types/') && !f.startsWith('commands/'))) {
      for (const type of RECORD_TYPES) expect(text(f), `${f} names the record type ${type}`).not.toMatch(new RegExp(`['"\`]${type}['"\`:]`))
    }
  })

  it('SQL is written only in queries modules, writers, hot-path implementations, record types and the store', () => {
    const sqlUse = /\bstore\.db\.|\bdb\.(prepare|exec)\(|\.sqlite\.(prepare|exec)\(|\b(selectFrom|insertInto|updateTable|deleteFrom)\(/
    for (const f of files.filter((f) => !SQL_HOMES.some((home) => home.test(f)))) expect(text(f), `${f} writes SQL`).not.toMatch(sqlUse)
  })

  it('no domain folder imports the CLI layer', () => {
    for (const f of files.filter((f) => !f.startsWith('cli/') && !f.startsWith('commands/'))) expect(text(f), f).not.toMatch(/from '\.\.\/(\.\.\/)?cli\//)
  })
})
