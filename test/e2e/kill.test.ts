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
