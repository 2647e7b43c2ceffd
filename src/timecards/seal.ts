import type {Store} from '../store/index.js'
import {timecard as timecardRecord} from '../records/types/index.js'

/** Timecard seals across the store, for `audit verify`: the sealed text and its digest are in seal-text.ts. */

/** A sealed record whose content no longer matches its seal (what `audit verify` lists in `broken`). */
export interface BrokenSeal {
  kind: typeof timecardRecord.type
  id: number
  employeeId: string
  payPeriod: string
  version: number
  status: 'certified' | 'exported'
}

/**
 * Every certified or exported card version whose lines, identity or version changed since it was certified (or
 * whose seal is missing), in id order. For `audit verify`; read-only.
 */
/** How many card versions brokenCardSeals checks (certified and exported); null when the store cannot say (a PostgreSQL store to init again). */
export async function sealedCardCount(store: Store): Promise<number | null> {
  return store.engine === 'sqlite'
    ? (await import('./certify-sqlite.js')).sqliteSealedCards(store)
    : (await import('./certify-postgres.js')).postgresSealedCards(store)
}

export async function brokenCardSeals(store: Store): Promise<BrokenSeal[]> {
  const rows = store.engine === 'sqlite'
    ? (await import('./certify-sqlite.js')).sqliteBrokenSeals(store)
    : await (await import('./certify-postgres.js')).postgresBrokenSeals(store)
  return rows.map((r) => ({kind: timecardRecord.type, id: r.id, employeeId: r.employee_id, payPeriod: r.pay_period_start, version: r.version, status: r.status}))
}
