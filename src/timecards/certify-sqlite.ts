import {hash} from 'node:crypto'

import type BetterSqlite3 from 'better-sqlite3'

import type {Store} from '../store/index.js'
import {sqliteOf} from '../store/store.js'
import {statusChange} from './history.js'
import {SEAL_TAG} from './seal-text.js'

/**
 * The data side of `timecards certify` (a hot path: every validated card of a pay period), as one small
 * interface so each engine can do it its own way: the certify rules (scope, status, never one's own card) are
 * WHERE clauses, the cards are certified and sealed in one UPDATE and their history written in one
 * INSERT ... SELECT. The caller's transaction holds it together.
 */
export interface CertifyJob {
  /**
   * The period's current cards (of the requested employees, when given) that certify leaves alone and says why,
   * in employee_id order: outside the scope, the operator's own, a draft, or (requested only) another status.
   */
  skipped(q: CertifyQuery): Promise<{employeeId: string; reason: string}[]>
  /** Which of the requested employees have a current card in the period (in scope or not). */
  withCards(payPeriod: string, requested: readonly string[]): Promise<Set<string>>
  /** Certifies and seals every card the rules allow, with its history entry; their ids in employee_id order. */
  certify(q: CertifyQuery, done: {at: string; actor: string}): Promise<number[]>
}

export interface CertifyQuery {
  payPeriod: string
  /** Only these employee_ids (upper case) when given and not empty. */
  requested?: readonly string[]
  /** The operator's org scope (null: agency-wide) and own employee_id (null: none). */
  orgPrefix: string | null
  ownEmployeeId: string | null
}

/** The history entry's changes of a certified card, as JSON (the same text the one-at-a-time writer stored). */
export const CERTIFY_CHANGES = JSON.stringify([statusChange('validated', 'certified')])

/**
 * The seal of card `t` in SQLite SQL (seal-text.ts has the text it hashes): the lines come in key order, and
 * custodian_sha256 is the JavaScript function registerSealFunction puts on the connection. The lines are read in
 * an ordered subquery rather than with group_concat(... ORDER BY ...): the order is the primary key's
 * (timecard_id, work_date, hour_type, accounting_code), so SQLite reads them in it and sorts nothing, where the
 * aggregate's ORDER BY sorted every card's lines in a temporary b-tree (a third of certify's CPU).
 */
export const sqliteSealSql = (t: string): string => `custodian_sha256('${SEAL_TAG}' || char(10) || ${t}.id || char(10) || ${t}.employee_ref || char(10)
    || ${t}.pay_period_start || char(10) || ${t}.version || char(10) || coalesce((SELECT group_concat(x, char(10)) FROM (SELECT l.work_date || char(9)
    || l.hour_type || char(9) || l.accounting_code || char(9) || l.hours AS x FROM timecard_lines l WHERE l.timecard_id = ${t}.id
    ORDER BY l.work_date, l.hour_type, l.accounting_code)), ''))`

/**
 * Puts custodian_sha256(text) → hex on the connection (deterministic; idempotent). It runs once per card
 * certified (50,000 for a pay period), so it uses the one-shot crypto.hash (Node ≥ 20.12, as package.json
 * requires): a quarter of the CPU of a Hash object per call, the same digest.
 */
export function registerSealFunction(db: BetterSqlite3.Database): void {
  db.function('custodian_sha256', {deterministic: true}, (text: unknown) => hash('sha256', String(text), 'hex'))
}

/** The WHERE clause of the cards a query covers, with its parameters (c: timecards, e: employees). */
function cardsOfQuery(q: CertifyQuery): {where: string; params: unknown[]} {
  const where = ['c.pay_period_start = ?', 'c.is_current = 1']
  const params: unknown[] = [q.payPeriod]
  if (q.requested?.length) {
    where.push('e.employee_id IN (SELECT value FROM json_each(?))')
    params.push(JSON.stringify(q.requested))
  }
  return {where: where.join(' AND '), params}
}

