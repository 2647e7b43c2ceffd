import Database from 'better-sqlite3'
import {Kysely, SqliteDialect} from 'kysely'
import {randomBytes} from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import {describe, expect, it} from 'vitest'

import {migrations} from '../../migrations/index.js'
import {migrateToLatest} from '../../src/store/migrate.js'
import {decryptSsn, ssnKeysOf} from '../../src/store/ssn-vault.js'
import {readKeyRing} from '../../src/store/keyfile.js'
import {type Env, FIXTURES, PERSONNEL_HEADER, addOperator, cli, fixtureCycle, freshStore, onPostgres, personnelLine, sqliteTraces, storeExec, storeRows, tempDir, writeFile} from '../helpers/cli.js'

// CLI.md, "SSNs at rest": sealed with a key outside the store; what needs the key is exit 4 KEY_MISSING without it.

/** On PostgreSQL: which needles the files of the tables (their indexes and TOAST too) hold, as the local test server keeps them. */
function postgresTraces(env: Env, tables: string[], needles: string[]): string[] {
  const [{dir}] = storeRows<{dir: string}>(env, "SELECT current_setting('data_directory') AS dir")
  const list = tables.map((t) => `'${t}'`).join(', ')
  const files = storeRows<{f: string | null}>(env, `SELECT pg_relation_filepath(c.oid) AS f FROM pg_class c WHERE c.relname IN (${list})
    OR c.oid IN (SELECT indexrelid FROM pg_index WHERE indrelid IN (SELECT oid FROM pg_class WHERE relname IN (${list})))
    OR c.oid IN (SELECT reltoastrelid FROM pg_class WHERE relname IN (${list}))`)
  const found: string[] = []
  for (const {f} of files) {
    if (!f || !fs.existsSync(path.join(dir, f))) continue
    const text = fs.readFileSync(path.join(dir, f)).toString('latin1').toLowerCase()
    for (const n of needles) if (text.includes(n.toLowerCase())) found.push(`${n} in ${f}`)
  }
  return found
}

/** The fixture's SSNs, bare and with dashes (every form a byte scan looks for). */
const FIXTURE_SSNS = [...fs.readFileSync(path.join(FIXTURES, 'personnel.csv'), 'utf8').matchAll(/\b(\d{3})-(\d{2})-(\d{4})\b/g)].flatMap((m) => [m[0], m[1] + m[2] + m[3]])

/** The env with its own key file, made by init run again (as an operator would). */
function keyed(env: Env & {dir: string}): Env & {dir: string} {
  const withKey = {...env, env: {CUSTODIAN_KEY_FILE: path.join(env.dir, 'custodian.key')}}
  const r = cli({...withKey, operator: 'admin'}, ['init', '--json'])
  if (r.code !== 0) throw new Error(`init failed: ${r.stdout}${r.stderr}`)
  return withKey
}

const noKey = (env: Env & {dir: string}) => ({...env, env: {CUSTODIAN_KEY_FILE: path.join(env.dir, 'missing.key')}})
const as = (env: Env, operator: string) => ({...env, operator})

function refused(r: {code: number; json: any; stdout: string}): void {
  expect(r.code, r.stdout).toBe(4)
  expect(r.json.error.code).toBe('KEY_MISSING')
  for (const ssn of FIXTURE_SSNS) expect(r.stdout).not.toContain(ssn)
}

