import Database from 'better-sqlite3'
import {spawnSync} from 'node:child_process'
import {createHash} from 'node:crypto'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {afterAll, describe, expect, it} from 'vitest'

import {BIN, FIXTURES, PERSONNEL_HEADER, addOperator, cli, cliAsync, fixtureCycle, freshStore, personnelLine, tempDir} from '../helpers/cli.js'

// Issue 13: the files custodian writes beside the store, under crashes and mistakes.

type Env = ReturnType<typeof freshStore>
const PP = ['--pay-period', '2026-11-01']
const as = (env: Env, operator: string, args: string[], extra: Record<string, string> = {}) => cli({...env, operator, env: extra}, [...args, '--json'])

function query<T = any>(db: string, sql: string): T[] {
  const conn = new Database(db, {readonly: true})
  try {
    return conn.prepare(sql).all() as T[]
  } finally {
    conn.close()
  }
}

/** Everything a command could change in the store, as one digest. */
function storeDigest(db: string): string {
  const conn = new Database(db, {readonly: true})
  const h = createHash('sha256')
  const tables = conn.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT IN ('file_outputs', 'output_folders', 'sqlite_sequence') ORDER BY name").pluck().all() as string[]
  for (const t of tables) h.update(JSON.stringify(conn.prepare(`SELECT * FROM "${t}"`).all().map((r) => JSON.stringify(r)).sort()))
  conn.close()
  return h.digest('hex')
}

/** Files in the folder that look like temp files (custodian's naming, or any ".tmp"). */
const temps = (dir: string) => fs.readdirSync(dir).filter((n) => /\.tmp($|-)/.test(n) || n.includes('.custodian-'))

/** Files in the folder (recursively) holding any of the needles. */
function filesHolding(dir: string, needles: string[], skip: (name: string) => boolean = () => false): string[] {
  const found: string[] = []
  for (const name of fs.readdirSync(dir)) {
    const p = path.join(dir, name)
    if (skip(name)) continue
    if (fs.statSync(p).isDirectory()) found.push(...filesHolding(p, needles, skip))
    else {
      const text = fs.readFileSync(p).toString('latin1')
      if (needles.some((n) => text.includes(n))) found.push(name)
    }
  }
  return found
}

/** The fixtures validated, a privacy officer po, and request PA-2026-0001: Adaeze Okafor's access request. */
function accessRequestStore(): Env {
  const env = freshStore()
  fixtureCycle(env, 'validated')
  addOperator(env, 'po', 'privacy-officer')
  if (as(env, 'po', ['requests', 'open', '--type', 'access', '--requester', 'Adaeze Okafor', '--employee', 'E1001', '--received', '2026-11-20']).code !== 0) throw new Error('requests open failed')
  return env
}

const isStoreFile = (name: string) => /^store\.db(-wal|-shm|-journal)?$/.test(name)

describe('an output path that is the store', () => {
  // A batch to re-export and a disposal whose certificate can be written; the pay period has nothing left to export.
  const env = freshStore()
  fixtureCycle(env, 'exported')
  addOperator(env, 'rex', 'records-officer')
  if (as(env, 'rex', ['retention', 'sweep', '--as-of', '2026-12-01', '--yes']).code !== 0) throw new Error('sweep failed')
  const digest = storeDigest(env.db)
  fs.symlinkSync(env.db, path.join(env.dir, 'link.db'))
  fs.linkSync(env.db, path.join(env.dir, 'hard.db'))
  const targets = [env.db, `${env.db}-wal`, `${env.db}-shm`, `${env.db}-journal`, path.join(env.dir, 'link.db'), path.join(env.dir, 'hard.db')]

  it.each(targets.map((t) => [path.basename(t), t]))('is refused for %s by export, reexport, certificate and import --rejects: exit 2, OUTPUT_IS_STORE, nothing written', (_name, target) => {
    const before = fs.existsSync(target) ? fs.readFileSync(target) : null
    const runs = [
      as(env, 'pay', ['payroll', 'export', ...PP, '--out', target]),
      as(env, 'pay', ['payroll', 'reexport', 'B000000001', '--out', target]),
      as(env, 'rex', ['retention', 'certificate', 'D000000001', '--out', target]),
      as(env, 'tk', ['personnel', 'import', path.join(FIXTURES, 'personnel.csv'), '--force', '--as-of', '2026-11-23', '--rejects', target]),
    ]
    for (const r of runs) {
      expect(r.code, JSON.stringify(r.json)).toBe(2)
      expect(r.json.error.code).toBe('OUTPUT_IS_STORE')
    }
    if (before && !target.endsWith('-wal') && !target.endsWith('-shm')) expect(fs.readFileSync(target).equals(before)).toBe(true)
    expect(storeDigest(env.db)).toBe(digest)
    expect(as(env, 'admin', ['audit', 'verify']).json.ok).toBe(true)
  })
})

