import {type Insertable, type Selectable, type Updateable, sql} from 'kysely'

import {mayRead} from '../records/kit.js'
import type {Store} from '../store/index.js'
import type {RequestAmendmentTable, RequestExtensionTable, RequestStatementTable, RequestTable} from '../store/schema.js'

/** The requests table and its children, for the Privacy Act request use cases and for retention. */

/**
 * The subject identifiers of open requests (their records may not be destroyed): employee_ids, and the user
 * ids and case numbers of subjects who are no employee (a search links the user id of the account it finds),
 * and the emails and phones (as stored: the email as given, the phone its digits) the requests name.
 */
export async function openRequestSubjectIds(store: Store): Promise<{employeeIds: string[]; userIds: string[]; caseNumbers: string[]; emails: string[]; phones: string[]}> {
  // The email and phone when the session may read them (an auditor's plan may not: records/kit.ts mayRead).
  const reach = await mayRead(store, 'requests', ['email', 'phone'])
  const rows = await store.db.selectFrom('requests').select(['employee_id', 'user_id', 'case_number'])
    .$if(reach, (q) => q.select(['email', 'phone'])).where('status', '=', 'open').execute()
  const of = (values: (string | null)[]) => [...new Set(values.filter((v): v is string => v !== null))]
  return {
    employeeIds: of(rows.map((r) => r.employee_id)), userIds: of(rows.map((r) => r.user_id)), caseNumbers: of(rows.map((r) => r.case_number)),
    emails: of(rows.map((r) => r.email ?? null)), phones: of(rows.map((r) => r.phone ?? null)),
  }
}

export type RequestRow = Selectable<RequestTable>

/** The highest request number of the year a store holds (PA-YYYY-NNNN, numerically), if any. */
export async function lastRequestNumber(store: Store, year: string): Promise<string | undefined> {
  const row = await store.db.selectFrom('requests').select('request_id').where('request_id', 'like', `PA-${year}-%`)
    .orderBy(sql`length(request_id)`, 'desc').orderBy('request_id', 'desc').limit(1).executeTakeFirst()
  return row?.request_id
}

export async function insertRequest(store: Store, request: Omit<Insertable<RequestTable>, 'id'>): Promise<number> {
  const {id} = await store.db.insertInto('requests').values(request).returning('id').executeTakeFirstOrThrow()
  return id
}

export async function updateRequest(store: Store, id: number, values: Updateable<RequestTable>): Promise<void> {
  await store.db.updateTable('requests').set(values).where('id', '=', id).execute()
}

export async function requestByNumber(store: Store, requestId: string): Promise<RequestRow | undefined> {
  return store.db.selectFrom('requests').selectAll().where('request_id', '=', requestId).executeTakeFirst()
}

/** Requests by received date and number, each with its subject's org (one query, however many requests). */
export async function requestRowsWithOrg(store: Store, filter: {status?: 'open' | 'closed'; dueBefore?: string}) {
  let q = store.db.selectFrom('requests').leftJoin('employees', 'employees.employee_id', 'requests.employee_id')
    .selectAll('requests').select('employees.org_code as subject_org').orderBy('requests.received').orderBy('requests.request_id')
  if (filter.status) q = q.where('requests.status', '=', filter.status)
  if (filter.dueBefore) q = q.where('requests.due_by', '<', filter.dueBefore)
  return q.execute()
}

/** A request's extensions, amendments and statements of disagreement, oldest first. */
export async function requestChildren(store: Store, ref: number) {
  const [extensions, amendments, statements] = await Promise.all([
    store.db.selectFrom('request_extensions').selectAll().where('request_ref', '=', ref).orderBy('id').execute(),
    amendmentsOf(store, ref),
    store.db.selectFrom('request_statements').selectAll().where('request_ref', '=', ref).orderBy('id').execute(),
  ])
  return {extensions, amendments, statements}
}

export async function insertExtension(store: Store, extension: Omit<Insertable<RequestExtensionTable>, 'id'>): Promise<void> {
  await store.db.insertInto('request_extensions').values(extension).execute()
}

export async function countExtensions(store: Store, ref: number): Promise<number> {
  const {n} = await store.db.selectFrom('request_extensions').select((eb) => eb.fn.countAll<number>().as('n')).where('request_ref', '=', ref).executeTakeFirstOrThrow()
  return Number(n)
}

export type AmendmentRow = Selectable<RequestAmendmentTable>

/** A request's amendments, oldest first; only those still awaiting a decision with `pending`. */
export async function amendmentsOf(store: Store, ref: number, opts: {pending?: boolean} = {}): Promise<AmendmentRow[]> {
  let q = store.db.selectFrom('request_amendments').selectAll().where('request_ref', '=', ref).orderBy('id')
  if (opts.pending) q = q.where('status', '=', 'pending')
  return q.execute()
}

export async function insertAmendment(store: Store, amendment: Omit<Insertable<RequestAmendmentTable>, 'id'>): Promise<number> {
  const {id} = await store.db.insertInto('request_amendments').values(amendment).returning('id').executeTakeFirstOrThrow()
  return id
}

/** Amendments by id, oldest first. */
export async function amendmentsById(store: Store, ids: readonly number[]): Promise<AmendmentRow[]> {
  if (ids.length === 0) return []
  return store.db.selectFrom('request_amendments').selectAll().where('id', 'in', ids).orderBy('id').execute()
}

export async function decideAmendment(store: Store, id: number, decision: Pick<Updateable<RequestAmendmentTable>, 'status' | 'decision_reason' | 'decided_by' | 'decided_at'>): Promise<void> {
  await store.db.updateTable('request_amendments').set(decision).where('id', '=', id).execute()
}

/** The records whose amendment the request denied, each once. */
export async function deniedRecords(store: Store, ref: number): Promise<{record_type: string; record_id: string}[]> {
  return store.db.selectFrom('request_amendments').select(['record_type', 'record_id']).distinct()
    .where('request_ref', '=', ref).where('status', '=', 'denied').orderBy('record_type').orderBy('record_id').execute()
}

export async function insertStatement(store: Store, statement: Omit<Insertable<RequestStatementTable>, 'id'>): Promise<void> {
  await store.db.insertInto('request_statements').values(statement).execute()
}

/** Every statement of disagreement on records of the subject (by employee_id), oldest first, with its request. */
export async function statementsOfSubject(store: Store, employeeId: string) {
  return store.db.selectFrom('request_statements as s').innerJoin('requests as r', 'r.id', 's.request_ref')
    .select(['r.request_id', 's.record_type', 's.record_id', 's.filed_at', 's.statement'])
    .where('r.employee_id', '=', employeeId).orderBy('s.id').execute()
}
