import {WarmWorker, builtWorkerFile} from '../csv/worker-stream.js'
import type {DraftFilter} from './draft-cards.js'

/**
 * The worker thread of the SQLite validate (card-lines-worker-sqlite.ts): it reads the draft cards' lines while
 * the main thread reads the cards, then checks them a run at a time as the lines come (validate-sqlite.ts).
 * Started ahead of its work, so its start-up overlaps the command's own.
 */

/** What the worker is given. */
export interface CardLinesJob {
  /** The SQLite store's file: the worker reads it on a read-only connection of its own, in one read transaction. */
  store: string
  busyTimeoutMs: number
  /** The draft cards whose lines it reads (draft-cards.ts), in the query's order. */
  filter: DraftFilter
}

/** A run of cards (LINES_CHUNK, in draftCardsQuery's order) and each one's lines as one text (card-lines-sqlite.ts), null when it has none. */
export interface LineTexts {
  ids: number[]
  texts: (string | null)[]
}

/** The worker's heap stays small: it holds the cards' ids and a run of cards' lines at a time, at most 4 runs ahead of the main thread. */
const LIMITS = {maxYoungGenerationSizeMb: 8}
const worker = new WarmWorker<LineTexts, CardLinesJob>(() => builtWorkerFile(import.meta.url, './card-lines-worker-sqlite.js'), LIMITS, 4)

/** Starts the worker while the command does its own start-up. */
export function warmUpCardLinesWorker(): void {
  worker.warmUp()
}

/** The lines of the draft cards `job.filter` names, in their order, a run of cards at a time. */
export function cardLineTexts(job: CardLinesJob): AsyncGenerator<LineTexts> {
  return worker.messages(job)
}
