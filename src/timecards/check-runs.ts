import {type CardContext, type CardFinding, type CardLine, checkTimecard} from './checks.js'

/** How `timecards validate` checks its cards on either engine: a run of cards' lines at a time (checkRuns). */

/** Cards whose lines are read in one statement and checked in one run. */
export const LINES_CHUNK = 2000

/**
 * checkTimecard of each card on its lines, with its context: LINES_CHUNK cards a run, whose lines `linesOf` gives
 * (each card's, in the run's order). Both engines check their cards through it.
 */
export async function* checkRuns<C>(cards: readonly C[], linesOf: (run: readonly C[]) => Iterable<CardLine[]> | Promise<Iterable<CardLine[]>>,
  contextOf: (card: C) => CardContext): AsyncGenerator<CardFinding[][]> {
  for (let at = 0; at < cards.length; at += LINES_CHUNK) {
    const run = cards.slice(at, at + LINES_CHUNK)
    const findings: CardFinding[][] = []
    let i = 0
    for (const lines of await linesOf(run)) findings.push(checkTimecard(lines, contextOf(run[i++])))
    yield findings
  }
}

/** Each card's lines from the texts read for a run of cards (null: a card without lines), parsed only as the card is checked, so its line objects die young. */
export function* parsedLines(texts: Iterable<string | null | undefined>): Generator<CardLine[]> {
  for (const text of texts) yield text == null ? [] : parseLines(text)
}

/** A card's lines from the text an engine reads them as (card-lines-sqlite.ts, validate-postgres.ts): work_date TAB hour_type TAB hours (hundredths), LF between lines. */
export function parseLines(text: string): CardLine[] {
  const lines: CardLine[] = []
  let start = 0
  while (start < text.length) {
    const tab1 = text.indexOf('\t', start)
    const tab2 = text.indexOf('\t', tab1 + 1)
    let end = text.indexOf('\n', tab2 + 1)
    if (end < 0) end = text.length
    lines.push({workDate: text.slice(start, tab1), hourType: text.slice(tab1 + 1, tab2), hours: Number(text.slice(tab2 + 1, end)), accountingCode: ''})
    start = end + 1
  }
  return lines
}
