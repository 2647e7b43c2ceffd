import fs from 'node:fs'
import path from 'node:path'
import {fileURLToPath, pathToFileURL} from 'node:url'
import {type ResourceLimits, Worker, parentPort, workerData} from 'node:worker_threads'

import {CustodianError, ExitCode} from '../cli/errors.js'

/**
 * A one-way stream of messages from a worker thread to the main thread, with backpressure: the worker may
 * be at most `window` messages ahead of what the main thread has consumed (it blocks on a shared counter
 * until the main thread catches up), so memory stays flat however large the input. The n-th message may
 * thus use slot n % WINDOW of a shared buffer: the main thread is done with the message that used it before.
 * A CustodianError thrown
 * in the worker is rethrown on the main thread as it was; any other failure of the worker (an exception,
 * an exit without finishing) becomes WORKER_FAILED, never a hang.
 */

type Wire<T> = {type: 'data'; value: T} | {type: 'done'} | {type: 'error'; error: {code?: string; message: string; exit?: number; details?: Record<string, unknown>}}

/** How many messages the worker may be ahead of the main thread. */
export const WINDOW = 16

/** Shared counters: [0] messages the worker may still send, [1] 1 when the main thread gave up. */
const CREDITS = 0
const ABORT = 1

export interface WorkerStreamData<D> {
  data: D
  credits: SharedArrayBuffer
}

/**
 * The built JavaScript file `name` beside the module at moduleUrl. Running from the TypeScript sources
 * (vitest), it is the copy under dist/ (run `npm run build` first).
 */
export function builtWorkerFile(moduleUrl: string, name: string): URL {
  const here = new URL(name, moduleUrl)
  if (fs.existsSync(here)) return here
  const file = fileURLToPath(here)
  const src = `${path.sep}src${path.sep}`
  const i = file.lastIndexOf(src)
  const built = i === -1 ? file : path.join(file.slice(0, i), 'dist', file.slice(i))
  if (!fs.existsSync(built)) throw new CustodianError('WORKER_FAILED', `The worker file ${name} is missing (looked in ${file} and ${built}); build custodian first.`, ExitCode.internal)
  return pathToFileURL(built)
}

/** Main thread: runs the worker and yields its messages in order; stops (and ends) the worker when left early. */
export async function* workerStream<T, D>(file: URL, data: D, limits?: ResourceLimits): AsyncGenerator<T> {
  const credits = new SharedArrayBuffer(8)
  const counters = new Int32Array(credits)
  counters[CREDITS] = WINDOW
  const worker = new Worker(file, {workerData: {data, credits} satisfies WorkerStreamData<D>, resourceLimits: limits})
  const queue: Wire<T>[] = []
  let failure: CustodianError | undefined
  let wake: (() => void) | undefined
  const notify = () => {
    wake?.()
    wake = undefined
  }
  const failed = (message: string) => new CustodianError('WORKER_FAILED', `The import's worker thread failed: ${message}`, ExitCode.internal)
  worker.on('message', (m: Wire<T>) => {
    queue.push(m)
    notify()
  })
  worker.on('error', (error) => {
    failure ??= failed(error instanceof Error ? error.message : String(error))
    notify()
  })
  worker.on('exit', (code) => {
    failure ??= failed(`it stopped (exit code ${code}) before it finished`)
    notify()
  })
  let finished = false
  try {
    for (;;) {
      const m = queue.shift()
      if (!m) {
        if (failure) throw failure
        await new Promise<void>((resolve) => {
          wake = resolve
        })
        continue
      }
      if (m.type === 'done') {
        finished = true
        return
      }
      if (m.type === 'error') {
        const e = m.error
        throw e.code && e.exit !== undefined ? new CustodianError(e.code, e.message, e.exit as ExitCode, e.details ?? {}) : failed(e.message)
      }
      yield m.value
      Atomics.add(counters, CREDITS, 1)
      Atomics.notify(counters, CREDITS)
    }
  } finally {
    if (!finished) {
      Atomics.store(counters, ABORT, 1)
      Atomics.notify(counters, CREDITS)
    }
    worker.removeAllListeners()
    worker.on('error', () => undefined)
    await worker.terminate()
  }
}

/** The worker's end of a workerStream. */
export interface WorkerSide<D> {
  /** What the main thread passed. */
  data: D
  /** Waits until the main thread is less than WINDOW messages behind, and takes that place. */
  acquire(): void
  /** Sends a message whose place was acquired. */
  post(value: unknown): void
  /** acquire() then post(). */
  send(value: unknown): void
  /** Runs the worker's work, then tells the main thread it is done, or why it failed. */
  run(body: () => void): void
}

/** Worker thread: see WorkerSide. */
export function workerSide<D>(): WorkerSide<D> {
  const port = parentPort
  if (!port) throw new Error('workerSide() runs in a worker thread only')
  const {data, credits} = workerData as WorkerStreamData<D>
  const counters = new Int32Array(credits)
  const post = (m: Wire<unknown>) => port.postMessage(m)
  const acquire = () => {
    while (Atomics.load(counters, CREDITS) <= 0) {
      if (Atomics.load(counters, ABORT) === 1) throw new Error('the main thread stopped reading')
      Atomics.wait(counters, CREDITS, 0, 1000)
    }
    Atomics.sub(counters, CREDITS, 1)
  }
  return {
    data,
    acquire,
    post(value) {
      post({type: 'data', value})
    },
    send(value) {
      acquire()
      post({type: 'data', value})
    },
    run(body) {
      try {
        body()
        post({type: 'done'})
      } catch (error) {
        if (Atomics.load(counters, ABORT) === 1) return
        if (error instanceof CustodianError) post({type: 'error', error: {code: error.code, message: error.message, exit: error.exit, details: error.details}})
        else post({type: 'error', error: {message: error instanceof Error ? error.message : String(error)}})
      }
    },
  }
}
