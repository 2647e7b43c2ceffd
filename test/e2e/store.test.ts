import Database from 'better-sqlite3'
import fs from 'node:fs'
import path from 'node:path'
import {beforeEach, describe, expect, it} from 'vitest'

import {FIXTURES, addOperator, cli, freshStore, tempDir} from '../helpers/cli.js'

type Store = ReturnType<typeof freshStore>

describe('init and the store', () => {
  it('creates the store 0600 with the first admin, and a second init changes nothing', () => {
    const dir = tempDir()
    const env = {db: path.join(dir, 'sub', 'agency.db'), operator: 'alice'}
    const r = cli(env, ['init', '--agency', 'HS', '--json'])
    expect(r.code).toBe(0)
    expect(r.json).toMatchObject({db: env.db, schemaVersion: expect.any(Number), created: true})
    expect(fs.statSync(env.db).mode & 0o777).toBe(0o600)
    expect(cli(env, ['operators', 'add', 'aud', '--role', 'auditor']).code).toBe(0)
    const before = cli({...env, operator: 'aud'}, ['audit', 'log', '--json']).json.entries.length
    const again = cli(env, ['init', '--json'])
    expect(again.json).toEqual({db: env.db, schemaVersion: r.json.schemaVersion, created: false, admin: null, agency: null})
    expect(cli({...env, operator: 'aud'}, ['operators', 'list', '--json']).json.operators.map((o: any) => `${o.name}:${o.role}`)).toEqual(['alice:admin', 'aud:auditor'])
    expect(cli({...env, operator: 'aud'}, ['audit', 'log', '--json']).json.entries.length).toBe(before)
  })

  it('gives -wal and -shm the 0600 mode of the store', () => {
    const env = freshStore()
    const db = new Database(env.db)
    db.pragma('journal_mode = WAL')
    db.prepare("INSERT INTO settings (key, value) VALUES ('probe', 'x')").run()
    for (const f of [`${env.db}-wal`, `${env.db}-shm`]) expect(fs.statSync(f).mode & 0o777).toBe(0o600)
    db.close()
  })

  it('answers exit 5 for a store that does not exist, and for a file that is not a store', () => {
    const dir = tempDir()
    const missing = cli({db: path.join(dir, 'none.db')}, ['personnel', 'list', '--json'])
    expect(missing.code).toBe(5)
    expect(missing.json.error.code).toBe('STORE_NOT_FOUND')
    expect(fs.existsSync(path.join(dir, 'none.db'))).toBe(false)
    const junk = path.join(dir, 'junk.db')
    fs.writeFileSync(junk, 'this is not sqlite, just text that is long enough to be read as a header '.repeat(4))
    const r = cli({db: junk}, ['personnel', 'list', '--json'])
    expect(r.code).toBe(5)
    expect(r.stderr).not.toMatch(/at .*\.js:\d+/)
  })

  it('uses --db over CUSTODIAN_DB', () => {
    const env = freshStore()
    const other = path.join(tempDir(), 'other.db')
    const r = cli({db: other, operator: 'admin'}, ['operators', 'list', '--db', env.db, '--json'])
    expect(r.code).toBe(0)
  })

  it('prints usage errors as exit 2 with the JSON error shape and no stack trace', () => {
    const env = freshStore()
    const r = cli(env, ['operators', 'add', 'x', '--json'])
    expect(r.code).toBe(2)
    expect(r.json.error).toMatchObject({code: 'USAGE', message: expect.stringMatching(/role/)})
    const human = cli(env, ['operators', 'add', 'x', '--role', 'wizard'])
    expect(human.code).toBe(2)
    expect(human.stderr).toMatch(/wizard/)
    expect(human.stderr).not.toMatch(/\n\s+at /)
  })
})

describe('operators and roles', () => {
  let env: Store
  beforeEach(() => {
    env = freshStore()
  })

  it('lets only admins manage operators; auditors may list them', () => {
    addOperator(env, 'tk', 'timekeeper', ['--org', '0301'])
    addOperator(env, 'aud', 'auditor')
    const denied = cli({...env, operator: 'tk'}, ['operators', 'add', 'x', '--role', 'admin', '--json'])
    expect(denied.code).toBe(4)
    expect(denied.json.error.code).toBe('NOT_PERMITTED')
    expect(cli({...env, operator: 'tk'}, ['operators', 'list', '--json']).code).toBe(4)
    const list = cli({...env, operator: 'aud'}, ['operators', 'list', '--json'])
    expect(list.json.operators).toEqual([
      expect.objectContaining({name: 'admin', role: 'admin', org: null}),
      expect.objectContaining({name: 'aud', role: 'auditor'}),
      expect.objectContaining({name: 'tk', role: 'timekeeper', org: '0301'}),
    ])
  })

  it('refuses unknown operators with exit 4', () => {
    const r = cli({...env, operator: 'mallory'}, ['personnel', 'list', '--json'])
    expect(r.code).toBe(4)
    expect(r.json.error.code).toBe('UNKNOWN_OPERATOR')
  })

  it('refuses duplicates (6), unknown names (5) and removing the last admin (6)', () => {
    addOperator(env, 'tk', 'timekeeper')
    expect(cli(env, ['operators', 'add', 'tk', '--role', 'auditor', '--json']).code).toBe(6)
    expect(cli(env, ['operators', 'remove', 'nobody', '--json']).code).toBe(5)
    expect(cli(env, ['operators', 'remove', 'admin', '--json']).json.error.code).toBe('LAST_ADMIN')
    const removed = cli(env, ['operators', 'remove', 'tk', '--json'])
    expect(removed.json.removed.name).toBe('tk')
    expect(cli({...env, operator: 'tk'}, ['personnel', 'list', '--json']).code).toBe(4)
  })

  it.each([
    ['timekeeper', ['audit', 'verify'], 4],
    ['auditor', ['audit', 'verify'], 0],
    ['records-officer', ['audit', 'log'], 0],
    ['supervisor', ['personnel', 'import', path.join(FIXTURES, 'personnel.csv')], 4],
    ['payroll', ['personnel', 'list'], 0],
    ['records-officer', ['personnel', 'list'], 4],
    ['auditor', ['personnel', 'show', 'E1000'], 4],
  ])('role %s running %j exits %i', (role, args, code) => {
    addOperator(env, 'op', role)
    expect(cli({...env, operator: 'op'}, [...args, '--json']).code).toBe(code)
  })
})