describe('payroll files are never replaced', () => {
  it('export and reexport to an existing file: exit 6, OUTPUT_EXISTS, the file and the cards untouched', () => {
    const env = freshStore()
    fixtureCycle(env, 'certified')
    const out = path.join(env.dir, 'pp.nfc')
    fs.writeFileSync(out, 'an earlier batch\n')
    const r = as(env, 'pay', ['payroll', 'export', ...PP, '--out', out])
    expect(r.code).toBe(6)
    expect(r.json.error.code).toBe('OUTPUT_EXISTS')
    expect(fs.readFileSync(out, 'utf8')).toBe('an earlier batch\n')
    expect(query(env.db, "SELECT count(*) AS n FROM timecards WHERE status = 'certified'")[0].n).toBe(6)
    expect(query(env.db, 'SELECT count(*) AS n FROM payroll_batches')[0].n).toBe(0)

    const fresh = path.join(env.dir, 'pp1.nfc')
    expect(as(env, 'pay', ['payroll', 'export', ...PP, '--out', fresh]).code).toBe(0)
    const again = as(env, 'pay', ['payroll', 'reexport', 'B000000001', '--out', out])
    expect(again.code).toBe(6)
    expect(again.json.error.code).toBe('OUTPUT_EXISTS')
    expect(fs.readFileSync(out, 'utf8')).toBe('an earlier batch\n')
    expect(temps(env.dir)).toEqual([])
  })
})

