import {sql} from 'kysely'

import {pgRows} from '../store/postgres.js'
import type {PostgresStore, Store} from '../store/store.js'
import type {CardFinding} from './checks.js'
import {type CardHistoryEntry, insertCardHistory, statusChange} from './history.js'
import {checkRuns, parsedLines} from './check-runs.js'
import {type DraftCard, draftCardsQuery} from './draft-cards.js'
import {type PendingLeave, type ValidateJob, pendingLeaveSql, groupPending} from './validate-sqlite.js'

/**
 * PostgreSQL engine file: the data side of `timecards validate`, set-wise. The draft cards' lines and the
 * leave of their exported earlier versions are read in a few statements over arrays of card ids, the checks
 * run in memory (checks.ts, as on SQLite), and the outcomes go back in one UPDATE ... FROM unnest(...) and
 * one INSERT ... SELECT FROM unnest(...) per chunk: a round trip per thousands of cards, not per card.
 */

const CHUNK = 5000
const NO_LEAVE = {al: 0, sl: 0, ct: 0}
/** The history entry's changes of a validated card, as JSON (the text insertCardHistory stores). */
const VALIDATE_CHANGES = JSON.stringify([statusChange('draft', 'validated')])

export async function postgresValidateJob(store: Store): Promise<ValidateJob> {
  const pg = store as PostgresStore
  const query = <R>(text: string, values: unknown[] = []) => pgRows<R>(pg, text, values)
  const lines = new Map<number, string>()
  const exported = new Map<number, {al: number; sl: number; ct: number}>()
  const outcomes: {id: number; status: string; findings: string; at: string}[] = []
  const history: CardHistoryEntry[] = []
  const clean: number[] = []
  let done: {at: string; actor: string} | undefined
  return {
    towardTour: async () => new Set((await query<{code: string}>('SELECT code FROM hour_types WHERE counts_toward_tour = 1')).map((r) => r.code)),
    pendingLeave: async (before) => groupPending(await query<PendingLeave & {ref: number}>(pendingLeaveSql('$1'), [before])),
    async draftCards(filter) {
      const {text, params} = draftCardsQuery(filter, (i) => `$${i}`, ' COLLATE "C"')
      const cards = await query<DraftCard>(text, params)
      for (let i = 0; i < cards.length; i += CHUNK) {
        const ids = cards.slice(i, i + CHUNK).map((c) => c.id)
        // One text per card (as on SQLite: parseLines), not a row per line: the driver makes an object of
        // every row it returns, which was most of the reading. Without accounting codes, which no TC-* rule reads.
        const rows = await query<{card: number; text: string}>(`SELECT timecard_id AS card, string_agg(work_date || E'\t' || hour_type || E'\t' || hours::text, E'\n') AS text
          FROM timecard_lines WHERE timecard_id = ANY($1::int[]) GROUP BY timecard_id`, [ids])
        for (const {card, text} of rows) lines.set(card, text)
        const amended = cards.slice(i, i + CHUNK).filter((c) => c.version > 1).map((c) => c.id)
        if (amended.length === 0) continue
        // The latest exported earlier version of each amended card, and its leave.
        const leave = await query<{card: number; al: number; sl: number; ct: number}>(`SELECT cur.id AS card,
            coalesce(sum(CASE WHEN l.hour_type = 'AL' THEN l.hours END), 0)::int AS al,
            coalesce(sum(CASE WHEN l.hour_type = 'SL' THEN l.hours END), 0)::int AS sl,
            coalesce(sum(CASE WHEN l.hour_type = 'CTU' THEN l.hours END), 0)::int AS ct
          FROM timecards cur
          JOIN LATERAL (SELECT p.id FROM timecards p WHERE p.employee_ref = cur.employee_ref AND p.pay_period_start = cur.pay_period_start
            AND p.version < cur.version AND p.status = 'exported' ORDER BY p.version DESC LIMIT 1) prev ON true
          LEFT JOIN timecard_lines l ON l.timecard_id = prev.id
          WHERE cur.id = ANY($1::int[]) GROUP BY cur.id`, [amended])
        for (const {card, ...sums} of leave) exported.set(card, sums)
      }
      return cards
    },
    start: async () => {},
    exportedLeave: (card) => exported.get(card.id) ?? NO_LEAVE,
    check: (cards, contextOf) => checkRuns(cards, (run) => parsedLines(run.map((c) => lines.get(c.id))), contextOf),
    record(card, {failed, findings, at, actor}: {failed: boolean; findings: CardFinding[]; at: string; actor: string}) {
      done = {at, actor}
      if (!failed && findings.length === 0) {
        clean.push(card.id)
        return
      }
      outcomes.push({id: card.id, status: failed ? 'draft' : 'validated', findings: JSON.stringify(findings), at})
      if (!failed) history.push({timecardId: card.id, at, actor, action: 'validate', version: card.version, changes: [statusChange('draft', 'validated')], reason: null})
    },
    async finish() {
      // The cards without findings (most of a pay period) in one UPDATE and one INSERT ... SELECT over their ids,
      // in card order; the rest with their findings, as before.
      if (done && clean.length > 0) {
        const {at, actor} = done
        await sql`UPDATE timecards SET status = 'validated', findings = '[]', updated_at = ${at} WHERE id = ANY(${clean}::int[])`.execute(pg.db)
        await sql`INSERT INTO timecard_history (timecard_id, at, actor, action, version, changes, reason)
          SELECT c.id, ${at}, ${actor}, 'validate', c.version, ${VALIDATE_CHANGES}, NULL FROM unnest(${clean}::int[]) WITH ORDINALITY AS u(id, n)
          JOIN timecards c ON c.id = u.id ORDER BY u.n`.execute(pg.db)
      }
      clean.length = 0
      for (let i = 0; i < outcomes.length; i += CHUNK) {
        const part = outcomes.slice(i, i + CHUNK)
        await sql`UPDATE timecards SET status = u.status, findings = u.findings, updated_at = u.at
          FROM unnest(${part.map((o) => o.id)}::int[], ${part.map((o) => o.status)}::text[], ${part.map((o) => o.findings)}::text[], ${part.map((o) => o.at)}::text[]) AS u(id, status, findings, at)
          WHERE timecards.id = u.id`.execute(pg.db)
      }
      await insertCardHistory(pg, history)
      outcomes.length = 0
      history.length = 0
    },
  }
}
