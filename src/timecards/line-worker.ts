import {StartedWorker, builtWorkerFile, workerStream} from '../csv/worker-stream.js'
import type {LineMessage, LineReaderOptions} from './import-lines.js'

/**
 * The worker thread both engines' timesheet imports read through (import-worker.ts runs import-lines.ts): it
 * reads, parses and checks the lines while the main thread stores them.
 */

/** The worker's heap stays small (it holds a few batches at a time); peak RSS is a target of the import. */
const LIMITS = {maxYoungGenerationSizeMb: 8}
const workerFile = () => builtWorkerFile(import.meta.url, './import-worker.js')
/** The worker warmUpLineWorker() started, until an import takes it (one import per process). */
let started: StartedWorker | undefined

/** Starts the worker while the command does its own start-up. */
export function warmUpLineWorker(): void {
  started ??= new StartedWorker(workerFile(), LIMITS)
}

/** The messages of the worker reading `opts.file`: the header, batches of checked lines, the end. */
export function lineMessages(opts: LineReaderOptions): AsyncGenerator<LineMessage> {
  const worker = started ?? workerFile()
  started = undefined
  return workerStream<LineMessage, LineReaderOptions>(worker, opts, LIMITS)
}