describe('a crash between a file and its commit', () => {
  const killedAt = (env: Env, operator: string, point: string, args: string[]) => {
    const r = cli({...env, operator, env: {CUSTODIAN_CRASH_AT: point}}, args)
    expect(r.code, `${point}: ${r.stderr}`).toBe(-1) // killed by SIGKILL
  }
  const NEEDLES = ['OKAFOR', 'Okafor', '123456781', 'adaeze.okafor']

  it('payroll export killed before COMMIT: no batch, no file, no temp; the rerun exports B000000001 once', () => {
    const env = freshStore()
    fixtureCycle(env, 'certified')
    const out = path.join(env.dir, 'pp.nfc')
    killedAt(env, 'pay', 'payroll.export:before-commit', ['payroll', 'export', ...PP, '--out', out])
    expect(fs.existsSync(out)).toBe(false)
    expect(temps(env.dir).length).toBe(1) // the temp file, known to the store
    expect(query(env.db, 'SELECT count(*) AS n FROM payroll_batches')[0].n).toBe(0)
    // The next command (any) removes it.
    expect(as(env, 'pay', ['payroll', 'batches']).code).toBe(0)
    expect(temps(env.dir)).toEqual([])
    expect(filesHolding(env.dir, NEEDLES, isStoreFile)).toEqual([])
    const r = as(env, 'pay', ['payroll', 'export', ...PP, '--out', out])
    expect(r.code).toBe(0)
    expect(r.json.batchId).toBe('B000000001')
    expect(as(env, 'pay', ['payroll', 'verify', out]).json.ok).toBe(true)
  })

  it('payroll export killed after COMMIT: the next command puts the batch\'s file in place, as the batch says', () => {
    const env = freshStore()
    fixtureCycle(env, 'certified')
    const out = path.join(env.dir, 'pp.nfc')
    killedAt(env, 'pay', 'payroll.export:after-commit', ['payroll', 'export', ...PP, '--out', out, '--format', 'csv'])
    expect(fs.existsSync(out)).toBe(false)
    expect(query(env.db, "SELECT count(*) AS n FROM timecards WHERE status = 'exported'")[0].n).toBe(6)
    const next = cli({...env, operator: 'pay'}, ['payroll', 'batches', '--json'])
    expect(next.code).toBe(0)
    expect(next.stderr).toContain(`put in place ${out}`)
    const [batch] = next.json.batches
    expect(createHash('sha256').update(fs.readFileSync(out)).digest('hex')).toBe(batch.sha256)
    expect(fs.existsSync(`${out}.control.json`)).toBe(true)
    expect((fs.statSync(out).mode & 0o777).toString(8)).toBe('600')
    expect(temps(env.dir)).toEqual([])
    // Nothing left to export: the cards went once.
    expect(as(env, 'pay', ['payroll', 'export', ...PP, '--out', path.join(env.dir, 'again.csv'), '--format', 'csv']).code).toBe(5)
  })

  it('requests fulfill killed before COMMIT leaves no package and no audit entry; after COMMIT, the package appears with its entry', () => {
    const env = accessRequestStore()
    const fulfilled = () => query(env.db, "SELECT count(*) AS n FROM audit_log WHERE action = 'requests.fulfill'")[0].n
    const out = path.join(env.dir, 'pkg')

    killedAt(env, 'po', 'requests.fulfill:before-commit', ['requests', 'fulfill', 'PA-2026-0001', '--out', out])
    expect(fs.existsSync(out)).toBe(false)
    expect(fulfilled()).toBe(0)
    expect(as(env, 'po', ['requests', 'list']).code).toBe(0)
    expect(temps(env.dir)).toEqual([])
    expect(filesHolding(env.dir, NEEDLES, isStoreFile)).toEqual([])

    killedAt(env, 'po', 'requests.fulfill:after-commit', ['requests', 'fulfill', 'PA-2026-0001', '--out', out])
    expect(fs.existsSync(out)).toBe(false)
    expect(fulfilled()).toBe(1)
    expect(as(env, 'po', ['requests', 'list']).code).toBe(0)
    expect(fs.readdirSync(out).sort()).toContain('manifest.json')
    expect(temps(env.dir)).toEqual([])
  })

  it('an import with --rejects killed before COMMIT leaves nothing; after COMMIT, the rejects file appears', () => {
    const env = freshStore()
    addOperator(env, 'tk', 'timekeeper')
    const rejects = path.join(env.dir, 'rejects.csv')
    const args = ['personnel', 'import', path.join(FIXTURES, 'personnel.csv'), '--as-of', '2026-11-23', '--rejects', rejects]
    killedAt(env, 'tk', 'import:before-commit', args)
    expect(query(env.db, 'SELECT count(*) AS n FROM employees')[0].n).toBe(0)
    expect(temps(env.dir).length).toBe(1)
    expect(as(env, 'tk', ['personnel', 'list']).code).toBe(0)
    expect(temps(env.dir)).toEqual([])
    expect(fs.existsSync(rejects)).toBe(false)

    killedAt(env, 'tk', 'import:after-commit', args)
    expect(query(env.db, 'SELECT count(*) AS n FROM employees')[0].n).toBe(7)
    expect(fs.existsSync(rejects)).toBe(false)
    expect(as(env, 'tk', ['personnel', 'list']).code).toBe(0)
    expect(fs.readFileSync(rejects, 'utf8')).toMatch(/^row,employee_id/)
    expect(fs.readFileSync(rejects, 'utf8').split('\n').filter(Boolean).length).toBe(5) // header + 4 rejected rows
    expect(temps(env.dir)).toEqual([])
    // The retry is refused as a repeat, and the rejects file is already there.
    expect(as(env, 'tk', args).code).toBe(6)
  })

  it('a sweep killed between COMMIT and compaction: the next command compacts, and no destroyed byte remains', () => {
    const env = freshStore()
    fixtureCycle(env, 'exported')
    addOperator(env, 'rex', 'records-officer')
    expect(as(env, 'tk', ['personnel', 'separate', 'E1009', '--date', '2026-11-20']).code).toBe(0)
    const GONE = ['Castellanos', 'CASTELLANOS', 'rafael.castellanos']
    killedAt(env, 'rex', 'retention.sweep:after-commit', ['retention', 'sweep', '--as-of', '2099-01-01', '--yes'])
    expect(query(env.db, "SELECT count(*) AS n FROM employees WHERE employee_id = 'E1009'")[0].n).toBe(0)
    expect(query(env.db, "SELECT value FROM settings WHERE key = 'retention.compaction_pending'")).toHaveLength(1)
    const next = cli({...env, operator: 'rex'}, ['retention', 'disposals', '--json'])
    expect(next.code).toBe(0)
    expect(next.stderr).toContain('finished compacting the store after disposal D000000001')
    expect(filesHolding(env.dir, GONE, (n) => !isStoreFile(n))).toEqual([])
    expect(query(env.db, "SELECT value FROM settings WHERE key = 'retention.compaction_pending'")).toHaveLength(0)
    expect(as(env, 'rex', ['audit', 'verify']).json.ok).toBe(true)
  })

  it('an init killed after its migrations is finished by the next init', () => {
    const dir = tempDir()
    const env = {db: path.join(dir, 'store.db'), operator: 'admin', dir}
    const killed = cli({...env, env: {CUSTODIAN_CRASH_AT: 'init:after-migrate'}}, ['init', '--admin', 'admin'])
    expect(killed.code).toBe(-1)
    expect(cli(env, ['operators', 'list']).code).toBe(4)
    const again = cli(env, ['init', '--admin', 'admin', '--agency', 'HS', '--json'])
    expect(again.code).toBe(0)
    expect(again.json).toMatchObject({created: true, admin: 'admin'})
    expect(cli(env, ['operators', 'list', '--json']).json.operators.map((o: any) => o.name)).toEqual(['admin'])
    expect(cli(env, ['init', '--json']).json.created).toBe(false)
  })
})

