import Database from 'better-sqlite3'
import fs from 'node:fs'
import path from 'node:path'
import {gzipSync} from 'node:zlib'
import {describe, expect, it} from 'vitest'

import {readKeyRing} from '../../src/store/keyfile.js'
import {sealBytes, ssnKeysOf} from '../../src/store/ssn-vault.js'
import {addOperator, cli, fixtureCycle, freshStore, onPostgres, storeExec, storeRows} from '../helpers/cli.js'
import {GENERATED_PP, GOLDEN, certifiedGeneratedPeriod, payrollDigest} from '../helpers/generated-period.js'

/**
 * A batch's file kept in chunks (payroll_batch_chunks, migration 0020: each piece gzip-compressed and sealed
 * under the store's key, stored as the file is written). CUSTODIAN_BATCH_CHUNK_BYTES makes the chunks small,
 * so a small pay period makes many of them; CUSTODIAN_EXPORT_PAGE_CARDS makes PostgreSQL's pages of cards small.
 */
const PP = GENERATED_PP
// Small chunks, and on PostgreSQL small pages of cards (each page's postings written before the next is read).
const SMALL = {CUSTODIAN_BATCH_CHUNK_BYTES: '4096', CUSTODIAN_EXPORT_PAGE_CARDS: '7'}

type Env = ReturnType<typeof freshStore>

const chunks = (env: Env) => storeRows<{seq: number; n: number}>(env, 'SELECT seq, length(content) AS n FROM payroll_batch_chunks ORDER BY seq').map((r) => ({seq: Number(r.seq), n: Number(r.n)}))

/** The fixture cycle exported with small chunks: several chunks for the 6 cards' file. */
function exportedFixtures(): {env: Env; out: string; sha256: string} {
  const env = freshStore()
  fixtureCycle(env, 'certified')
  const out = path.join(env.dir, 'pp.nfc')
  const r = cli({...env, operator: 'pay', env: {CUSTODIAN_BATCH_CHUNK_BYTES: '256'}}, ['payroll', 'export', ...PP, '--out', out, '--json'])
  expect(r.code).toBe(0)
  expect(chunks(env).length).toBeGreaterThan(2)
  return {env, out, sha256: r.json.sha256}
}

const pay = (env: Env, args: string[]) => cli({...env, operator: 'pay'}, [...args, '--json'])

/** audit verify's finding about batch B000000001 (exit 3), and a re-export refused (SEAL_BROKEN, no file). */
function expectBroken(env: Env) {
  const v = cli(env, ['audit', 'verify', '--json'])
  expect(v.code).toBe(3)
  expect(v.json.ok).toBe(false)
  expect(v.json.broken).toMatchObject([{kind: 'batch', id: 'B000000001', reason: 'content'}])
  const again = path.join(env.dir, 'again.nfc')
  const r = pay(env, ['payroll', 'reexport', 'B000000001', '--out', again])
  expect(r.code).toBe(3)
  expect(r.json.error).toMatchObject({code: 'SEAL_BROKEN', kind: 'batch', id: 'B000000001'})
  expect(fs.existsSync(again)).toBe(false)
}

