import {createHash, createHmac} from 'node:crypto'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {beforeEach, describe, expect, it} from 'vitest'

import {FIXTURES, addOperator, cli, fixtureCycle, freshStore, onPostgres, storeExec, storeRows} from '../helpers/cli.js'

type Store = ReturnType<typeof freshStore>

/**
 * The audit trail's defences beyond the plain chain (README, "Audit trail: what each defence stops"): the keyed
 * chain, checkpoints kept outside the store, start and gap checks, sealed certificates and batches, and
 * operators bound to an OS account. Tampering is done behind custodian's back: the file's owner on SQLite, the
 * server's superuser (triggers off) on PostgreSQL.
 */

/** The store's key as the tests' commands read it: custodian.key beside the store (test/helpers/cli.ts ownKeyFile). */
const readKey = (env: {dir: string}) => Buffer.from(fs.readFileSync(path.join(env.dir, 'custodian.key'), 'utf8').trim(), 'base64')

const q = (v: string | null) => (v === null ? 'NULL' : `'${v.replaceAll("'", "''")}'`)

interface Row {seq: number; at: string; actor: string; action: string; record_type: string | null; record_id: string | null; digest: string | null; prev_hash: string; hash: string; os_user: string | null; mac: string | null}

const rows = (env: Store): Row[] => storeRows<Row>(env, 'SELECT * FROM audit_log ORDER BY seq').map((r) => ({...r, seq: Number(r.seq)}))

/**
 * What someone with write access to the store does to hide an edit: recomputes every hash (plain SHA-256 over
 * the row, as the code does) and the head. `mac`: 'keep' leaves the MACs as they were, 'strip' empties them,
 * a key recomputes them (someone who also has the key).
 */
function rewriteChain(env: Store, edit: (r: Row[]) => Row[], mac: 'keep' | 'strip' | Buffer): void {
  const next = edit(rows(env))
  let prev = '0'.repeat(64)
  const statements = ['DELETE FROM audit_log']
  for (const r of next) {
    const fields: unknown[] = [r.seq, r.at, r.actor, r.action, r.record_type, r.record_id, r.digest, prev]
    if (r.os_user !== null) fields.push(r.os_user)
    const hash = createHash('sha256').update(JSON.stringify(fields)).digest('hex')
    const m = mac === 'keep' ? r.mac : mac === 'strip' ? null : createHmac('sha256', mac).update(`audit\u0000${hash}`).digest('hex')
    statements.push(`INSERT INTO audit_log (seq, at, actor, action, record_type, record_id, digest, prev_hash, hash, os_user, mac) VALUES (${r.seq}, ${q(r.at)}, ${q(r.actor)}, ${q(r.action)}, ${q(r.record_type)}, ${q(r.record_id)}, ${q(r.digest)}, '${prev}', '${hash}', ${q(r.os_user)}, ${q(m)})`)
    prev = hash
  }
  statements.push(`UPDATE settings SET value = '${JSON.stringify({seq: next.at(-1)?.seq ?? 0, hash: prev})}' WHERE key = 'audit.head'`)
  storeExec(env, statements.join(';\n'))
}