describe('custodian doctor', () => {
  it('removes stray temp files by pattern (also of earlier versions) in folders custodian wrote to; admins only', () => {
    const env = freshStore()
    fixtureCycle(env, 'exported') // writes pp.nfc into env.dir
    const out = tempDir()
    expect(as(env, 'pay', ['payroll', 'reexport', 'B000000001', '--out', path.join(out, 'again.nfc')]).code).toBe(0)
    const strays = [path.join(env.dir, '.pp.nfc.4242.1764950000000.tmp'), path.join(out, '.x.rej.csv.custodian-0123456789ab.tmp')]
    for (const s of strays) fs.writeFileSync(s, 'OKAFOR,ADAEZE,123456781\n')
    fs.mkdirSync(path.join(out, '.PA-1.tmp-AbC123'))
    fs.writeFileSync(path.join(out, 'keep.tmp'), 'not ours')

    expect(as(env, 'pay', ['doctor']).code).toBe(4)
    const r = as(env, 'admin', ['doctor'])
    expect(r.code).toBe(0)
    expect(r.json.strayTempFiles.sort()).toEqual([...strays, path.join(out, '.PA-1.tmp-AbC123')].sort())
    expect(r.json).toMatchObject({integrity: 'ok', mode: '0600', problems: []})
    for (const s of strays) expect(fs.existsSync(s)).toBe(false)
    expect(fs.existsSync(path.join(out, 'keep.tmp'))).toBe(true)
    expect(fs.existsSync(path.join(out, 'again.nfc'))).toBe(true)
  })
})

