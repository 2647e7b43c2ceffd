import path from 'node:path'
import fs from 'node:fs'
import {describe, expect, it} from 'vitest'

import {FIXTURES, PERSONNEL_HEADER, cli, cliAsync, freshStore, personnelLine} from '../helpers/cli.js'

describe('two processes on one store', () => {
  it('a second import waits for the first (busy timeout) and both finish correctly', async () => {
    const env = freshStore()
    const big = path.join(env.dir, 'big.csv')
    const lines = [PERSONNEL_HEADER]
    for (let i = 1; i <= 60_000; i++) lines.push(personnelLine({employee_id: `C${String(i).padStart(6, '0')}`, ssn: '', email: ''}))
    fs.writeFileSync(big, `${lines.join('\n')}\n`)
    const first = cliAsync(env, ['personnel', 'import', big, '--json', '--as-of', '2026-11-23'])
    let out = ''
    first.stdout!.on('data', (d) => (out += d))
    const firstDone = new Promise<number | null>((resolve) => first.on('exit', (code) => resolve(code)))
    // Start the second once the first holds its write transaction.
    const wal = `${env.db}-wal`
    const t0 = Date.now()
    while (!(fs.existsSync(wal) && fs.statSync(wal).size > 100_000) && Date.now() - t0 < 30_000) await new Promise((r) => setTimeout(r, 10))
    const second = cli(env, ['personnel', 'import', path.join(FIXTURES, 'personnel.csv'), '--json', '--as-of', '2026-11-23'])
    expect(second.code).toBe(0)
    expect(second.json.inserted).toBe(7)
    expect(await firstDone).toBe(0)
    expect(JSON.parse(out).inserted).toBe(60_000)
    expect(cli(env, ['personnel', 'list', '--json', '--as-of', '2026-11-23']).json.employees).toHaveLength(60_007)
    expect(cli(env, ['audit', 'verify', '--json']).json.ok).toBe(true)
  }, 120_000)
})