describe('payroll batches kept in chunks', () => {
  it('a generated pay period exported in many chunks re-exports byte for byte (and matches the export before it streamed)', () => {
    const env = certifiedGeneratedPeriod()

    const out = path.join(env.dir, 'pp.nfc')
    const r = cli({...env, env: SMALL}, ['payroll', 'export', ...PP, '--out', out, '--json'])
    expect(r.code).toBe(0)
    expect(payrollDigest(out, true)).toBe(GOLDEN.nfc)
    const file = fs.readFileSync(out)
    const kept = chunks(env)
    // Numbered from 0 without a gap; about one per 4 KiB of the file (a chunk closes at an employee's end).
    expect(kept.map((c) => c.seq)).toEqual(kept.map((_, i) => i))
    expect(kept.length).toBeGreaterThan(file.length / 8192)
    expect(kept.length).toBeLessThanOrEqual(Math.ceil(file.length / 4096))
    // Every card's posting written, whichever page it came in: exported, in the batch, its history and its leave history.
    const n = (q: string) => Number(storeRows<{n: number | string}>(env, q)[0].n)
    const cards = n("SELECT count(*) AS n FROM timecards WHERE status = 'exported'")
    expect(cards).toBeGreaterThan(7 * 3)
    expect(n("SELECT count(*) AS n FROM timecards WHERE status = 'certified'")).toBe(0)
    expect(n('SELECT count(*) AS n FROM payroll_batch_cards')).toBe(cards)
    expect(n("SELECT count(*) AS n FROM timecard_history WHERE action = 'export'")).toBe(cards)
    expect(n("SELECT count(*) AS n FROM employee_history WHERE action = 'payroll.leave'")).toBe(cards)
    expect(n('SELECT count(*) AS n FROM payroll_batch_subjects')).toBe(cards)
    // The batch row keeps nothing itself: the file is in the chunks.
    expect(storeRows(env, "SELECT length(content) AS n FROM payroll_batches WHERE batch_id = 'B000000001'").map((x) => Number(x.n))).toEqual([0])

    // Re-exported (with the default chunk size: it only reads): the same bytes; audit verify checks the batch.
    const again = path.join(env.dir, 'again.nfc')
    expect(cli(env, ['payroll', 'reexport', r.json.batchId, '--out', again]).code).toBe(0)
    expect(fs.readFileSync(again).equals(file)).toBe(true)
    expect(fs.statSync(again).mode & 0o777).toBe(0o600)
    const v = cli(env, ['audit', 'verify', '--json'])
    expect(v.code).toBe(0)
    expect(v.json.seals).toContainEqual({kind: 'batch', checked: true, records: 1})
  })

  it('each chunk is sealed under the store\'s key: no clear text of the file (names, SSNs) in the chunks', () => {
    const {env} = exportedFixtures()
    const rows = storeRows<{content: any}>(env, 'SELECT content FROM payroll_batch_chunks ORDER BY seq')
    for (const {content} of rows) {
      const bytes = Buffer.isBuffer(content) ? content : Buffer.from(content.data)
      expect(bytes.subarray(0, 4).equals(Buffer.from([0x00, 0x63, 0x73, 0x31]))).toBe(true)
      expect(bytes.toString('latin1')).not.toMatch(/CASTELLANOS/)
    }
  })

  it('a chunk replaced by another (valid, sealed) chunk is a broken seal', () => {
    const {env} = exportedFixtures()
    storeExec(env, 'UPDATE payroll_batch_chunks SET content = (SELECT c.content FROM payroll_batch_chunks c WHERE c.seq = 0) WHERE seq = 1')
    expectBroken(env)
  })

  it('a changed byte of a chunk\'s ciphertext is a broken seal', () => {
    const {env} = exportedFixtures()
    if (onPostgres) storeExec(env, 'UPDATE payroll_batch_chunks SET content = set_byte(content, 40, get_byte(content, 40) # 1) WHERE seq = 1')
    else {
      const db = new Database(env.db)
      const row = db.prepare('SELECT content FROM payroll_batch_chunks WHERE seq = 1').get() as {content: Buffer}
      row.content[40] ^= 1
      db.prepare('UPDATE payroll_batch_chunks SET content = ? WHERE seq = 1').run(row.content)
      db.close()
    }
    expectBroken(env)
  })

  it('a chunk removed, or two chunks swapped, is a broken seal', () => {
    const {env} = exportedFixtures()
    storeExec(env, 'DELETE FROM payroll_batch_chunks WHERE seq = (SELECT max(seq) FROM payroll_batch_chunks)')
    expectBroken(env)
    const second = exportedFixtures().env
    storeExec(second, 'UPDATE payroll_batch_chunks SET seq = 1000 WHERE seq = 0; UPDATE payroll_batch_chunks SET seq = 0 WHERE seq = 1; UPDATE payroll_batch_chunks SET seq = 1 WHERE seq = 1000')
    expectBroken(second)
  })

  it('a batch kept whole in payroll_batches.content (made before migration 0020) still re-exports byte for byte and verifies', () => {
    const {env, out, sha256} = exportedFixtures()
    // The batch as the export before chunks kept it: the whole file, gzip members, sealed under the key, in one column.
    const keys = ssnKeysOf(readKeyRing(path.join(env.dir, 'custodian.key'), 'the test'))
    const hex = sealBytes(keys, gzipSync(fs.readFileSync(out))).toString('hex')
    storeExec(env, `UPDATE payroll_batches SET content = ${onPostgres ? `decode('${hex}', 'hex')` : `x'${hex}'`} WHERE batch_id = 'B000000001'; DELETE FROM payroll_batch_chunks`)
    const again = path.join(env.dir, 'again.nfc')
    const r = pay(env, ['payroll', 'reexport', 'B000000001', '--out', again])
    expect(r.code).toBe(0)
    expect(r.json.sha256).toBe(sha256)
    expect(fs.readFileSync(again).equals(fs.readFileSync(out))).toBe(true)
    expect(cli(env, ['audit', 'verify', '--json']).code).toBe(0)
  })

  it('the retention sweep destroys the batch\'s chunks with it', () => {
    const {env} = exportedFixtures()
    addOperator(env, 'rec', 'records-officer')
    const sweep = cli({...env, operator: 'rec'}, ['retention', 'sweep', '--as-of', '2099-01-01', '--yes', '--json'])
    expect(sweep.code).toBe(0)
    expect(storeRows(env, 'SELECT count(*) AS n FROM payroll_batches').map((x) => Number(x.n))).toEqual([0])
    expect(chunks(env)).toEqual([])
  })
})