describe('ordinary conditions get their own code, exit and next step', () => {
  it('CUSTODIAN_DB set but empty is a usage error', () => {
    const r = cli({db: ''}, ['operators', 'list', '--json'])
    expect(r.code).toBe(2)
    expect(r.json.error.message).toMatch(/CUSTODIAN_DB is set but empty/)
  })

  it('audit log --limit beyond any count is a usage error', () => {
    const env = freshStore()
    const r = as(env, 'admin', ['audit', 'log', '--limit', '99999999999999999999'])
    expect(r.code).toBe(2)
    expect(r.json.error.code).toBe('USAGE')
  })

  it('requests fulfill --out a symlink to a folder, or a dangling one, is a usage error that writes nothing', () => {
    const env = accessRequestStore()
    const folder = path.join(env.dir, 'real')
    fs.mkdirSync(folder)
    fs.symlinkSync(folder, path.join(env.dir, 'to-folder'))
    fs.symlinkSync(path.join(env.dir, 'nowhere'), path.join(env.dir, 'dangling'))
    for (const link of ['to-folder', 'dangling']) {
      const r = as(env, 'po', ['requests', 'fulfill', 'PA-2026-0001', '--out', path.join(env.dir, link)])
      expect(r.code, link).toBe(2)
      expect(r.json.error.message).toMatch(/symbolic link/)
    }
    expect(fs.readdirSync(folder)).toEqual([])
    expect(fs.existsSync(path.join(env.dir, 'nowhere'))).toBe(false)
    expect(temps(env.dir)).toEqual([])
  })

  it('a read-only store is exit 5, STORE_READ_ONLY, with what to do', () => {
    const env = freshStore()
    // As root every file is writable: run the CLI as nobody, on a store nobody owns read-only.
    const nobody = 65534
    for (const p of fs.readdirSync(env.dir).map((n) => path.join(env.dir, n)).concat(env.dir)) fs.chownSync(p, nobody, nobody)
    fs.chmodSync(env.db, 0o400)
    const r = spawnSync(process.execPath, [BIN, 'operators', 'list', '--json'], {
      encoding: 'utf8', uid: nobody, gid: nobody,
      env: {PATH: process.env.PATH ?? '', HOME: env.dir, CUSTODIAN_DB: env.db, CUSTODIAN_OPERATOR: 'admin'},
    })
    expect(r.status, r.stderr).toBe(5)
    const json = JSON.parse(r.stdout)
    expect(json.error.code).toBe('STORE_READ_ONLY')
    expect(json.error.message).toMatch(/chmod 600/)
  })

  it('a file the user may not read is exit 5, FILE_UNREADABLE, for the imports and payroll verify, and nothing is stored', () => {
    const env = freshStore()
    // As root every file is readable: run the CLI as nobody, on a store nobody owns, with files it may not read.
    const nobody = 65534
    const people = path.join(env.dir, 'people.csv')
    fs.copyFileSync(path.join(FIXTURES, 'personnel.csv'), people)
    const nfc = path.join(env.dir, 'batch.nfc')
    fs.writeFileSync(nfc, 'x\n')
    for (const p of fs.readdirSync(env.dir).map((n) => path.join(env.dir, n)).concat(env.dir)) fs.chownSync(p, nobody, nobody)
    fs.chmodSync(people, 0o200)
    fs.chmodSync(nfc, 0o200)
    const run = (args: string[]) => spawnSync(process.execPath, [BIN, ...args, '--json'], {
      encoding: 'utf8', uid: nobody, gid: nobody,
      env: {PATH: process.env.PATH ?? '', HOME: env.dir, CUSTODIAN_DB: env.db, CUSTODIAN_OPERATOR: 'admin', CUSTODIAN_KEY_FILE: path.join(env.dir, 'custodian.key')},
    })
    for (const [args, file] of [[['personnel', 'import', people], people], [['timesheets', 'import', people], people], [['payroll', 'verify', nfc], nfc]] as const) {
      const r = run([...args])
      expect(r.status, `${args.join(' ')}: ${r.stdout}${r.stderr}`).toBe(5)
      expect(JSON.parse(r.stdout).error).toMatchObject({code: 'FILE_UNREADABLE', file})
      expect(JSON.parse(r.stdout).error.message).toMatch(/permission denied/)
    }
    const listed = run(['personnel', 'list'])
    expect(listed.status, listed.stderr).toBe(0)
    expect(JSON.parse(listed.stdout).employees).toEqual([])
  })

  it('CSV-MALFORMED names the line where an unclosed quote opens, with CRLF or LF line breaks', () => {
    const env = freshStore()
    addOperator(env, 'tk', 'timekeeper')
    const lines = [PERSONNEL_HEADER, personnelLine({employee_id: 'E2001'}), personnelLine({employee_id: 'E2002', ssn: '123-45-6702'}),
      personnelLine({employee_id: 'E2003', ssn: '123-45-6703', last_name: '"Multi\nline"'.slice(1, -1)}),
      personnelLine({employee_id: 'E2004', ssn: '123-45-6704'}), `E2005,123-45-6705,"Open,Quote`, personnelLine({employee_id: 'E2006', ssn: '123-45-6706'}), 'E2007,x']
    for (const eol of ['\n', '\r\n']) {
      const file = path.join(env.dir, `bad${eol.length}.csv`)
      fs.writeFileSync(file, `${lines.join('\n')}\n`.replaceAll('\n', eol))
      const r = as(env, 'tk', ['personnel', 'import', file, '--as-of', '2026-11-23'])
      expect(r.code).toBe(3)
      expect(r.json.error).toMatchObject({code: 'CSV-MALFORMED', line: 7})
    }
  })
})

