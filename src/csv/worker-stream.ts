import fs from 'node:fs'
import path from 'node:path'
import {fileURLToPath, pathToFileURL} from 'node:url'
import {MessageChannel, type MessagePort, type ResourceLimits, Worker, parentPort, receiveMessageOnPort, workerData} from 'node:worker_threads'

import {CustodianError, ExitCode} from '../errors.js'

/**
 * A one-way stream of messages from a worker thread to the main thread, with backpressure: the worker may
 * be at most WINDOW messages ahead of what the main thread has consumed (it blocks on a shared counter
 * until the main thread catches up), so memory stays flat however large the input. The n-th message may
 * thus use slot n % WINDOW of a shared buffer: the main thread is done with the message that used it before.
 * A CustodianError thrown in the worker is rethrown on the main thread as it was; any other failure of the
 * worker (an exception, an exit without finishing) becomes WORKER_FAILED, never a hang.
 */

type Wire<T> = {type: 'data'; value: T} | {type: 'done'} | {type: 'error'; error: {code?: string; message: string; exit?: number; details?: Record<string, unknown>}}

/**
 * How many messages the worker may be ahead of the main thread (a stream may allow fewer: its `window`; the
 * shared-memory slots are WINDOW all the same).
 */
export const WINDOW = 16

/**
 * Shared counters: [CREDITS] messages the worker may still send, [ABORT] 1 when the main thread gave up,
 * [GO] 1 once a StartedWorker's data is on its port.
 */
const CREDITS = 0
const ABORT = 1
const GO = 2

interface WorkerStreamData<D> {
  /** The data, or (a StartedWorker) undefined until GO, then on `port`. */
  data?: D
  port?: MessagePort
  credits: SharedArrayBuffer
}

/**
 * A worker thread started ahead of its work, so that its start-up (a new thread, its modules: ~40 ms)
 * overlaps the caller's own; it waits until workerStream gives it its data. Unused, it never keeps the
 * process alive.
 */
export class StartedWorker {
  readonly worker: Worker
  readonly credits = new SharedArrayBuffer(12)
  readonly port: MessagePort
  /** Why it failed before workerStream took it. */
  failure: string | undefined

  constructor(file: URL, limits?: ResourceLimits) {
    const {port1, port2} = new MessageChannel()
    this.port = port1
    this.worker = new Worker(file, {workerData: {port: port2, credits: this.credits} satisfies WorkerStreamData<unknown>, transferList: [port2], resourceLimits: limits})
    this.worker.unref()
    this.worker.on('error', (error) => {
      this.failure ??= error instanceof Error ? error.message : String(error)
    })
    this.worker.on('exit', (code) => {
      this.failure ??= `it stopped (exit code ${code}) before it was given its work`
    })
  }
}

/**
 * A worker file that one import per process reads through: warmUp() starts it ahead of its work (see
 * StartedWorker), messages() takes that thread (or starts one) and streams its messages.
 */
export class WarmWorker<T, D> {
  private started: StartedWorker | undefined

  /** `window`: how many messages the worker may be ahead (at most WINDOW). */
  constructor(private readonly file: () => URL, private readonly limits?: ResourceLimits, private readonly window = WINDOW) {}

  warmUp(): void {
    this.started ??= new StartedWorker(this.file(), this.limits)
  }

  messages(data: D): AsyncGenerator<T> {
    const worker = this.started ?? this.file()
    this.started = undefined
    return workerStream<T, D>(worker, data, this.limits, this.window)
  }
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

/**
 * Main thread: runs the worker (the file, or a StartedWorker) on `data` and yields its messages in order, the
 * worker at most `window` (≤ WINDOW) messages ahead; stops (and ends) the worker when left early.
 */
export async function* workerStream<T, D>(from: URL | StartedWorker, data: D, limits?: ResourceLimits, window = WINDOW): AsyncGenerator<T> {
  if (!(window >= 1 && window <= WINDOW)) throw new Error(`workerStream: a window of ${window} messages (1 to ${WINDOW})`)
  let worker: Worker
  let counters: Int32Array
  if (from instanceof StartedWorker) {
    worker = from.worker
    worker.ref()
    counters = new Int32Array(from.credits)
    counters[CREDITS] = window
    from.port.postMessage(data)
    Atomics.store(counters, GO, 1)
    Atomics.notify(counters, GO)
  } else {
    const credits = new SharedArrayBuffer(12)
    counters = new Int32Array(credits)
    counters[CREDITS] = window
    worker = new Worker(from, {workerData: {data, credits} satisfies WorkerStreamData<D>, resourceLimits: limits})
  }
  const queue: Wire<T>[] = []
  let failure: CustodianError | undefined
  let wake: (() => void) | undefined
  const notify = () => {
    wake?.()
    wake = undefined
  }
  const failed = (message: string) => new CustodianError('WORKER_FAILED', `A worker thread failed: ${message}`, ExitCode.internal)
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
  if (from instanceof StartedWorker && from.failure) failure = failed(from.failure)
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
    if (from instanceof StartedWorker) from.port.close()
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
  /** Runs the worker's work (awaited when it is async), then tells the main thread it is done, or why it failed. */
  run(body: () => void | Promise<void>): void
}

/** Worker thread: see WorkerSide. */
export function workerSide<D>(): WorkerSide<D> {
  const port = parentPort
  if (!port) throw new Error('workerSide() runs in a worker thread only')
  const {credits, port: dataPort} = workerData as WorkerStreamData<D>
  const counters = new Int32Array(credits)
  let data = (workerData as WorkerStreamData<D>).data
  if (dataPort) {
    // Started ahead of its work: wait for the data (forever if it never comes; the thread does not keep
    // the process alive then).
    while (Atomics.load(counters, GO) === 0) Atomics.wait(counters, GO, 0, 50) // timed: a terminate() gets through
    data = (receiveMessageOnPort(dataPort)?.message as D | undefined)
    dataPort.close()
  }
  const post = (m: Wire<unknown>) => port.postMessage(m)
  const acquire = () => {
    while (Atomics.load(counters, CREDITS) <= 0) {
      if (Atomics.load(counters, ABORT) === 1) throw new Error('the main thread stopped reading')
      Atomics.wait(counters, CREDITS, 0, 1000)
    }
    Atomics.sub(counters, CREDITS, 1)
  }
  return {
    data: data as D,
    acquire,
    post(value) {
      post({type: 'data', value})
    },
    send(value) {
      acquire()
      post({type: 'data', value})
    },
    run(body) {
      const fail = (error: unknown) => {
        if (Atomics.load(counters, ABORT) === 1) return
        if (error instanceof CustodianError) post({type: 'error', error: {code: error.code, message: error.message, exit: error.exit, details: error.details}})
        else post({type: 'error', error: {message: error instanceof Error ? error.message : String(error)}})
      }
      try {
        const done = body()
        if (done instanceof Promise) done.then(() => post({type: 'done'}), fail)
        else post({type: 'done'})
      } catch (error) {
        fail(error)
      }
    },
  }
}