describe('audit checkpoints, the keyed chain and the chain\'s start', () => {
  let env: Store
  let cpFile: string
  const aud = (args: string[], extra: Record<string, string> = {}) => cli({...env, operator: 'aud', env: extra}, [...args, '--json'])
  const verify = (args: string[] = [], extra: Record<string, string> = {}) => aud(['audit', 'verify', ...args], extra)

  beforeEach(() => {
    env = freshStore()
    addOperator(env, 'tk', 'timekeeper')
    addOperator(env, 'aud', 'auditor')
    expect(cli({...env, operator: 'tk'}, ['personnel', 'import', path.join(FIXTURES, 'personnel.csv'), '--as-of', '2026-11-23', '--json']).code).toBe(0)
    cpFile = path.join(env.dir, 'checkpoint.json')
    const cp = aud(['audit', 'checkpoint', '--out', cpFile])
    expect(cp.code).toBe(0)
    expect(cp.json).toEqual({seq: expect.any(Number), head: expect.stringMatching(/^[0-9a-f]{64}$/), at: expect.any(String), entries: cp.json.seq})
    // The file holds the same document, readable by its owner only.
    expect(JSON.parse(fs.readFileSync(cpFile, 'utf8'))).toEqual(cp.json)
    expect(fs.statSync(cpFile).mode & 0o777).toBe(0o600)
    // More work after the checkpoint.
    cli({...env, operator: 'tk'}, ['personnel', 'show', 'E1001', '--json'])
    const ok = verify(['--checkpoint', cpFile])
    expect(ok.code).toBe(0)
    expect(ok.json).toMatchObject({ok: true, firstBadSeq: null, broken: [], mac: {checked: true, unkeyed: 0}, checkpoint: {...cp.json, held: true}})
    expect(ok.json.mac.keyed).toBe(ok.json.entries)
  })

  it('a checkpoint catches a truncated chain whose head was fixed up to match', () => {
    const {seq} = JSON.parse(fs.readFileSync(cpFile, 'utf8'))
    rewriteChain(env, (r) => r.filter((e) => e.seq < seq), 'keep')
    // What is left is a good chain: only the checkpoint kept outside the store knows entries are gone.
    expect(verify().json).toMatchObject({ok: true})
    const r = verify(['--checkpoint', cpFile])
    expect(r.code).toBe(3)
    expect(r.json).toMatchObject({ok: false, firstBadSeq: seq, checkpoint: {seq, held: false}, broken: [{kind: 'checkpoint', seq}]})
    expect(r.json.broken[0].message).toMatch(/no longer holds entry/)
  })

  it('a checkpoint catches a chain recomputed after an edit, even by someone who has the key', () => {
    rewriteChain(env, (r) => r.map((e) => (e.seq === 2 ? {...e, actor: 'mallory'} : e)), readKey(env))
    expect(verify().json).toMatchObject({ok: true})
    const r = verify(['--checkpoint', cpFile])
    expect(r.code).toBe(3)
    expect(r.json).toMatchObject({ok: false, checkpoint: {held: false}, broken: [{kind: 'checkpoint', message: expect.stringMatching(/no longer has the hash/)}]})
  })

  it('an emptied audit table is not ok, with or without a checkpoint', () => {
    storeExec(env, "DELETE FROM audit_log; DELETE FROM settings WHERE key = 'audit.head'")
    const r = verify()
    expect(r.code).toBe(3)
    expect(r.json).toMatchObject({entries: 0, ok: false, firstBadSeq: 1, checkpoint: null, broken: [{kind: 'empty'}]})
    const withCp = verify(['--checkpoint', cpFile])
    expect(withCp.json).toMatchObject({ok: false, checkpoint: {held: false}})
    expect(withCp.json.broken.map((b: any) => b.kind)).toEqual(['empty', 'checkpoint'])
  })

  it('a chain that no longer starts at store.init, or skips a seq, is not ok even with its hashes recomputed', () => {
    rewriteChain(env, (r) => r.map((e) => (e.seq >= 4 ? {...e, seq: e.seq + 1} : e)), readKey(env))
    expect(verify().json).toMatchObject({ok: false, firstBadSeq: 5, broken: [{kind: 'gap', seq: 5, expectedSeq: 4}]})
    rewriteChain(env, (r) => r.filter((e) => e.seq !== 1), readKey(env))
    expect(verify().json).toMatchObject({ok: false, firstBadSeq: 1, broken: [{kind: 'start', seq: 2}]})
  })

  it('a keyed chain recomputed without the key fails, with its MACs kept or stripped; a forged entry appended without the key too', () => {
    const entries = verify().json.entries
    rewriteChain(env, (r) => r.map((e) => (e.seq === 3 ? {...e, actor: 'mallory'} : e)), 'keep')
    const kept = verify()
    expect(kept.code).toBe(3)
    // Entry 3's content changed, so its hash and every later one's: their MACs no longer match.
    expect(kept.json).toMatchObject({ok: false, firstBadSeq: 3, mac: {checked: true}})
    expect(kept.json.broken.filter((b: any) => b.kind === 'mac').map((b: any) => b.seq)).toEqual(Array.from({length: entries - 2}, (_, i) => i + 3))
    // Without the key only the chain can be checked, and it holds: verify says the MACs were not checked.
    const keyless = verify([], {CUSTODIAN_KEY_FILE: path.join(env.dir, 'no.key')})
    expect(keyless.json).toMatchObject({ok: true, mac: {checked: false}})

    rewriteChain(env, (r) => r.map((e) => (e.seq >= 3 ? {...e, mac: null} : e)), 'strip')
    expect(verify().json).toMatchObject({ok: false, broken: [{kind: 'unkeyed', fromSeq: 1, toSeq: entries}]})

    // Restored (with the key), then a forged operators.add appended as the code would, without the key.
    rewriteChain(env, (r) => r.map((e) => (e.seq === 3 ? {...e, actor: e.actor} : e)), readKey(env))
    rewriteChain(env, (r) => r.map((e) => (e.seq === 3 ? {...e, actor: 'mallory'} : e)), readKey(env))
    expect(verify().json.ok).toBe(true) // the key's holder can rewrite anything: the checkpoint is the defence there
    rewriteChain(env, (r) => [...r, {...r.at(-1)!, seq: entries + 1, actor: 'admin', action: 'operators.add', record_type: 'operator', record_id: 'mallory', digest: 'role=admin;org=*', mac: null}], 'keep')
    expect(verify().json).toMatchObject({ok: false, firstBadSeq: entries + 1, broken: [{kind: 'unkeyed', fromSeq: entries + 1, toSeq: entries + 1}]})
  })

  it('a command run without the key still works and audits; verify with the key names its entry', () => {
    const before = verify().json.entries
    const r = cli({...env, operator: 'tk', env: {CUSTODIAN_KEY_FILE: path.join(env.dir, 'missing.key')}}, ['personnel', 'show', 'E1001', '--json'])
    expect(r.code).toBe(0)
    const after = verify()
    expect(after.json).toMatchObject({entries: before + 1, ok: false, broken: [{kind: 'unkeyed', fromSeq: before + 1, toSeq: before + 1}]})
  })

  it('checkpoint: a bad checkpoint file is exit 2, a missing one exit 5; a broken chain gets no checkpoint; never onto the store', () => {
    fs.writeFileSync(path.join(env.dir, 'bad.json'), '{"seq": "x"}')
    expect(verify(['--checkpoint', path.join(env.dir, 'bad.json')]).code).toBe(2)
    expect(verify(['--checkpoint', path.join(env.dir, 'none.json')]).code).toBe(5)
    expect(cli({...env, operator: 'tk'}, ['audit', 'checkpoint', '--json']).code).toBe(4)
    if (!onPostgres) {
      const onStore = aud(['audit', 'checkpoint', '--out', env.db])
      expect(onStore.code).toBe(2)
      expect(onStore.json.error.code).toBe('OUTPUT_IS_STORE')
    }
    storeExec(env, "UPDATE audit_log SET actor = 'mallory' WHERE seq = 2")
    const broken = aud(['audit', 'checkpoint', '--out', path.join(env.dir, 'cp2.json')])
    expect(broken.code).toBe(3)
    expect(broken.json.error.code).toBe('AUDIT_CHAIN_BROKEN')
    expect(fs.existsSync(path.join(env.dir, 'cp2.json'))).toBe(false)
  })

  it('each entry records the OS account that ran the command on SQLite (on PostgreSQL the login is the identity)', () => {
    const accounts = new Set(rows(env).map((r) => r.os_user))
    expect([...accounts]).toEqual([onPostgres ? null : os.userInfo().username])
  })
})

