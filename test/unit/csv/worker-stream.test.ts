import {spawnSync} from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import {pathToFileURL} from 'node:url'
import {describe, expect, it} from 'vitest'

import {CustodianError} from '../../../src/errors.js'
import {StartedWorker, WINDOW, builtWorkerFile, workerStream} from '../../../src/csv/worker-stream.js'

// The fixture worker imports the built dist/ code: `npm run build` first.
const WORKER = pathToFileURL(path.join(import.meta.dirname, 'workers', 'modes.mjs'))

async function collect(data: Record<string, unknown>): Promise<{values: {i: number}[]; error?: CustodianError}> {
  const values: {i: number}[] = []
  try {
    for await (const v of workerStream<{i: number}, unknown>(WORKER, data)) values.push(v)
    return {values}
  } catch (error) {
    expect(error).toBeInstanceOf(CustodianError)
    return {values, error: error as CustodianError}
  }
}

describe('workerStream', () => {
  it('delivers every message in order, the worker never more than WINDOW messages ahead of the consumer', async () => {
    const progress = new SharedArrayBuffer(4)
    const sent = new Int32Array(progress)
    let received = 0
    let maxAhead = 0
    for await (const v of workerStream<{i: number}, unknown>(WORKER, {mode: 'ok', count: 60, progress})) {
      expect(v.i).toBe(received)
      received++
      await new Promise((r) => setTimeout(r, 2)) // a slow consumer
      maxAhead = Math.max(maxAhead, Atomics.load(sent, 0) - received)
    }
    expect(received).toBe(60)
    expect(maxAhead).toBeLessThanOrEqual(WINDOW - 1)
    expect(maxAhead).toBeGreaterThan(0) // it did work ahead
  })

  it('rethrows a CustodianError of the worker as it was (code, exit, details)', async () => {
    const {values, error} = await collect({mode: 'custodian', count: 10})
    expect(values).toHaveLength(3)
    expect(error).toMatchObject({code: 'CSV-MALFORMED', exit: 3, details: {line: 5}, message: 'The CSV is malformed at line 5.'})
  })

  it.each([
    ['an exception', 'crash', /worker thread failed: cannot read properties of undefined/],
    ['an exit without finishing', 'exit', /worker thread failed: it stopped \(exit code 7\)/],
    ['an uncaught exception after its work', 'uncaught', /worker thread failed: late failure/],
  ])('turns %s into WORKER_FAILED (exit 1), not a hang', async (_name, mode, message) => {
    const {error} = await collect({mode, count: 5})
    expect(error?.code).toBe('WORKER_FAILED')
    expect(error?.exit).toBe(1)
    expect(error?.message).toMatch(message)
  })

  it('stops the worker when the consumer leaves early, while the worker waits for room', async () => {
    const started = Date.now()
    let n = 0
    for await (const _ of workerStream<{i: number}, unknown>(WORKER, {mode: 'ok', count: 1_000_000})) {
      if (++n === 2) break
    }
    expect(Date.now() - started).toBeLessThan(5000)
  })
})

describe('StartedWorker', () => {
  it('starts ahead of its work and runs it once workerStream gives it its data', async () => {
    const started = new StartedWorker(WORKER)
    await new Promise((r) => setTimeout(r, 100)) // it is up and waiting
    const values: number[] = []
    for await (const v of workerStream<{i: number}, unknown>(started, {mode: 'ok', count: 40})) values.push(v.i)
    expect(values).toEqual(Array.from({length: 40}, (_, i) => i))
  })

  it('reports a failure while starting once it is used (WORKER_FAILED), not a hang', async () => {
    const started = new StartedWorker(pathToFileURL(path.join(import.meta.dirname, 'workers', 'broken.mjs')))
    await new Promise((r) => setTimeout(r, 200))
    const error = await (async () => {
      for await (const _ of workerStream(started, {})) expect.unreachable()
    })().then(() => undefined, (e: unknown) => e)
    expect(error).toMatchObject({code: 'WORKER_FAILED', message: expect.stringMatching(/cannot start: missing module/)})
  })

  it('does not keep the process alive when it is never used', () => {
    const url = pathToFileURL(path.resolve(import.meta.dirname, '../../../dist/src/csv/worker-stream.js')).href
    const script = `import {StartedWorker} from ${JSON.stringify(url)}; new StartedWorker(new URL(${JSON.stringify(WORKER.href)})); setTimeout(() => console.log('main done'), 100)`
    const started = Date.now()
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], {encoding: 'utf8', timeout: 20_000})
    expect(r.stdout.trim()).toBe('main done')
    expect(r.status).toBe(0)
    expect(Date.now() - started).toBeLessThan(5000)
  })
})

describe('builtWorkerFile', () => {
  it('is the file beside the module when it exists, else its dist/ copy', () => {
    expect(builtWorkerFile(pathToFileURL(path.join(import.meta.dirname, 'x.ts')).href, './workers/modes.mjs').pathname).toBe(WORKER.pathname)
    const root = path.resolve(import.meta.dirname, '../../..')
    const built = builtWorkerFile(pathToFileURL(path.join(root, 'src', 'csv', 'importer.ts')).href, './worker-stream.js')
    expect(built.pathname).toBe(pathToFileURL(path.join(root, 'dist', 'src', 'csv', 'worker-stream.js')).pathname)
    expect(fs.existsSync(built)).toBe(true)
  })

  it('says how to fix a missing worker file', () => {
    expect(() => builtWorkerFile(pathToFileURL('/nowhere/src/a.ts').href, './b.js')).toThrow(expect.objectContaining({code: 'WORKER_FAILED', message: expect.stringMatching(/build custodian first/)}))
  })
})
