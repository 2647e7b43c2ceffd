import type {Database} from '../store/schema.js'
import {sql} from 'kysely'

import type {Operator} from '../auth/roles.js'
import {usage} from '../errors.js'
import type {Store} from '../store/store.js'

/**
 * What every record type module (src/records/types/) provides, and the helpers they share. A record type is
 * one kind of record the store keeps about a person: retention plans and sweeps, disposal certificates,
 * holds, access search, response packages and the accounting of disclosures iterate the registry
 * (types/index.ts) and never list record types themselves.
 */

/** One record as retention sees it. */
export interface RetentionCandidate {
  /** Surrogate id: the primary key of the record's own table (never personal data). */
  id: number
  /** The civil date the retention period runs from; null while it has not started (open request, no separation). */
  trigger: string | null
  /** employee_ids of the people the record is about: holds and open requests block by these. */
  subjects: string[]
}

/**
 * Who a search is about: every identifier of the subject the systems retrieve by, each in the form it is
 * stored in (the request's subject resolution builds it). A record type finds by the keys its system
 * retrieves by and ignores the rest; an empty list matches nothing.
 */
export interface SubjectKeys {
  /** employee_ids, upper case as stored (OPM/GOVT-1 and the records that name an employee). */
  employeeIds: readonly string[]
  /** Email addresses, lower case. */
  emails: readonly string[]
  /** Telephone numbers, digits only. */
  phones: readonly string[]
  /** Information-system user ids (USPS 550.000), lower case as stored. */
  userIds: readonly string[]
  /** Inquiry case numbers (DOL CRM), upper case. */
  caseNumbers: readonly string[]
}

/** Subject keys from some identifiers, the rest empty. */
export function subjectKeys(keys: Partial<SubjectKeys> = {}): SubjectKeys {
  return {employeeIds: [], emails: [], phones: [], userIds: [], caseNumbers: [], ...keys}
}

/** Whether the keys name nobody (every list empty). */
export const noSubject = (keys: SubjectKeys): boolean => Object.values(keys).every((list: readonly string[]) => list.length === 0)

/**
 * The retention subjects (RetentionCandidate.subjects) an email and a phone stand for, in one form for every
 * record type and for the open requests that name them: `email:` and the address in lower case, `phone:` and
 * its digits only (a leading 1 before ten digits dropped, as the stores keep US numbers). Record types found by
 * email or phone carry these, and their `subjectsOf` maps a request's keys through `reachSubjectsOf`, so an
 * open request by email or phone keeps them.
 */
export const emailSubject = (email: string): string => `email:${email.trim().toLowerCase()}`

export function phoneSubject(phone: string): string {
  const digits = phone.replaceAll(/\D/g, '')
  return `phone:${digits.length === 11 && digits.startsWith('1') ? digits.slice(1) : digits}`
}

/** The subjects of a record's email and phones (none for empty values). */
export function reachSubjects(email: string | null, phones: readonly (string | null)[]): string[] {
  const out = email && email.trim() !== '' ? [emailSubject(email)] : []
  for (const p of phones) if (p && /\d/.test(p)) out.push(phoneSubject(p))
  return [...new Set(out)]
}

/** The subjects a request's emails and phones stand for (SubjectKeys as `subjectsOf` receives them). */
export const reachSubjectsOf = (keys: SubjectKeys): string[] => reachSubjects(null, keys.phones).concat(keys.emails.map(emailSubject))

/**
 * Whether the session may read the columns of a table: always on SQLite; on PostgreSQL by the role's grants.
 * An auditor's plan reads the records' triggers only, never an email or a phone (postgres-security.ts), so
 * the email and phone subjects are left out of the plans it reads (a sweep, by a records officer, has them).
 */
export async function mayRead(store: Store, table: string, columns: readonly string[]): Promise<boolean> {
  if (store.engine === 'sqlite') return true
  const {rows} = await store.pool.query<{ok: boolean}>({
    text: "SELECT bool_and(has_column_privilege(current_user, $1::text, c, 'SELECT')) AS ok FROM unnest($2::text[]) AS c",
    values: [table, [...columns]],
  })
  return rows[0]?.ok === true
}

/**
 * The retention subject of a contact or inquiry that an open request names by email or phone, when the session
 * may not read emails and phones (an auditor's plan on PostgreSQL): the server says which records those are
 * (custodian_reach_requested, postgres-security.ts) without showing the addresses, and an open request stands
 * for this subject too (retention/service.ts), so the plan counts them blocked as a records officer's does.
 */
export const REACH_REQUESTED = 'reach:requested'