describe('races and refusals', () => {
  it('two imports of the same personnel file at once store it once; the other is exit 6', async () => {
    const env = freshStore()
    addOperator(env, 'tk', 'timekeeper')
    const file = path.join(env.dir, 'people.csv')
    fs.writeFileSync(file, `${PERSONNEL_HEADER}\n${Array.from({length: 3000}, (_, i) => personnelLine({employee_id: `K${String(i).padStart(5, '0')}`, ssn: `2${String(i).padStart(2, '0').slice(0, 2)}-${String(10 + (i % 89)).padStart(2, '0')}-${String(1000 + i).padStart(4, '0')}`, email: `k${i}@agency.example.gov`})).join('\n')}\n`)
    const run = () => new Promise<number | null>((resolve) => cliAsync({...env, operator: 'tk'}, ['personnel', 'import', file, '--as-of', '2026-11-23', '--json']).on('exit', (code) => resolve(code)))
    const codes = await Promise.all([run(), run()])
    expect(codes.sort()).toEqual([0, 6])
    expect(query(env.db, "SELECT count(*) AS n FROM import_batches WHERE kind = 'personnel'")[0].n).toBe(1)
  })

  it('a refused command waiting on a busy store is exit 4 and audited; an unknown operator\'s refusal is audited too', async () => {
    const env = freshStore()
    addOperator(env, 'tk', 'timekeeper')
    const holder = new Database(env.db)
    holder.pragma('busy_timeout = 5000')
    holder.exec('BEGIN IMMEDIATE')
    const child = cliAsync({...env, operator: 'tk', env: {CUSTODIAN_BUSY_TIMEOUT_MS: '200'}}, ['retention', 'sweep', '--yes', '--json'])
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)))
    await new Promise((r) => setTimeout(r, 1500))
    holder.exec('COMMIT')
    holder.close()
    expect(await exited).toBe(4)
    expect(cli({...env, operator: 'ghost'}, ['operators', 'list']).code).toBe(4)
    const denied = query(env.db, "SELECT actor, action, digest FROM audit_log WHERE action LIKE 'denied:%' ORDER BY seq")
    expect(denied).toEqual([
      {actor: 'tk', action: 'denied:retention.sweep', digest: null},
      {actor: 'ghost', action: 'denied:operators.list', digest: 'unknown-operator'},
    ])
    expect(as(env, 'admin', ['audit', 'verify']).json.ok).toBe(true)
  })
})

