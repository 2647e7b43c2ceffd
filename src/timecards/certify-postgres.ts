import {pgRows} from '../store/postgres.js'
import type {PostgresStore, Store} from '../store/store.js'
import {CERTIFY_CHANGES, type CertifyJob, type CertifyQuery} from './certify-sqlite.js'
import {SEAL_TAG} from './seal-text.js'

/**
 * PostgreSQL engine file: the data side of `timecards certify`, set-wise. Row-level security already hides the
 * cards outside the login's scope (custodian_cards_out_of_scope names them, no more, for the skipped list); one
 * statement picks the cards the rules allow, certifies and seals them and writes their history.
 */

/** The seal of card `t` in PostgreSQL SQL: the same text as seal-text.ts, hashed by the server. */
export const postgresSealSql = (t: string): string => `encode(sha256(convert_to('${SEAL_TAG}' || E'\\n' || ${t}.id::text || E'\\n' || ${t}.employee_ref::text
    || E'\\n' || ${t}.pay_period_start || E'\\n' || ${t}.version::text || E'\\n' || coalesce((SELECT string_agg(l.work_date || E'\\t' || l.hour_type || E'\\t'
    || l.accounting_code || E'\\t' || l.hours::text, E'\\n' ORDER BY l.work_date COLLATE "C", l.hour_type COLLATE "C", l.accounting_code COLLATE "C")
    FROM timecard_lines l WHERE l.timecard_id = ${t}.id), ''), 'UTF8')), 'hex')`

/** The WHERE clause of the cards a query covers ($1 pay period, $2 requested employee_ids or NULL for all). */
const CARDS = 'c.pay_period_start = $1 AND c.is_current = 1 AND ($2::text[] IS NULL OR e.employee_id = ANY($2::text[]))'
/** The operator's own card ($3: their employee_id or NULL). */
const OWN = 'e.employee_id IS NOT DISTINCT FROM $3'
/** In the operator's org scope ($4: their org prefix or NULL), for a login the server does not scope (a superuser). */
const IN_SCOPE = '($4::text IS NULL OR starts_with(e.org_code, $4::text))'

export async function postgresCertifyJob(store: Store): Promise<CertifyJob> {
  const pg = store as PostgresStore
  const query = <R>(text: string, values: unknown[] = []) => pgRows<R>(pg, text, values)
  const params = (q: CertifyQuery) => [q.payPeriod, q.requested?.length ? q.requested : null, q.ownEmployeeId, q.orgPrefix]
  return {
    async skipped(q) {
      const visible = await query<{employeeId: string; reason: string}>(`SELECT "employeeId", reason FROM (SELECT e.employee_id AS "employeeId", CASE
          WHEN NOT ${IN_SCOPE} THEN 'scope' WHEN ${OWN} THEN 'own-card' WHEN c.status = 'draft' THEN 'not-validated' WHEN c.status <> 'validated' AND $5 THEN 'already ' || c.status END AS reason
        FROM timecards c JOIN employees e ON e.id = c.employee_ref WHERE ${CARDS} ORDER BY e.employee_id) s WHERE reason IS NOT NULL`, [...params(q), Boolean(q.requested?.length)])
      // The cards the server hides from this login: skipped for their scope, in employee_id order among the rest.
      const hidden = (await query<{id: string}>('SELECT id FROM custodian_cards_out_of_scope($1) AS id', [q.payPeriod]))
        .map((r) => r.id).filter((id) => !q.requested?.length || q.requested.includes(id))
      if (hidden.length === 0) return visible
      return [...visible, ...hidden.map((employeeId) => ({employeeId, reason: 'scope'}))]
        .sort((a, b) => (a.employeeId < b.employeeId ? -1 : a.employeeId > b.employeeId ? 1 : 0))
    },
    async withCards(payPeriod, requested) {
      const visible = await query<{id: string}>(`SELECT e.employee_id AS id FROM timecards c JOIN employees e ON e.id = c.employee_ref
        WHERE c.pay_period_start = $1 AND c.is_current = 1 AND e.employee_id = ANY($2::text[])`, [payPeriod, requested])
      const hidden = await query<{id: string}>('SELECT id FROM custodian_cards_out_of_scope($1) AS id', [payPeriod])
      return new Set([...visible, ...hidden].map((r) => r.id))
    },
    async certify(q, {at, actor}) {
      const rows = await query<{id: number}>(`WITH picked AS (
          SELECT c.id, c.version, e.employee_id FROM timecards c JOIN employees e ON e.id = c.employee_ref
          WHERE ${CARDS} AND c.status = 'validated' AND ${IN_SCOPE} AND NOT (${OWN}) FOR UPDATE OF c),
        certified AS (UPDATE timecards t SET status = 'certified', certified_by = $5, certified_at = $6, updated_at = $6, seal = ${postgresSealSql('t')}
          FROM picked WHERE t.id = picked.id),
        history AS (INSERT INTO timecard_history (timecard_id, at, actor, action, version, changes, reason)
          SELECT id, $6, $5, 'certify', version, $7, NULL FROM picked ORDER BY employee_id)
        SELECT id FROM picked ORDER BY employee_id`, [...params(q), actor, at, CERTIFY_CHANGES])
      return rows.map((r) => r.id)
    },
  }
}

/** Certified and exported card versions whose seal is missing or no longer matches: every card, whatever the login's scope. */
export async function postgresBrokenSeals(store: Store): Promise<{id: number; employee_id: string; pay_period_start: string; version: number; status: 'certified' | 'exported'}[]> {
  return pgRows(store as PostgresStore, 'SELECT id, employee_id, pay_period_start, version, status FROM custodian_broken_card_seals() ORDER BY id')
}

/**
 * How many card versions audit verify's seal check covers (certified and exported), whatever the login's scope;
 * null on a store whose init predates the function (run init again).
 */
export async function postgresSealedCards(store: Store): Promise<number | null> {
  const [{fn}] = await pgRows<{fn: string | null}>(store as PostgresStore, "SELECT to_regprocedure('custodian_sealed_card_count()')::text AS fn")
  if (fn === null) return null
  return Number((await pgRows<{n: string}>(store as PostgresStore, 'SELECT custodian_sealed_card_count() AS n'))[0].n)
}

/** The SECURITY DEFINER function behind postgresSealedCards (store/postgres-security.ts defines it at init). */
export const SEALED_CARDS_FUNCTION_BODY = "SELECT count(*) FROM timecards WHERE status IN ('certified', 'exported')"

/** The SECURITY DEFINER function behind postgresBrokenSeals (store/postgres-security.ts defines it at init). */
export const BROKEN_SEALS_FUNCTION_BODY = `SELECT c.id::int, e.employee_id::text, c.pay_period_start::text, c.version::int, c.status::text FROM timecards c JOIN employees e ON e.id = c.employee_ref
  WHERE c.status IN ('certified', 'exported') AND (c.seal IS NULL OR c.seal <> ${postgresSealSql('c')})`