/** The ids of the `source` records an open request names by email or phone, when the session cannot read those columns; null when it can (its subjects carry them). */
export async function reachRequested(store: Store, source: 'contacts' | 'inquiries', columns: readonly string[]): Promise<ReadonlySet<number> | null> {
  if (store.engine === 'sqlite' || (await mayRead(store, source, columns))) return null
  const {rows} = await store.pool.query<{id: string}>({text: 'SELECT custodian_reach_requested($1) AS id', values: [source]})
  return new Set(rows.map((r) => Number(r.id)))
}

/** A candidate's subjects with REACH_REQUESTED added when its id is among `requested`. */
export const withReachRequested = (subjects: string[], id: number, requested: ReadonlySet<number> | null): string[] =>
  requested?.has(id) ? [...subjects, REACH_REQUESTED] : subjects

/** The built-in systems of records (RULES.md): every record type belongs to exactly one. */
export const SYSTEM_IDS = ['OPM/GOVT-1', 'USPS-550.000', 'DHS/ALL-002', 'DOL-CRM', 'PA-REQUESTS'] as const
export type SystemId = (typeof SYSTEM_IDS)[number]

export interface RecordTypeEntry<T extends string = string> {
  /** The name on the command line (`<type>:<id>`), in holds, plans, certificates and the accounting. */
  type: T
  /** What one record is, for people (plans, certificates, response packages). */
  title: string
  /** The system of records that holds it (RULES.md "Systems of records"): its notice, routine uses, procedures. */
  system: SystemId
  /** The record in plain words for a letter to the individual: one, many. */
  noun: readonly [one: string, many: string]
  /** The record's own table first, then the tables whose rows are destroyed with it. */
  tables: readonly (keyof Database)[]
  /** The identifiers a record is retrieved by (the SORN's "retrievability"). */
  retrievedBy: readonly string[]
  /** The built-in retention schedule that governs this type (retention_schedules.code). */
  schedule: string
  /** Eligible only once no record of these types about any of its subjects survives the sweep. */
  afterGone: readonly string[]
  /** The record's id is its subject's employee_id (the profile): a disclosure of it needs no id. */
  idIsSubject?: boolean
  /** The subject's records of these types go with a disclosure of this record (a payroll file carries the profile and timecards). */
  carries?: readonly string[]
  /**
   * The fields an individual may ask to amend through a Privacy Act request (5 U.S.C. 552a(d)(2)), as
   * messages list them (a pattern for a timecard's lines); `amender` checks and applies them.
   */
  amendable?: readonly string[]
  /**
   * Hands every record of the type, with its trigger and subjects, to `visit`, one at a time (retention reads
   * them all: plans must count survivors, and a forecast counts a million sign-ins without keeping them).
   * `visit` must not use the store: on SQLite the rows are still being read. `candidatesOf` collects them.
   */
  candidates(store: Store, visit: (candidate: RetentionCandidate) => void): Promise<void>
  /** Destroys the records and every row destroyed with them (`tables`), inside the caller's transaction. */
  destroy(store: Store, ids: readonly number[]): Promise<void>
  /** Every record of the type about the subject (by any of the keys its system retrieves by), for access search and response packages. */
  find(store: Store, subject: SubjectKeys): Promise<Record<string, unknown>[]>
  /** The id a record `find` returned goes by on the command line, after `<recordType>:`. */
  refOf(record: Record<string, unknown>): string
  /**
   * The subject's identifiers a record `find` returned names (an account its user id, email and linked
   * employee_id; a profile its email): an access search widens its keys once through them, so a request by
   * user id also finds the linked employee's records. `name` is the subject's name as the record has it.
   */
  links?(record: Record<string, unknown>): Partial<SubjectKeys> & {name?: string}
  /**
   * The retention subjects (RetentionCandidate.subjects) that identifiers stand for, beyond employee_ids
   * (an account's own subject, see types/account.ts): an open request naming them keeps those records.
   */
  subjectsOf?(keys: SubjectKeys): string[]
  /** How a granted amendment of this type is checked and applied (loaded only when one is: it needs the domain services). */
  amender?(): Promise<{default: Amender}>
}

/**
 * Amendment of a record through a Privacy Act request (5 U.S.C. 552a(d)(2)): the record type's own edit
 * path, reached from requests/amendments.ts. `record` is the record as `find` returned it (the subject's own).
 * Each method runs inside the caller's transaction and throws a CustodianError the caller passes on.
 */
/**
 * The field an amendment names, as one of the record type's amendable fields (any case, trimmed); otherwise a
 * usage error (exit 2) listing them. Every amender reads its `--field` through it.
 */
export function amendableField<F extends string>(entry: {type: string; amendable?: readonly string[]}, field: string): F {
  const f = field.trim().toLowerCase()
  const fields = entry.amendable ?? []
  if (!fields.includes(f)) throw usage(`--field ${field} is not amendable on ${entry.type} records; amendable fields: ${fields.join(', ')}.`)
  return f as F
}

