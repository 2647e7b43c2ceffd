import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {afterEach, beforeEach, describe, expect, it} from 'vitest'

import {type Store, createOrMigrateStore, inTransaction} from '../../../src/store/index.js'
import {assertNotStore, isCustodianTemp, prepareOutput, realTarget, recoverOutputs, writeDurable} from '../../../src/store/outputs.js'

let dir: string
let store: Store

beforeEach(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'custodian-outputs-'))
  store = (await createOrMigrateStore(path.join(dir, 'store.db'))).store
})
afterEach(async () => {
  await store.close()
  fs.rmSync(dir, {recursive: true, force: true})
})

const intents = () => store.sqlite.prepare('SELECT target, state FROM file_outputs ORDER BY id').all() as {target: string; state: string}[]
const listing = () => fs.readdirSync(dir).filter((n) => !n.startsWith('store.db')).sort()
/** A process id no process has (beyond Linux's pid_max). */
const DEAD_PID = 4_194_304 + 17

describe('the output protocol', () => {
  it('records the intent before the temp exists, and puts the file in place only after its work commits', async () => {
    const out = await prepareOutput(store, path.join(dir, 'a.csv'), {label: '--out', kind: 'file', replace: false, purpose: 'test'})
    expect(intents()).toEqual([{target: path.join(dir, 'a.csv'), state: 'pending'}])
    expect(isCustodianTemp(path.basename(out.tmp))).toBe(true)
    writeDurable(out.tmp, 'x\n')
    await inTransaction(store, () => out.commitWith())
    expect(intents()[0].state).toBe('committed')
    await out.publish()
    expect(listing()).toEqual(['a.csv'])
    expect(fs.statSync(path.join(dir, 'a.csv')).mode & 0o777).toBe(0o600)
    expect(intents()).toEqual([])
  })

  it('discard removes the temp and forgets the intent', async () => {
    const out = await prepareOutput(store, path.join(dir, 'a.csv'), {label: '--out', kind: 'file', replace: true, purpose: 'test'})
    writeDurable(out.tmp, 'secret\n')
    await out.discard()
    expect(listing()).toEqual([])
    expect(intents()).toEqual([])
  })

  it('never replaces a file when asked not to, even one that appears after the check', async () => {
    const target = path.join(dir, 'a.nfc')
    fs.writeFileSync(target, 'old')
    await expect(prepareOutput(store, target, {label: '--out', kind: 'file', replace: false, purpose: 'test'})).rejects.toThrow(expect.objectContaining({code: 'OUTPUT_EXISTS', exit: 6}))
    fs.rmSync(target)
    const out = await prepareOutput(store, target, {label: '--out', kind: 'file', replace: false, purpose: 'test'})
    writeDurable(out.tmp, 'new')
    fs.writeFileSync(target, 'raced')
    await expect(out.publish()).rejects.toThrow(expect.objectContaining({code: 'OUTPUT_EXISTS'}))
    expect(fs.readFileSync(target, 'utf8')).toBe('raced')
    expect(listing()).toEqual(['a.nfc'])
  })

  it('recovery after a dead process: a pending temp is removed, a committed one put in place', async () => {
    const pending = await prepareOutput(store, path.join(dir, 'p.csv'), {label: '--out', kind: 'file', replace: true, purpose: 'test'})
    writeDurable(pending.tmp, 'never committed')
    const committed = await prepareOutput(store, path.join(dir, 'c.csv'), {label: '--out', kind: 'file', replace: false, purpose: 'test'})
    writeDurable(committed.tmp, 'committed')
    await inTransaction(store, () => committed.commitWith())
    const live = await prepareOutput(store, path.join(dir, 'live.csv'), {label: '--out', kind: 'file', replace: true, purpose: 'test'})
    writeDurable(live.tmp, 'still being written')
    store.sqlite.prepare('UPDATE file_outputs SET pid = ? WHERE target <> ?').run(DEAD_PID, live.target)
    store.sqlite.prepare('UPDATE file_outputs SET pid = ? WHERE target = ?').run(process.ppid, live.target)

    const r = await recoverOutputs(store)
    expect(r).toEqual({finished: [committed.target], removed: [pending.tmp], inProgress: [live.target], failed: []})
    expect(fs.readFileSync(committed.target, 'utf8')).toBe('committed')
    expect(fs.existsSync(pending.tmp)).toBe(false)
    expect(fs.existsSync(live.tmp)).toBe(true)
    expect(intents().map((i) => i.target)).toEqual([live.target])
  })

  it('a folder output is made as a 0700 temp folder and renamed into an absent or empty target', async () => {
    const target = path.join(dir, 'pkg')
    fs.mkdirSync(target)
    const out = await prepareOutput(store, target, {label: '--out', kind: 'dir', replace: true, purpose: 'test'})
    expect(fs.statSync(out.tmp).mode & 0o777).toBe(0o700)
    writeDurable(path.join(out.tmp, 'f.json'), '{}')
    await out.publish()
    expect(fs.readdirSync(target)).toEqual(['f.json'])
    await expect(prepareOutput(store, target, {label: '--out', kind: 'dir', replace: true, purpose: 'test'})).rejects.toThrow(expect.objectContaining({code: 'OUTPUT_EXISTS'}))
  })
})

describe('outputs that are the store', () => {
  it.each(['store.db', 'store.db-wal', 'store.db-shm', 'store.db-journal', 'link', 'hard', 'sub/../store.db'])('%s is OUTPUT_IS_STORE', (name) => {
    fs.mkdirSync(path.join(dir, 'sub'), {recursive: true})
    if (!fs.existsSync(path.join(dir, 'link'))) fs.symlinkSync(path.join(dir, 'store.db'), path.join(dir, 'link'))
    if (!fs.existsSync(path.join(dir, 'hard'))) fs.linkSync(path.join(dir, 'store.db'), path.join(dir, 'hard'))
    expect(() => assertNotStore(store.path, path.join(dir, name), '--out')).toThrow(expect.objectContaining({code: 'OUTPUT_IS_STORE', exit: 2}))
  })

  it('other paths beside it pass', () => {
    for (const name of ['store.db.csv', 'store.db-wal.bak', 'other.db']) expect(() => assertNotStore(store.path, path.join(dir, name), '--out')).not.toThrow()
  })

  it('realTarget follows dangling links', () => {
    fs.symlinkSync(path.join(dir, 'store.db-journal'), path.join(dir, 'j'))
    expect(realTarget(path.join(dir, 'j'))).toBe(path.join(fs.realpathSync(dir), 'store.db-journal'))
  })
})

describe('temp names', () => {
  it.each([
    ['.pp.nfc.custodian-0123456789ab.tmp', true],
    ['.rej.csv.12345.1764950000000.tmp', true],
    ['.PA-2026-0001.tmp-Ab12Cd', true],
    ['pp.nfc', false],
    ['notes.tmp', false],
    ['.bashrc', false],
  ])('%s: %s', (name, ours) => {
    expect(isCustodianTemp(name)).toBe(ours)
  })
})