describe('foreign and loose files', () => {
  function foreign(dir: string): string {
    const file = path.join(dir, 'other.sqlite')
    const db = new Database(file)
    db.exec("CREATE TABLE notes (body TEXT); INSERT INTO notes VALUES ('mine')")
    db.close()
    return file
  }

  it('never changes a SQLite file that is not a custodian store: audit verify exit 5, init exit 6', () => {
    const dir = tempDir()
    const file = foreign(dir)
    const bytes = fs.readFileSync(file)
    const verify = cli({db: file}, ['audit', 'verify', '--json'])
    expect(verify.code).toBe(5)
    const init = cli({db: file}, ['init', '--json'])
    expect(init.code).toBe(6)
    expect(init.json.error.code).toBe('FOREIGN_DATABASE')
    expect(fs.readFileSync(file).equals(bytes)).toBe(true)
    expect(fs.readdirSync(dir)).toEqual(['other.sqlite'])
    const text = path.join(dir, 'notes.txt')
    fs.writeFileSync(text, 'not a database at all, just some text that is long enough to look like something\n'.repeat(20))
    expect(cli({db: text}, ['init', '--json']).code).toBe(6)
  })

  it('warns about a store others may read (naming chmod 600) and keeps its -wal and -shm at 0600', () => {
    const env = freshStore()
    fs.chmodSync(env.db, 0o644)
    const holder = new Database(env.db, {readonly: true}) // keeps -wal/-shm from being removed at close
    holder.prepare('SELECT count(*) FROM operators').get()
    const r = cli(env, ['operators', 'list', '--json'])
    expect(r.code).toBe(0)
    expect(r.stderr).toMatch(/mode 0644.*chmod 600/)
    for (const side of ['-wal', '-shm']) expect((fs.statSync(`${env.db}${side}`).mode & 0o777).toString(8), side).toBe('600')
    holder.close()
  })
})

describe('what the individual receives', () => {
  it('the response package shows hours as hours, as the individual reads them', () => {
    const env = accessRequestStore()
    const out = path.join(env.dir, 'pkg')
    expect(as(env, 'po', ['requests', 'fulfill', 'PA-2026-0001', '--out', out]).code).toBe(0)
    const records = JSON.parse(fs.readFileSync(path.join(out, 'records.json'), 'utf8'))
    const [employee] = records.systems.find((s: any) => s.id === 'OPM/GOVT-1').records.employee
    expect(employee).toMatchObject({scheduled_hours: 80, annual_leave_balance: 112.5, sick_leave_balance: 240, comp_time_balance: 0})
    const inserted = employee.history.find((h: any) => h.action === 'import.insert')
    expect(inserted.changes).toContainEqual({field: 'annual_leave_balance', from: null, to: 112.5})
    // employee.csv, read as a spreadsheet would
    const [header, row] = fs.readFileSync(path.join(out, 'employee.csv'), 'utf8').split('\n')
    const cells = Object.fromEntries(header.split(',').map((h, i) => [h, row.split(',')[i]]))
    expect(cells).toMatchObject({scheduled_hours: '80', annual_leave_balance: '112.5', sick_leave_balance: '240'})
  })
})

describe('free text that outlives a disposal', () => {
  it('hold and release reasons are limited, and the certificate says what survives', () => {
    const env = freshStore()
    fixtureCycle(env, 'validated')
    addOperator(env, 'rex', 'records-officer')
    const long = 'x'.repeat(501)
    const r = as(env, 'rex', ['holds', 'place', '--reason', long, '--employee', 'E1001'])
    expect(r.code).toBe(2)
    expect(r.json.error.message).toMatch(/500/)
    expect(query(env.db, 'SELECT count(*) AS n FROM holds')[0].n).toBe(0)
    const hold = as(env, 'rex', ['holds', 'place', '--reason', 'Matter 2026-17', '--employee', 'E1001'])
    expect(as(env, 'rex', ['holds', 'release', String(hold.json.holdId), '--reason', long]).code).toBe(2)
    const sweep = as(env, 'rex', ['retention', 'sweep', '--as-of', '2030-01-01', '--yes'])
    expect(sweep.code).toBe(0)
    const cert = as(env, 'rex', ['retention', 'certificate', sweep.json.disposalId])
    expect(cert.json.certificate.survives).toMatch(/hold and release reasons, the names of imported files/)
  })
})

