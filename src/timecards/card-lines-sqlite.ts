import type {Database} from 'better-sqlite3'

/**
 * The lines of each card of a run (their ids), in the run's order, read in one statement: a card's lines as one
 * text (work_date TAB hour_type TAB hours, LF between lines: check-runs.ts parseLines), null for a card without
 * lines, so a value per card crosses into JavaScript, not four per line, which was most of the reading. Without
 * accounting codes, which no TC-* rule reads; in any order (checkTimecard orders the dates itself). The SQLite
 * validate reads through it, on its own thread (an employee's card) or its worker's (card-lines-worker-sqlite.ts).
 */
export function sqliteLineTexts(db: Database): (ids: readonly number[]) => (string | null)[] {
  const linesOfList = db.prepare(`SELECT j.value, (SELECT group_concat(l.work_date || char(9) || l.hour_type || char(9) || l.hours, char(10))
    FROM timecard_lines l WHERE l.timecard_id = j.value) FROM json_each(?) j`).raw()
  return (ids) => {
    const texts = new Map<number, string | null>()
    for (const [id, text] of linesOfList.all(JSON.stringify(ids)) as [number, string | null][]) texts.set(id, text)
    return ids.map((id) => texts.get(id) ?? null)
  }
}