describe('SSNs at rest', () => {
  it('seals imported SSNs; masked display works without the key; reveal, search by SSN and an import with SSNs are exit 4 KEY_MISSING and change nothing', () => {
    const env = keyed(freshStore())
    addOperator(env, 'tk', 'timekeeper')
    addOperator(env, 'po', 'privacy-officer')
    const imported = cli(as(env, 'tk'), ['personnel', 'import', path.join(FIXTURES, 'personnel.csv'), '--as-of', '2026-11-23', '--json'])
    expect(imported.code, imported.stderr).toBe(0)
    expect(imported.json.inserted).toBe(7)

    const missing = noKey(env)
    expect(cli(as(missing, 'po'), ['personnel', 'show', 'E1001', '--json']).json.ssn).toBe('***-**-6781')
    const listed = cli(as(missing, 'po'), ['personnel', 'list', '--as-of', '2026-11-23', '--json'])
    expect(listed.code).toBe(0)
    for (const ssn of FIXTURE_SSNS) expect(listed.stdout).not.toContain(ssn)
    refused(cli(as(missing, 'po'), ['personnel', 'show', 'E1001', '--reveal-ssn', '--json']))
    expect(cli(as(env, 'po'), ['personnel', 'show', 'E1001', '--reveal-ssn', '--json']).json.ssn).toBe('123-45-6781')

    // Another key (not this store's) is refused as well, never used to seal or compare.
    const other = {...env, env: {CUSTODIAN_KEY_FILE: writeFile(env.dir, 'other.key', `${randomBytes(32).toString('base64')}\n`)}}
    refused(cli(as(other, 'po'), ['personnel', 'show', 'E1001', '--reveal-ssn', '--json']))

    // An import that stores SSNs, without the key: nothing changed. Without an ssn column it needs no key.
    const before = cli(as(env, 'po'), ['personnel', 'list', '--as-of', '2026-11-23', '--json']).json
    const file = writeFile(env.dir, 'more.csv', `${PERSONNEL_HEADER}\n${personnelLine({employee_id: 'E2001', ssn: '123-45-6701'})}\n`)
    refused(cli(as(missing, 'tk'), ['personnel', 'import', file, '--as-of', '2026-11-23', '--json']))
    refused(cli(as(other, 'tk'), ['personnel', 'import', file, '--as-of', '2026-11-23', '--json']))
    expect(cli(as(env, 'po'), ['personnel', 'list', '--as-of', '2026-11-23', '--json']).json).toEqual(before)
    const header = PERSONNEL_HEADER.split(',')
    const noSsnColumn = writeFile(env.dir, 'no-ssn.csv', `${header.filter((c) => c !== 'ssn').join(',')}\n${personnelLine({employee_id: 'E2002'}).split(',').filter((_, i) => header[i] !== 'ssn').join(',')}\n`)
    expect(cli(as(missing, 'tk'), ['personnel', 'import', noSsnColumn, '--as-of', '2026-11-23', '--json']).json.inserted).toBe(1)

    // Duplicate checks run on the keyed hash: in the store and within the file.
    const dup = writeFile(env.dir, 'dup.csv', `${PERSONNEL_HEADER}\n${personnelLine({employee_id: 'E2003', ssn: '123-45-6781'})}\n${personnelLine({employee_id: 'E2004', ssn: '123-45-6704'})}\n${personnelLine({employee_id: 'E2005', ssn: '123456704'})}\n`)
    const dupped = cli(as(env, 'tk'), ['personnel', 'import', dup, '--as-of', '2026-11-23', '--json'])
    expect(dupped.json.errors.map((e: {row: number; code: string}) => `${e.row}:${e.code}`)).toEqual(['1:PE-SSN-DUP', '3:PE-SSN-DUP'])

    // Search by SSN: found by its keyed hash with the key, KEY_MISSING without.
    cli(as(env, 'po'), ['requests', 'open', '--type', 'access', '--requester', 'Adaeze Okafor', '--ssn', '123-45-6781', '--received', '2026-11-02', '--json'])
    refused(cli(as(missing, 'po'), ['requests', 'search', 'PA-2026-0001', '--json']))
    const searched = cli(as(env, 'po'), ['requests', 'search', 'PA-2026-0001', '--json'])
    expect(searched.code, searched.stdout).toBe(0)
    expect(searched.json.subject).toMatchObject({employeeId: 'E1001', matchedBy: 'ssn'})
  })

  it('payroll export needs the key; rotate-key re-seals under a new key: the old key decrypts nothing, a re-export is byte-identical', () => {
    const env = keyed(freshStore())
    fixtureCycle(env, 'certified')
    const out = path.join(env.dir, 'pp.nfc')
    refused(cli(as(noKey(env), 'pay'), ['payroll', 'export', '--pay-period', '2026-11-01', '--out', out, '--json']))
    expect(fs.existsSync(out)).toBe(false)
    const exported = cli(as(env, 'pay'), ['payroll', 'export', '--pay-period', '2026-11-01', '--out', out, '--json'])
    expect(exported.code, exported.stdout).toBe(0)
    const original = fs.readFileSync(out)
    expect(original.toString('latin1')).toContain('123456781')

    const keyFile = env.env!.CUSTODIAN_KEY_FILE
    const oldKey = writeFile(env.dir, 'old.key', fs.readFileSync(keyFile))
    const rotated = cli(env, ['store', 'rotate-key', '--json'])
    expect(rotated.code, rotated.stdout).toBe(0)
    expect(rotated.json).toEqual({rotated: 6, batches: 1, keyFile})
    expect(fs.statSync(keyFile).mode & 0o777).toBe(0o600)
    expect(fs.existsSync(`${keyFile}.new`)).toBe(false)
    // The do-not-contact hash key is kept (those hashes cannot be computed again); the SSN key is new.
    const [oldRing, newRing] = [readKeyRing(oldKey, 'test'), readKeyRing(keyFile, 'test')]
    expect(newRing.hash.equals(oldRing.hash)).toBe(true)
    expect(newRing.ssn.equals(oldRing.ssn)).toBe(false)

    const old = {...env, env: {CUSTODIAN_KEY_FILE: oldKey}}
    refused(cli(as(old, 'admin'), ['personnel', 'show', 'E1001', '--reveal-ssn', '--json']))
    const batch = cli(as(env, 'pay'), ['payroll', 'batches', '--json']).json.batches?.[0]?.batchId ?? cli(as(env, 'pay'), ['payroll', 'batches', '--json']).json[0]?.batchId
    refused(cli(as(old, 'pay'), ['payroll', 'reexport', batch, '--out', path.join(env.dir, 'old.nfc'), '--json']))
    const again = cli(as(env, 'pay'), ['payroll', 'reexport', batch, '--out', path.join(env.dir, 'again.nfc'), '--json'])
    expect(again.code, again.stdout).toBe(0)
    expect(fs.readFileSync(path.join(env.dir, 'again.nfc')).equals(original)).toBe(true)
    // The chain holds across the rotation: its MACs use the hash key, which is kept.
    const verify = cli(env, ['audit', 'verify', '--json']).json
    expect([verify.ok, verify.broken, verify.mac.checked]).toEqual([true, [], true])
    expect(cli(env, ['audit', 'log', '--json']).stdout).toContain('store.rotate-key')

    if (!onPostgres) {
      // Decrypting a stored ciphertext with the old key fails; with the new one it gives the SSN.
      const db = new Database(env.db, {readonly: true})
      const {ssn_cipher: cipher} = db.prepare("SELECT ssn_cipher FROM employees WHERE employee_id = 'E1001'").get() as {ssn_cipher: string}
      db.close()
      expect(() => decryptSsn(ssnKeysOf(oldRing), cipher)).toThrow(/does not decrypt/)
      expect(decryptSsn(ssnKeysOf(newRing), cipher)).toBe('123456781')
    }
  })

  it.runIf(onPostgres)('PostgreSQL: no SSN in any form in the files of the tables that hold them, after an import, an amendment and a rotation', () => {
    const env = keyed(freshStore())
    addOperator(env, 'tk', 'timekeeper')
    addOperator(env, 'po', 'privacy-officer')
    expect(cli(as(env, 'tk'), ['personnel', 'import', path.join(FIXTURES, 'personnel.csv'), '--as-of', '2026-11-23', '--json']).code).toBe(0)
    const po = (args: string[]) => cli(as(env, 'po'), [...args, '--json'])
    expect(po(['requests', 'open', '--type', 'amendment', '--requester', 'José Núñez', '--employee', 'E1002', '--received', '2026-11-02', '--verified', 'in person']).code).toBe(0)
    expect(po(['requests', 'amend', 'PA-2026-0001', '--record', 'employee:E1002', '--field', 'ssn', '--value', '123-45-6799']).code).toBe(0)
    expect(po(['requests', 'decide', 'PA-2026-0001', '--grant']).code).toBe(0)
    expect(cli(env, ['store', 'rotate-key', '--json']).code).toBe(0)
    // The rows reach the table files at a checkpoint: made now, so the scan can find what is there.
    storeExec(env, 'CHECKPOINT')
    const tables = ['employees', 'employee_history', 'requests', 'request_amendments', 'payroll_batches']
    expect(postgresTraces(env, tables, ['Okafor']).length).toBeGreaterThan(0) // the scan sees the rows' bytes
    expect(postgresTraces(env, tables, [...FIXTURE_SSNS, '123456799', '123-45-6799'])).toEqual([])
  })

  it.skipIf(onPostgres)('SQLite: no SSN in any form in the store\'s files after an import, an amendment, a rotation, and init\'s migration of clear SSNs', async () => {
    const env = keyed(freshStore())
    addOperator(env, 'tk', 'timekeeper')
    addOperator(env, 'po', 'privacy-officer')
    expect(cli(as(env, 'tk'), ['personnel', 'import', path.join(FIXTURES, 'personnel.csv'), '--as-of', '2026-11-23', '--json']).code).toBe(0)
    expect(sqliteTraces(env.db, FIXTURE_SSNS)).toEqual([])
    // A granted amendment of the SSN (E1002 gets 123-45-6799): the value asked for and the profile's new one are sealed.
    const po = (args: string[]) => cli(as(env, 'po'), [...args, '--json'])
    expect(po(['requests', 'open', '--type', 'amendment', '--requester', 'José Núñez', '--employee', 'E1002', '--received', '2026-11-02', '--verified', 'in person']).code).toBe(0)
    const amended = po(['requests', 'amend', 'PA-2026-0001', '--record', 'employee:E1002', '--field', 'ssn', '--value', '123-45-6799'])
    expect(amended.code, amended.stdout).toBe(0)
    expect(po(['requests', 'decide', 'PA-2026-0001', '--grant']).code).toBe(0)
    expect(cli(as(env, 'po'), ['personnel', 'show', 'E1002', '--reveal-ssn', '--json']).json.ssn).toBe('123-45-6799')
    expect(sqliteTraces(env.db, FIXTURE_SSNS)).toEqual([])
    expect(cli(env, ['store', 'rotate-key', '--json']).code).toBe(0)
    expect(sqliteTraces(env.db, FIXTURE_SSNS)).toEqual([])

    // A store from before SSNs were sealed (schema 0001-0013), holding clear SSNs: init seals them and sweeps the file.
    const dir = tempDir()
    const file = path.join(dir, 'old.db')
    const sqlite = new Database(file)
    sqlite.pragma('journal_mode = WAL')
    const db = new Kysely<any>({dialect: new SqliteDialect({database: sqlite})})
    const before = Object.fromEntries(Object.entries(migrations).filter(([name]) => name < '0016'))
    await migrateToLatest(db, before)
    const now = '2026-11-01T00:00:00.000Z'
    const insert = sqlite.prepare(`INSERT INTO employees (employee_id, ssn, last_name, first_name, pay_plan, tour_of_duty, scheduled_hours, agency_code, org_code, created_at, updated_at, name_key)
      VALUES (?, ?, 'Old', 'Timer', 'GS', 'FT', 8000, 'HS', '0301', ?, ?, 'old|timer')`)
    insert.run('E9001', '123456781', now, now)
    insert.run('E9002', '123456782', now, now)
    insert.run('E9003', null, now, now)
    await db.destroy()
    expect(sqliteTraces(file, ['123456781'])).not.toEqual([])
    const old = {db: file, operator: 'admin', dir, env: {CUSTODIAN_KEY_FILE: path.join(dir, 'custodian.key')}}
    // Without a key file init makes one; the SSNs are sealed with it.
    const init = cli(old, ['init', '--admin', 'admin', '--json'])
    expect(init.code, init.stdout + init.stderr).toBe(0)
    expect(sqliteTraces(file, FIXTURE_SSNS)).toEqual([])
    expect(cli(old, ['personnel', 'show', 'E9002', '--reveal-ssn', '--json']).json.ssn).toBe('123-45-6782')
    expect(cli(old, ['personnel', 'show', 'E9003', '--reveal-ssn', '--json']).json.ssn).toBeNull()
    expect(cli({...old, env: {CUSTODIAN_KEY_FILE: path.join(dir, 'missing.key')}}, ['personnel', 'show', 'E9001', '--json']).json.ssn).toBe('***-**-6781')
  })
})
