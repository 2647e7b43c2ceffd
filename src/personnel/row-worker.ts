import {WarmWorker, builtWorkerFile} from '../csv/worker-stream.js'
import type {PersonnelMessage, PersonnelReaderOptions} from './import-rows.js'

/**
 * The worker thread the SQLite personnel import reads through (import-worker.ts runs import-rows.ts): it reads
 * and checks the rows, and hashes their SSNs, while the main thread seals and stores them.
 */

/**
 * The worker's heap stays small (it holds a few batches at a time); peak RSS is a target of the import. Without an
 * old-generation limit V8 lets the worker's garbage grow to tens of MB before it collects. The young generation is
 * where a row's garbage dies (cells, checks, hashing): at 4 MB it was collected so often that the collector took
 * a third of the worker's time (then the import's slower half); 16 MB costs ~8 MB of RSS, which the store's smaller
 * page cache during the import gives back (import.ts: IMPORT_CACHE_KB).
 */
const LIMITS = {maxYoungGenerationSizeMb: 16, maxOldGenerationSizeMb: 24}
/**
 * How many batches the worker may be ahead. The main thread, which seals and stores, is the slower half: the
 * batches waiting for it are in its heap, and with 16 of them its young generation grows to its largest (~+8 MB
 * of RSS); 4 keep both threads busy.
 */
const AHEAD = 4
/** The worker warmUpRowWorker() started, until an import takes it (one import per process). */
const worker = new WarmWorker<PersonnelMessage, PersonnelReaderOptions>(() => builtWorkerFile(import.meta.url, './import-worker.js'), LIMITS, AHEAD)

/** Starts the worker while the command does its own start-up. */
export function warmUpRowWorker(): void {
  worker.warmUp()
}

/** The messages of the worker reading `opts.file`: the header, batches of checked rows, the end. */
export function rowMessages(opts: PersonnelReaderOptions): AsyncGenerator<PersonnelMessage> {
  return worker.messages(opts)
}