// A full disk needs a small file system of its own: a tmpfs mounted for these tests (the suite runs as root).
describe('a full disk', () => {
  const mounts: string[] = []
  afterAll(() => {
    for (const m of mounts) spawnSync('umount', [m])
  })
  function smallDisk(megabytes: number): string {
    const dir = tempDir('custodian-full-')
    const r = spawnSync('mount', ['-t', 'tmpfs', '-o', `size=${megabytes}m`, 'tmpfs', dir], {encoding: 'utf8'})
    if (r.status !== 0) throw new Error(`cannot mount a tmpfs for the disk-full tests: ${r.stderr}`)
    mounts.push(dir)
    return dir
  }

  it('during an import: exit 6, DISK_FULL, the store as it was', () => {
    const dir = smallDisk(3)
    const env = {db: path.join(dir, 'store.db'), operator: 'admin', dir}
    expect(cli(env, ['init', '--agency', 'HS', '--admin', 'admin']).code).toBe(0)
    addOperator(env, 'tk', 'timekeeper')
    const digest = storeDigest(env.db)
    const big = path.join(os.tmpdir(), `custodian-big-${process.pid}.csv`)
    fs.writeFileSync(big, `${PERSONNEL_HEADER}\n${Array.from({length: 30_000}, (_, i) => personnelLine({employee_id: `F${String(i).padStart(6, '0')}`, ssn: '', email: `f${i}@agency.example.gov`})).join('\n')}\n`)
    const r = as(env, 'tk', ['personnel', 'import', big, '--as-of', '2026-11-23', '--rejects', path.join(dir, 'rejects.csv')])
    fs.rmSync(big)
    expect(r.code, JSON.stringify(r.json)).toBe(6)
    expect(r.json.error.code).toBe('DISK_FULL')
    expect(r.json.error.message).toMatch(/Free some space/)
    expect(storeDigest(env.db)).toBe(digest)
    expect(temps(dir)).toEqual([])
  })

  it('after a sweep\'s COMMIT: the disposal is reported with its id and compaction pending, and finished once there is room', () => {
    const dir = smallDisk(40)
    const env = {db: path.join(dir, 'store.db'), operator: 'admin', dir}
    expect(cli(env, ['init', '--agency', 'HS', '--admin', 'admin']).code).toBe(0)
    addOperator(env, 'tk', 'timekeeper')
    addOperator(env, 'rex', 'records-officer')
    const people = path.join(os.tmpdir(), `custodian-people-${process.pid}.csv`)
    fs.writeFileSync(people, `${PERSONNEL_HEADER}\n${Array.from({length: 15_000}, (_, i) => personnelLine({employee_id: `F${String(i).padStart(6, '0')}`, ssn: '', email: `f${i}@agency.example.gov`})).join('\n')}\n`)
    expect(as(env, 'tk', ['personnel', 'import', people, '--as-of', '2026-11-23']).code).toBe(0)
    fs.rmSync(people)
    expect(as(env, 'tk', ['personnel', 'import', path.join(FIXTURES, 'personnel.csv'), '--as-of', '2026-11-23']).code).toBe(0)
    expect(as(env, 'tk', ['personnel', 'separate', 'E1009', '--date', '2026-11-20']).code).toBe(0)
    // Leave about 1 MB: enough to commit the destruction, not to rebuild a 16 MB store.
    const free = fs.statfsSync(dir)
    fs.writeFileSync(path.join(dir, 'filler'), Buffer.alloc(Number(free.bavail) * free.bsize - 1_000_000))

    const sweep = as(env, 'rex', ['retention', 'sweep', '--as-of', '2099-01-01', '--yes'])
    expect(sweep.code, JSON.stringify(sweep.json)).toBe(0)
    expect(sweep.json).toMatchObject({disposalId: 'D000000001', compacted: false, destroyed: {employee: 2}})
    expect(sweep.json.warnings).toContainEqual(expect.stringMatching(/D000000001 is committed, but compaction is pending: the disk is full/))
    fs.rmSync(path.join(dir, 'filler'))
    const next = cli({...env, operator: 'rex'}, ['retention', 'disposals', '--json'])
    expect(next.code).toBe(0)
    expect(next.stderr).toContain('finished compacting the store after disposal D000000001')
    expect(filesHolding(dir, ['Castellanos', 'rafael.castellanos'])).toEqual([])
    expect(as(env, 'rex', ['audit', 'verify']).json.ok).toBe(true)
  })
})
