import fs from 'node:fs'
import path from 'node:path'
import {beforeEach, describe, expect, it} from 'vitest'

import {FIXTURES, addOperator, cli, freshStore, onPostgres, storeExec, storeRows} from '../helpers/cli.js'

type Store = ReturnType<typeof freshStore>

/** Changes the store behind custodian's back: the file's owner on SQLite, the server's superuser on PostgreSQL. */
const tamper = storeExec

describe('audit chain', () => {
  let env: Store
  let entries: number
  beforeEach(() => {
    env = freshStore()
    addOperator(env, 'tk', 'timekeeper')
    addOperator(env, 'aud', 'auditor')
    cli({...env, operator: 'tk'}, ['personnel', 'import', path.join(FIXTURES, 'personnel.csv'), '--json', '--as-of', '2026-11-23'])
    cli({...env, operator: 'tk'}, ['personnel', 'show', 'E1001', '--json'])
    const ok = cli({...env, operator: 'aud'}, ['audit', 'verify', '--json'])
    expect(ok.code).toBe(0)
    expect(ok.json).toMatchObject({ok: true, firstBadSeq: null})
    entries = ok.json.entries
    expect(entries).toBeGreaterThanOrEqual(6)
  })

  const verify = () => cli({...env, operator: 'aud'}, ['audit', 'verify', '--json'])

  it('records who did what, filterable by actor and action', () => {
    const log = cli({...env, operator: 'aud'}, ['audit', 'log', '--actor', 'tk', '--json']).json.entries
    expect(log.map((e: any) => e.action)).toEqual(['personnel.import', 'personnel.show'])
    expect(log[0]).toMatchObject({recordType: 'import_batch', recordId: '1', digest: expect.stringMatching(/^[0-9a-f]{64}$/)})
    const byAction = cli({...env, operator: 'aud'}, ['audit', 'log', '--action', 'operators', '--json']).json.entries
    expect(byAction.map((e: any) => e.action)).toEqual(['operators.add', 'operators.add', 'operators.add'])
  })

  it('holds no personal data', () => {
    // Hashes are random hex and may contain any 4 digits by chance: scan everything else.
    const dump = JSON.stringify(storeRows(env, 'SELECT * FROM audit_log')).replaceAll(/"[0-9a-f]{64}"/g, '"<hash>"')
    for (const s of ['Okafor', 'Adaeze', '123456781', '6781', 'agency.example.gov', 'E1001']) expect(dump).not.toContain(s)
  })

  it('detects an altered entry and names its seq (exit 3)', () => {
    tamper(env, "UPDATE audit_log SET actor = 'mallory' WHERE seq = 3")
    const r = verify()
    expect(r.code).toBe(3)
    // The result document, not an error wrapper (as payroll verify), naming what failed.
    expect(r.json).toMatchObject({ok: false, firstBadSeq: 3, entries, checkpoint: null, broken: [{kind: 'entry', seq: 3}]})
    expect(r.json.error).toBeUndefined()
    const human = cli({...env, operator: 'aud'}, ['audit', 'verify'])
    expect(human.code).toBe(3)
    expect(human.stdout).toMatch(/FAILED[\s\S]*entry 3 was altered/)
  })

  it('detects a removed entry at the entry that follows it', () => {
    tamper(env, 'DELETE FROM audit_log WHERE seq = 4')
    expect(verify().json).toMatchObject({ok: false, firstBadSeq: 5, entries: entries - 1, broken: [{kind: 'gap', seq: 5, expectedSeq: 4}]})
  })

  it('detects a removed last entry', () => {
    tamper(env, `DELETE FROM audit_log WHERE seq = ${entries}`)
    expect(verify().json).toMatchObject({ok: false, firstBadSeq: entries, broken: [{kind: 'head'}]})
  })

  it('detects reordered entries', () => {
    tamper(env, 'UPDATE audit_log SET seq = -1 WHERE seq = 2; UPDATE audit_log SET seq = 2 WHERE seq = 3; UPDATE audit_log SET seq = 3 WHERE seq = -1')
    expect(verify().json).toMatchObject({ok: false, firstBadSeq: 2})
  })

  it('detects an entry rewritten with a recomputed own hash by the broken link after it', () => {
    const [row] = storeRows(env, 'SELECT * FROM audit_log WHERE seq = 2')
    const {createHash} = require('node:crypto') as typeof import('node:crypto')
    // As the code hashes: the OS account is a ninth field when the entry records one (SQLite).
    const content = JSON.stringify([row.seq, row.at, 'mallory', row.action, row.record_type, row.record_id, row.digest, row.prev_hash, ...(row.os_user === null ? [] : [row.os_user])])
    tamper(env, `UPDATE audit_log SET actor = 'mallory', hash = '${createHash('sha256').update(content).digest('hex')}' WHERE seq = 2`)
    // Its MAC (an HMAC of its hash under the store's key) no longer matches, and the next entry's link breaks.
    expect(verify().json).toMatchObject({ok: false, firstBadSeq: 2, broken: [{kind: 'mac', seq: 2}, {kind: 'link', seq: 3}]})
    if (!onPostgres) expect(fs.existsSync(env.db)).toBe(true)
  })
})
