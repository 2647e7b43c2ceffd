import {WarmWorker, builtWorkerFile} from '../csv/worker-stream.js'
import type {LineMessage, LineReaderOptions} from './import-lines.js'

/**
 * The worker thread both engines' timesheet imports read through (import-worker.ts runs import-lines.ts): it
 * reads, parses and checks the lines while the main thread stores them.
 */

/** The worker's heap stays small (it holds a few batches at a time); peak RSS is a target of the import. */
const LIMITS = {maxYoungGenerationSizeMb: 8}
/** The worker warmUpLineWorker() started, until an import takes it (one import per process). */
const worker = new WarmWorker<LineMessage, LineReaderOptions>(() => builtWorkerFile(import.meta.url, './import-worker.js'), LIMITS)

/** Starts the worker while the command does its own start-up. */
export function warmUpLineWorker(): void {
  worker.warmUp()
}

/** The messages of the worker reading `opts.file`: the header, batches of checked lines, the end. */
export function lineMessages(opts: LineReaderOptions): AsyncGenerator<LineMessage> {
  return worker.messages(opts)
}
