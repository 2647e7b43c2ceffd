import {createHash} from 'node:crypto'

import {type Kysely, PostgresAdapter, sql} from 'kysely'

// Frozen once landed: never edit, add a new migration instead.
// Timecard seals (issue 18, CLI.md "Sealed records"): a card version is sealed when it is certified by the
// sha256 of its content, and payroll export refuses a card whose content changed since. Cards certified or
// exported before this migration are sealed here, with the version 1 text of src/timecards/seal.ts (spelled out
// below, as a migration does not follow later code): "custodian-timecard-seal-v1", id, employee_ref,
// pay_period_start, version, then each line as work_date TAB hour_type TAB accounting_code TAB hours in key
// order, all joined by LF. A missing seal on a certified or exported card is then always a broken one.
const TAG = 'custodian-timecard-seal-v1'
const CHUNK = 2000

export async function up(db: Kysely<any>): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await trx.schema.alterTable('timecards').addColumn('seal', 'text').execute()
    if (db.getExecutor().adapter instanceof PostgresAdapter) {
      await sql`UPDATE timecards t SET seal = encode(sha256(convert_to(${TAG} || E'\n' || t.id::text || E'\n' || t.employee_ref::text || E'\n'
          || t.pay_period_start || E'\n' || t.version::text || E'\n' || coalesce((SELECT string_agg(l.work_date || E'\t' || l.hour_type || E'\t'
          || l.accounting_code || E'\t' || l.hours::text, E'\n' ORDER BY l.work_date COLLATE "C", l.hour_type COLLATE "C", l.accounting_code COLLATE "C")
          FROM timecard_lines l WHERE l.timecard_id = t.id), ''), 'UTF8')), 'hex')
        WHERE t.status IN ('certified', 'exported')`.execute(trx)
      return
    }
    // SQLite has no sha256 in SQL: a chunk of cards at a time, their lines in key order, hashed here.
    for (let after = 0; ;) {
      const cards = await trx.selectFrom('timecards').select(['id', 'employee_ref', 'pay_period_start', 'version'])
        .where('status', 'in', ['certified', 'exported']).where('id', '>', after).orderBy('id').limit(CHUNK).execute()
      if (cards.length === 0) break
      after = cards.at(-1)!.id
      const lines = await trx.selectFrom('timecard_lines').select(['timecard_id', 'work_date', 'hour_type', 'accounting_code', 'hours'])
        .where('timecard_id', 'in', cards.map((c) => c.id)).orderBy('timecard_id').orderBy('work_date').orderBy('hour_type').orderBy('accounting_code').execute()
      const byCard = new Map<number, string[]>()
      for (const l of lines) {
        const list = byCard.get(l.timecard_id) ?? []
        list.push(`${l.work_date}\t${l.hour_type}\t${l.accounting_code}\t${l.hours}`)
        byCard.set(l.timecard_id, list)
      }
      for (const c of cards) {
        const text = `${TAG}\n${c.id}\n${c.employee_ref}\n${c.pay_period_start}\n${c.version}\n${(byCard.get(c.id) ?? []).join('\n')}`
        await trx.updateTable('timecards').set({seal: createHash('sha256').update(text).digest('hex')}).where('id', '=', c.id).execute()
      }
    }
  })
}

export async function down(): Promise<void> {
  throw new Error('custodian migrations are forward-only')
}