/** The rules: in scope, not the operator's own card (SQL over c and e, with parameters). */
function rules(q: CertifyQuery): {inScope: string; own: string; params: unknown[]} {
  return {
    inScope: q.orgPrefix === null ? '1' : 'substr(e.org_code, 1, length(?)) = ?',
    own: q.ownEmployeeId === null ? '0' : 'e.employee_id = ?',
    params: [...(q.orgPrefix === null ? [] : [q.orgPrefix, q.orgPrefix]), ...(q.ownEmployeeId === null ? [] : [q.ownEmployeeId])],
  }
}

/** Prepared statements on the store's one connection, inside the caller's transaction. */
export function sqliteCertifyJob(store: Store): CertifyJob {
  const db = sqliteOf(store, 'timecards certify')
  return {
    async skipped(q) {
      const cards = cardsOfQuery(q)
      const r = rules(q)
      // Each card gives at most one reason, the first that applies, as the rules are read in order.
      return db.prepare(`SELECT employeeId, reason FROM (SELECT e.employee_id AS employeeId, CASE
          WHEN NOT (${r.inScope}) THEN 'scope' WHEN ${r.own} THEN 'own-card' WHEN c.status = 'draft' THEN 'not-validated'
          WHEN c.status <> 'validated' AND ? THEN 'already ' || c.status END AS reason
        FROM timecards c JOIN employees e ON e.id = c.employee_ref WHERE ${cards.where} ORDER BY e.employee_id) WHERE reason IS NOT NULL`)
        .all(...r.params, q.requested?.length ? 1 : 0, ...cards.params) as {employeeId: string; reason: string}[]
    },
    async withCards(payPeriod, requested) {
      return new Set(db.prepare(`SELECT e.employee_id FROM timecards c JOIN employees e ON e.id = c.employee_ref
        WHERE c.pay_period_start = ? AND c.is_current = 1 AND e.employee_id IN (SELECT value FROM json_each(?))`).pluck().all(payPeriod, JSON.stringify(requested)) as string[])
    },
    async certify(q, {at, actor}) {
      registerSealFunction(db)
      const cards = cardsOfQuery(q)
      const r = rules(q)
      const ids = db.prepare(`SELECT c.id FROM timecards c JOIN employees e ON e.id = c.employee_ref
        WHERE ${cards.where} AND c.status = 'validated' AND (${r.inScope}) AND NOT (${r.own}) ORDER BY e.employee_id`).pluck().all(...cards.params, ...r.params) as number[]
      if (ids.length === 0) return ids
      const list = JSON.stringify(ids)
      db.prepare(`UPDATE timecards SET status = 'certified', certified_by = ?, certified_at = ?, updated_at = ?, seal = ${sqliteSealSql('timecards')}
        WHERE id IN (SELECT value FROM json_each(?))`).run(actor, at, at, list)
      db.prepare(`INSERT INTO timecard_history (timecard_id, at, actor, action, version, changes, reason)
        SELECT c.id, ?, ?, 'certify', c.version, ?, NULL FROM json_each(?) j JOIN timecards c ON c.id = j.value ORDER BY j.key`).run(at, actor, CERTIFY_CHANGES, list)
      return ids
    },
  }
}

/** Certified and exported card versions whose seal is missing or no longer matches their content. */
/** How many card versions the seal check covers: the certified and exported ones. */
export function sqliteSealedCards(store: Store): number {
  return sqliteOf(store, 'checking timecard seals').prepare("SELECT count(*) FROM timecards WHERE status IN ('certified', 'exported')").pluck().get() as number
}

export function sqliteBrokenSeals(store: Store): {id: number; employee_id: string; pay_period_start: string; version: number; status: 'certified' | 'exported'}[] {
  const db = sqliteOf(store, 'checking timecard seals')
  registerSealFunction(db)
  return db.prepare(`SELECT c.id, e.employee_id, c.pay_period_start, c.version, c.status FROM timecards c JOIN employees e ON e.id = c.employee_ref
    WHERE c.status IN ('certified', 'exported') AND (c.seal IS NULL OR c.seal <> ${sqliteSealSql('c')}) ORDER BY c.id`).all() as never
}
