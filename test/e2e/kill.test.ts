import Database from 'better-sqlite3'
import {createHash} from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import {describe, expect, it} from 'vitest'

import {FIXTURES, PERSONNEL_HEADER, cli, cliAsync, freshStore, personnelLine} from '../helpers/cli.js'

/** A digest of everything an import could touch. */
function storeDigest(db: string): string {
  const conn = new Database(db, {readonly: true})
  const tables = ['employees', 'employee_history', 'import_batches', 'audit_log', 'settings', 'operators']
  const h = createHash('sha256')
  for (const t of tables) h.update(JSON.stringify(conn.prepare(`SELECT * FROM ${t} ORDER BY rowid`).all()))
  conn.close()
  return h.digest('hex')
}

/** storeDigest plus the timecard tables. */
function timecardDigest(db: string): string {
  const conn = new Database(db, {readonly: true})
  const h = createHash('sha256').update(storeDigest(db))
  h.update(JSON.stringify(conn.prepare('SELECT * FROM timecards ORDER BY id').all()))
  h.update(JSON.stringify(conn.prepare('SELECT * FROM timecard_lines ORDER BY timecard_id, work_date, hour_type, accounting_code').all()))
  h.update(JSON.stringify(conn.prepare('SELECT * FROM timecard_history ORDER BY id').all()))
  conn.close()
  return h.digest('hex')
}

function writeBigFile(file: string, rows: number): void {
  const fd = fs.openSync(file, 'w')
  fs.writeSync(fd, `${PERSONNEL_HEADER}\n`)
  let chunk = ''
  for (let i = 1; i <= rows; i++) {
    const n = String(i).padStart(7, '0')
    chunk += `${personnelLine({employee_id: `K${n}`, ssn: `2${n.slice(0, 2)}-${n.slice(2, 4)}-${String(1000 + (i % 9000)).padStart(4, '0')}`.replace(/-00-/, '-11-'), email: `k${n}@agency.example.gov`})}\n`
    if (i % 10_000 === 0) {
      fs.writeSync(fd, chunk)
      chunk = ''
    }
  }
  fs.writeSync(fd, chunk)
  fs.closeSync(fd)
}

describe('an import killed mid-way', () => {
  it('leaves the store exactly as it was, and a re-import succeeds', async () => {
    const env = freshStore()
    expect(cli(env, ['personnel', 'import', path.join(FIXTURES, 'personnel.csv'), '--json', '--as-of', '2026-11-23']).code).toBe(0)
    const before = storeDigest(env.db)
    const big = path.join(env.dir, 'big.csv')
    writeBigFile(big, 200_000)

    const child = cliAsync(env, ['personnel', 'import', big, '--json', '--as-of', '2026-11-23'])
    const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_code, signal) => resolve(signal)))
    // Kill it once it has written a good part of its transaction to the WAL.
    const wal = `${env.db}-wal`
    const started = Date.now()
    while (Date.now() - started < 60_000) {
      if (fs.existsSync(wal) && fs.statSync(wal).size > 4_000_000) break
      await new Promise((r) => setTimeout(r, 10))
    }
    expect(fs.statSync(wal).size).toBeGreaterThan(4_000_000)
    child.kill('SIGKILL')
    expect(await exited).toBe('SIGKILL')

    expect(storeDigest(env.db)).toBe(before)
    expect(cli(env, ['audit', 'verify', '--json']).json.ok).toBe(true)
    const again = cli(env, ['personnel', 'import', big, '--json', '--as-of', '2026-11-23'])
    expect(again.code).toBe(0)
    expect(again.json).toMatchObject({rowsRead: 200_000, inserted: 200_000, rejected: 0})
  }, 180_000)
})

describe('a timesheet import (worker thread and main thread) killed mid-way', () => {
  it('leaves the store exactly as it was, and a re-import succeeds', async () => {
    const env = freshStore()
    const people = path.join(env.dir, 'people.csv')
    const employees = 2000
    fs.writeFileSync(people, `${PERSONNEL_HEADER}\n${Array.from({length: employees}, (_, i) => {
      const n = String(i).padStart(4, '0')
      return personnelLine({employee_id: `T${n}`, ssn: `3${n.slice(0, 2)}-4${n.slice(2, 3)}-${String(1000 + i)}`, email: `t${n}@agency.example.gov`})
    }).join('\n')}\n`)
    expect(cli(env, ['personnel', 'import', people, '--json', '--as-of', '2026-11-23']).code).toBe(0)
    // A first period already in the store, then a file of 400,000 lines of the next two.
    const first = path.join(env.dir, 'first.csv')
    fs.writeFileSync(first, `employee_id,work_date,hour_type,hours,accounting_code\nT0001,2026-11-02,REG,8,HS-A\n`)
    expect(cli(env, ['timesheets', 'import', first, '--json']).code).toBe(0)
    const before = timecardDigest(env.db)
    const big = path.join(env.dir, 'big.csv')
    const fd = fs.openSync(big, 'w')
    fs.writeSync(fd, 'employee_id,work_date,hour_type,hours,accounting_code\n')
    for (const period of ['2026-11-15', '2026-11-29']) {
      for (let e = 0; e < employees; e++) {
        let chunk = ''
        for (let d = 1; d <= 10; d++) {
          const date = new Date(Date.parse(`${period}T00:00:00Z`) + d * 86_400_000).toISOString().slice(0, 10)
          for (let a = 0; a < 10; a++) chunk += `T${String(e).padStart(4, '0')},${date},REG,0.25,ACC-${a}\n`
        }
        fs.writeSync(fd, chunk)
      }
    }
    fs.closeSync(fd)

    const child = cliAsync(env, ['timesheets', 'import', big, '--json'])
    const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_code, signal) => resolve(signal)))
    const wal = `${env.db}-wal`
    const started = Date.now()
    while (Date.now() - started < 60_000) {
      if (fs.existsSync(wal) && fs.statSync(wal).size > 4_000_000) break
      await new Promise((r) => setTimeout(r, 5))
    }
    expect(fs.statSync(wal).size).toBeGreaterThan(4_000_000)
    child.kill('SIGKILL')
    expect(await exited).toBe('SIGKILL')

    expect(timecardDigest(env.db)).toBe(before)
    expect(cli(env, ['audit', 'verify', '--json']).json.ok).toBe(true)
    const again = cli(env, ['timesheets', 'import', big, '--json'])
    expect(again.code).toBe(0)
    expect(again.json).toMatchObject({rowsRead: 400_000, inserted: 400_000, rejected: 0})
  }, 180_000)
})