export interface Amender {
  /** The field as stored (`line:2026-11-12:REG`), its current value shown to people, and the value to ask for; or a usage error. */
  check(store: Store, record: Record<string, unknown>, field: string, value: string): Promise<{field: string; current: string | null; requested: string}>
  /**
   * Applies the amendments of one record the agency granted at once (a timecard gets one new version for all
   * its lines), each checked again, with history naming the request.
   */
  apply(store: Store, operator: Operator, record: Record<string, unknown>, changes: readonly {field: string; value: string}[], opts: {reason: string; at: string}): Promise<void>
}

/**
 * Deletes the records `ids` of `table` and, first, their rows in the tables destroyed with them (`children`:
 * table and the column pointing at the record), each in one set-based statement over a temporary table of the
 * ids: a sweep deletes hundreds of thousands of rows, and bulk deletes in key order beat row-by-row cascades.
 * Runs inside the caller's transaction. The temporary table holds surrogate ids only.
 */
export async function destroyWith(store: Store, table: string, children: readonly [table: string, column: string][], ids: readonly number[]): Promise<void> {
  if (store.engine === 'postgres') {
    // One statement per table over the ids as one array parameter.
    for (const [child, column] of children) await sql`DELETE FROM ${sql.table(child)} WHERE ${sql.ref(column)} = ANY(${[...ids]}::int[])`.execute(store.db)
    await sql`DELETE FROM ${sql.table(table)} WHERE id = ANY(${[...ids]}::int[])`.execute(store.db)
    return
  }
  const db = store.sqlite
  db.exec('CREATE TEMP TABLE IF NOT EXISTS destroy_ids (id INTEGER PRIMARY KEY)')
  db.exec('DELETE FROM temp.destroy_ids')
  const add = db.prepare('INSERT OR IGNORE INTO temp.destroy_ids (id) VALUES (?)')
  for (const id of ids) add.run(id)
  for (const [child, column] of children) db.exec(`DELETE FROM ${child} WHERE ${column} IN (SELECT id FROM temp.destroy_ids)`)
  db.exec(`DELETE FROM ${table} WHERE id IN (SELECT id FROM temp.destroy_ids)`)
  db.exec('DELETE FROM temp.destroy_ids')
}

/**
 * Every row of a query written in SQL both engines read alike, as arrays of column values in select order:
 * retention reads every record of a type, so SQLite uses a raw prepared statement (no objects per row).
 */
export async function allRows<T extends unknown[]>(store: Store, text: string): Promise<T[]> {
  if (store.engine === 'sqlite') return store.sqlite.prepare(text).raw().all() as T[]
  const {rows} = await store.pool.query({text, rowMode: 'array'})
  return rows as T[]
}

/**
 * Hands each row of a query (as allRows reads it) to `visit` while it is read: on SQLite a raw iterating
 * statement, so a million rows never sit in memory at once. `visit` must not use the store.
 */
export async function eachRow<T extends unknown[]>(store: Store, text: string, visit: (row: T) => void): Promise<void> {
  if (store.engine === 'sqlite') {
    for (const row of store.sqlite.prepare(text).raw().iterate()) visit(row as T)
    return
  }
  const {rows} = await store.pool.query({text, rowMode: 'array'})
  for (const row of rows) visit(row as T)
}

/** Every record of a type with its trigger and subjects, in one list (plans and sweeps decide over all of them). */
export async function candidatesOf(entry: Pick<RecordTypeEntry, 'candidates'>, store: Store): Promise<RetentionCandidate[]> {
  const out: RetentionCandidate[] = []
  await entry.candidates(store, (c) => out.push(c))
  return out
}

export const parseJson = (s: string): unknown => JSON.parse(s)

/**
 * The rows of a child table for many parents at once (one query per 500 parents, not one per parent),
 * grouped by parent id in the order the query returns them; the parent column itself is left out.
 */
export async function childRows<R extends Record<string, unknown>>(ids: readonly number[], parent: keyof R & string, load: (part: number[]) => Promise<R[]>): Promise<Map<number, Record<string, unknown>[]>> {
  const byParent = new Map<number, Record<string, unknown>[]>()
  for (let i = 0; i < ids.length; i += 500) {
    const part = ids.slice(i, i + 500)
    for (const {[parent]: ref, ...rest} of await load(part)) {
      const list = byParent.get(ref as number)
      if (list) list.push(rest)
      else byParent.set(ref as number, [rest])
    }
  }
  return byParent
}


/** A record type module's entry, its name kept as a literal type (so the registry's union of names is exact). */
export function defineRecordType<const T extends string>(entry: RecordTypeEntry<T>): RecordTypeEntry<T> {
  return entry
}