describe('sealed records', () => {
  it('an edited disposal certificate is refused when shown (exit 3, SEAL_BROKEN) and reported by audit verify', () => {
    const env = freshStore()
    addOperator(env, 'aud', 'auditor')
    addOperator(env, 'tk', 'timekeeper')
    expect(cli({...env, operator: 'tk'}, ['personnel', 'import', path.join(FIXTURES, 'personnel.csv'), '--as-of', '2026-11-23', '--json']).code).toBe(0)
    const sweep = cli(env, ['retention', 'sweep', '--as-of', '2060-01-01', '--yes', '--json'])
    expect(sweep.code).toBe(0)
    const id = sweep.json.disposalId ?? 'D000000001'
    const show = () => cli({...env, operator: 'aud'}, ['retention', 'certificate', id, '--json'])
    expect(show().code).toBe(0)
    const verify = () => cli({...env, operator: 'aud'}, ['audit', 'verify', '--json'])
    expect(verify().json.ok).toBe(true)

    // "destroyed": 5 becomes 15, the stored sha256 left as it was.
    storeExec(env, `UPDATE disposals SET certificate = replace(certificate, '"totals":{"destroyed":', '"totals":{"destroyed":1') WHERE disposal_id = '${id}'`)
    const edited = show()
    expect(edited.code).toBe(3)
    expect(edited.json.error).toMatchObject({code: 'SEAL_BROKEN', kind: 'certificate', id, reason: 'content'})
    expect(verify().json).toMatchObject({ok: false, firstBadSeq: null, broken: [{kind: 'certificate', id, reason: 'content'}]})

    // The stored sha256 recomputed too: the audit entry of the sweep still names the sealed digest.
    const [{certificate}] = storeRows<{certificate: string}>(env, 'SELECT certificate FROM disposals WHERE disposal_id = ?', id)
    storeExec(env, `UPDATE disposals SET sha256 = '${createHash('sha256').update(certificate).digest('hex')}' WHERE disposal_id = '${id}'`)
    expect(show().json.error).toMatchObject({code: 'SEAL_BROKEN', reason: 'audit'})
    const r = verify()
    expect(r.code).toBe(3)
    expect(r.json).toMatchObject({ok: false, broken: [{kind: 'certificate', id, reason: 'audit'}]})
  })

  it('a payroll batch changed since its export is not re-exported (SEAL_BROKEN) and is reported by audit verify', () => {
    const env = freshStore()
    fixtureCycle(env, 'exported')
    const again = (name: string) => cli({...env, operator: 'pay'}, ['payroll', 'reexport', 'B000000001', '--out', path.join(env.dir, name), '--json'])
    expect(again('a.nfc').code).toBe(0)
    storeExec(env, `UPDATE payroll_batches SET sha256 = '${'ab'.repeat(32)}' WHERE batch_id = 'B000000001'`)
    const r = again('b.nfc')
    expect(r.code).toBe(3)
    expect(r.json.error).toMatchObject({code: 'SEAL_BROKEN', kind: 'batch', id: 'B000000001'})
    expect(fs.existsSync(path.join(env.dir, 'b.nfc'))).toBe(false)
    const v = cli(env, ['audit', 'verify', '--json'])
    expect(v.code).toBe(3)
    expect(v.json).toMatchObject({ok: false, broken: [{kind: 'batch', id: 'B000000001', reason: 'content'}]})
  })
})

describe('operators bound to an OS account', () => {
  it('claiming a bound operator from another OS account is exit 4 OPERATOR_MISMATCH; its own account may; list shows the binding', () => {
    const env = freshStore()
    const me = os.userInfo().username
    addOperator(env, 'rex', 'auditor', ['--os-user', `not-${me}`])
    addOperator(env, 'ava', 'auditor', ['--os-user', me])
    const refused = cli({...env, operator: 'rex'}, ['audit', 'verify', '--json'])
    expect(refused.code).toBe(4)
    expect(refused.json.error.code).toBe('OPERATOR_MISMATCH')
    expect(cli({...env, operator: 'ava'}, ['audit', 'verify', '--json']).code).toBe(0)
    const list = cli({...env, operator: 'ava'}, ['operators', 'list', '--json']).json.operators
    expect(list.find((o: any) => o.name === 'rex').osUser).toBe(`not-${me}`)
    expect(list.find((o: any) => o.name === 'admin').osUser).toBeNull()
    // The refusal is in the trail.
    const denied = cli({...env, operator: 'ava'}, ['audit', 'log', '--actor', 'rex', '--json']).json.entries
    expect(denied).toMatchObject([{action: 'denied:audit.verify', digest: 'operator-mismatch'}])
    expect(cli(env, ['operators', 'add', 'bad', '--role', 'auditor', '--os-user', ' ', '--json']).code).toBe(2)
  })
})
