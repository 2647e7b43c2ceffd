import {createHash} from 'node:crypto'

import {type Kysely, sql} from 'kysely'

import {ROLES, type Role} from '../auth/roles.js'
import {CustodianError, ExitCode} from '../errors.js'
import {type Database, tableColumns} from './schema.js'
import type {PostgresStore} from './store.js'
import {BROKEN_SEALS_FUNCTION_BODY, SEALED_CARDS_FUNCTION_BODY} from '../timecards/certify-postgres.js'
import {NEW_CARDS, NEW_CARD_LINES, STAGE_TABLE, insertLinesSql} from '../timecards/import-postgres-sql.js'

/**
 * PostgreSQL engine file: the server itself enforces custodian's roles (CLI.md, "Shared store on PostgreSQL").
 * `init` runs `secureStore` after the migrations, every time (idempotent). It makes:
 *
 * - one NOLOGIN group role per custodian role and database, named by `groupRole` (role names are
 *   cluster-wide, so the database is part of the name); an operator's login is a member of its role's group;
 * - the table and column privileges of each group (GRANTS below, as data), and nothing for PUBLIC;
 * - `employees.ssn_cipher` and `ssn_hash` (the sealed SSN, store/ssn-vault.ts) readable only by admin, payroll and privacy-officer; other roles get a masked SSN or a
 *   duplicate check through narrow SECURITY DEFINER functions (custodian_ssn_last4, custodian_ssn_taken,
 *   custodian_ssn_is, custodian_employee_org);
 * - row-level security for org scopes: an operator with an org prefix sees the employees whose org_code
 *   starts with it, and their history, timecards, lines and card history (custodian_org_scope());
 * - history written in the login's own name: a restrictive policy refuses an employee_history or
 *   timecard_history row whose actor is not session_user, so nobody records a change as someone else's;
 * - an append-only audit trail: no role may write audit_log or the `audit.head` setting; entries are appended
 *   by custodian_audit_append, which takes the store's write lock, records session_user as the actor and
 *   computes the chain hash exactly as audit/chain.ts does (entryHash); triggers refuse UPDATE, DELETE and
 *   TRUNCATE of audit_log to everyone, its owner included. custodian_audit_append_keyed also keeps the MAC the
 *   client computed under the store's key: the grants stop every login from rewriting the trail, and the key
 *   makes a rewrite by whoever can lift them (the table's owner, a superuser) or an entry appended without
 *   custodian's key (psql calling the function) visible to `audit verify`. os_user is null here: the login
 *   (session_user, in `actor`) is the identity, and an OS account the client reports would prove nothing.
 *
 * Row-level security is enabled, not forced: the tables belong to the database user who ran init (a DBA,
 * who can switch any of this off anyway), and custodian's SECURITY DEFINER helpers run as that owner so that
 * an SSN duplicate check, for instance, sees employees outside the caller's scope.
 */

/** The store's write lock (store/postgres.ts): the audit function takes it too, so psql cannot race a writer. */
const WRITE_LOCK = 0x637573746f64

const quoteIdent = (name: string): string => `"${name.replaceAll('"', '""')}"`
const ident = (name: string) => sql.raw(quoteIdent(name))

/**
 * The group role of a custodian role in a database: `custodian_<database>_<role>`, lower case, every
 * character outside a-z, 0-9 and _ made _, at most 63 bytes (PostgreSQL's limit). A database name too long
 * for that keeps its first characters and gets 8 hex digits of its sha256, so two databases never share a name.
 */
export function groupRole(database: string, role: Role): string {
  const clean = (s: string) => s.toLowerCase().replaceAll(/[^a-z0-9_]/g, '_')
  const suffix = `_${clean(role)}`
  const room = 63 - 'custodian_'.length - suffix.length
  let db = clean(database)
  if (db.length > room || db !== database) db = `${db.slice(0, room - 9)}_${createHash('sha256').update(database).digest('hex').slice(0, 8)}`
  return `custodian_${db}${suffix}`
}

const columns = (table: keyof Database, except: readonly string[] = []) => Object.keys(tableColumns[table]).filter((c) => !except.includes(c)).join(', ')
/** Every column of employees but the sealed SSN and its keyed hash (store/ssn-vault.ts), and of requests but the requester's ssn. */
const EMPLOYEE_NO_SSN = columns('employees', ['ssn_cipher', 'ssn_hash'])
const REQUEST_NO_SSN = columns('requests', ['ssn'])
const ALL = 'SELECT, INSERT, UPDATE, DELETE'

type Table = keyof Database | 'kysely_migration'
type Grants = Partial<Record<Table, string>>

/** What every role's commands need: the schema version, who operators are, code tables, files beside the store. */
const EVERYONE: Grants = {
  kysely_migration: 'SELECT',
  operators: 'SELECT',
  settings: 'SELECT',
  hour_types: 'SELECT',
  closure_days: 'SELECT',
  file_outputs: ALL,
  output_folders: ALL,
  // systems list, show, notice (every role); retention_schedules for the notice's periods
  systems: 'SELECT',
  routine_uses: 'SELECT',
  retention_schedules: 'SELECT',
}

/**
 * Each role's privileges, table by table, in GRANT's own words (a column list limits a privilege to those
 * columns), on top of EVERYONE. Derived from the roles table of CLI.md and what each command's queries touch.
 * Nobody gets INSERT, UPDATE, DELETE or TRUNCATE on audit_log; settings writes are further limited by
 * row-level security (SETTINGS_WRITERS).
 */
export const GRANTS: Record<Role, Grants> = {
  admin: {
    settings: ALL, operators: ALL, audit_log: 'SELECT', import_batches: ALL, import_reject_codes: ALL, employees: ALL, employee_history: ALL,
    hour_types: ALL, closure_days: ALL, timecards: ALL, timecard_lines: ALL, timecard_history: ALL,
    payroll_batches: ALL, payroll_batch_cards: ALL, payroll_batch_subjects: ALL, payroll_batch_chunks: ALL, disclosures: ALL,
    retention_schedules: ALL, holds: ALL, hold_employees: ALL, disposals: ALL, requests: ALL,
    request_extensions: ALL, request_amendments: ALL, request_statements: ALL, systems: ALL, routine_uses: ALL, accounts: ALL, sign_ins: ALL,
    inquiry_categories: ALL, inquiry_routes: ALL, inquiries: ALL, inquiry_updates: ALL,
    contacts: ALL, interactions: ALL, do_not_contact: ALL, disposal_reviews: ALL, disposal_review_items: ALL,
  },
  // personnel import, separate; timesheets import; timecards validate, amend, show, list, history
  timekeeper: {
    employees: `SELECT (${EMPLOYEE_NO_SSN}), INSERT, UPDATE`,
    employee_history: 'INSERT',
    import_batches: 'SELECT, INSERT, UPDATE', import_reject_codes: 'SELECT, INSERT',
    timecards: 'SELECT, INSERT, UPDATE',
    timecard_lines: 'SELECT, INSERT, UPDATE',
    timecard_history: 'SELECT, INSERT',
  },
  // personnel show, list (SSN masked); timecards show, list, history, certify
  supervisor: {
    employees: `SELECT (${EMPLOYEE_NO_SSN})`,
    timecards: 'SELECT, UPDATE (status, certified_by, certified_at, updated_at, seal)',
    timecard_lines: 'SELECT',
    timecard_history: 'SELECT, INSERT',
  },
  // personnel and timecards show/list; payroll export (the file carries SSNs), reexport, batches
  payroll: {
    employees: 'SELECT, UPDATE (annual_leave_balance, sick_leave_balance, comp_time_balance, updated_at)',
    employee_history: 'INSERT',
    timecards: 'SELECT, UPDATE (status, export_batch_id, updated_at)',
    timecard_lines: 'SELECT',
    timecard_history: 'SELECT, INSERT',
    payroll_batches: 'SELECT, INSERT, UPDATE',
    payroll_batch_cards: 'SELECT, INSERT',
    payroll_batch_subjects: 'SELECT, INSERT',
    payroll_batch_chunks: 'SELECT, INSERT', // the batch's file as it is written (sealed chunks), read by reexport
    disclosures: 'SELECT (id), INSERT',
  },
  // retention schedules (set), plan, sweep (reads and destroys every record type, no SSN), disposals, holds; audit
  'records-officer': {
    settings: ALL, // its own key only (SETTINGS_WRITERS): a compaction pending after a sweep
    audit_log: 'SELECT',
    retention_schedules: 'SELECT, UPDATE (retain_months, updated_at, updated_by)',
    holds: 'SELECT, INSERT, UPDATE', hold_employees: 'SELECT, INSERT', disposals: 'SELECT, INSERT',
    // disposition reviews: submit (its frozen records), approve, reject, sweep; who may move a review on is the
    // trigger custodian_review_guard's (never the submitter's approval)
    disposal_reviews: 'SELECT, INSERT, UPDATE (status, approved_by, approved_at, rejected_by, rejected_at, reject_reason, disposal_id, swept_by, swept_at)',
    disposal_review_items: 'SELECT, INSERT',
    employees: `SELECT (${EMPLOYEE_NO_SSN}), DELETE`, employee_history: 'SELECT, DELETE',
    timecards: 'SELECT, DELETE', timecard_lines: 'SELECT, DELETE', timecard_history: 'SELECT, DELETE',
    payroll_batches: 'SELECT, DELETE', payroll_batch_cards: 'SELECT, DELETE', payroll_batch_subjects: 'SELECT, DELETE',
    payroll_batch_chunks: 'SELECT, DELETE', // a sweep destroys a batch's kept file (sealed chunks) with the batch
    disclosures: 'SELECT, DELETE',
    requests: `SELECT (${REQUEST_NO_SSN}), DELETE`,
    request_extensions: 'SELECT, DELETE', request_amendments: 'SELECT, DELETE', request_statements: 'SELECT, DELETE',
    accounts: 'SELECT, DELETE', sign_ins: 'SELECT, DELETE',
    inquiries: 'SELECT, DELETE', inquiry_updates: 'SELECT, DELETE',
    contacts: 'SELECT, DELETE', interactions: 'SELECT, DELETE',
    // reports imports: reject codes per batch, never a row's content
    import_batches: 'SELECT (id, kind, imported_at)', import_reject_codes: 'SELECT',
  },
  // requests (all verbs: search and fulfil read every record type, amend changes them); disclosures; reveal SSN;
  // retention plan, schedules, disposals, certificates, holds list
  'privacy-officer': {
    settings: 'SELECT, INSERT, UPDATE', // its own keys only (SETTINGS_WRITERS): request numbers
    // a granted amendment changes the fields a profile shows the individual (employee.amendable), and a timecard
    // gets a new draft version (timecards amend's path: the old version stops being current)
    employees: 'SELECT, UPDATE (last_name, first_name, middle_name, email, ssn_cipher, ssn_hash, ssn_last4, service_comp_date, hire_date, pay_plan, grade, step, tour_of_duty, agency_code, org_code, supervisor_id, name_key, updated_at)',
    employee_history: 'SELECT, INSERT',
    timecards: 'SELECT, INSERT, UPDATE (is_current)', timecard_lines: 'SELECT, INSERT', timecard_history: 'SELECT, INSERT',
    payroll_batches: 'SELECT', payroll_batch_cards: 'SELECT', payroll_batch_subjects: 'SELECT', payroll_batch_chunks: 'SELECT',
    disclosures: 'SELECT, INSERT',
    requests: 'SELECT, INSERT, UPDATE', request_extensions: 'SELECT, INSERT', request_amendments: 'SELECT, INSERT, UPDATE',
    request_statements: 'SELECT, INSERT',
    retention_schedules: 'SELECT', holds: 'SELECT', hold_employees: 'SELECT', disposals: 'SELECT',
    accounts: 'SELECT, UPDATE (name, email, department, updated_at)', sign_ins: 'SELECT', // accounts show, list; access search; a granted amendment
    // inquiries list, show; access search; a granted amendment changes the intake fields inquiry.amendable names
    // (the name's matching key follows the name) and notes it among the case's updates
    inquiries: 'SELECT, UPDATE (first_name, last_name, name_key, home_zip, phone, email, company, street, city, county, state, workplace_zip, updated_at)',
    inquiry_updates: 'SELECT, INSERT',
    // contacts list, show (unmasked); access search; a granted amendment changes the fields contact.amendable names
    contacts: 'SELECT, UPDATE (name, salutation, organization, title, email, work_phone, cell_phone, work_address, issues, interests, notes, updated_at)',
    interactions: 'SELECT',
    do_not_contact: 'SELECT', // a granted amendment of a contact's email or phone is checked against the list (CT-DO-NOT-CONTACT)
    // reports imports: reject codes per batch, never a row's content
    import_batches: 'SELECT (id, kind, imported_at)', import_reject_codes: 'SELECT',
  },
  // audit log, verify; operators list; retention schedules, plan (the records' triggers only), disposals, holds list,
  // disposition reviews list
  auditor: {
    audit_log: 'SELECT',
    disposal_reviews: 'SELECT', disposal_review_items: 'SELECT',
    retention_schedules: 'SELECT', holds: 'SELECT', hold_employees: 'SELECT', disposals: 'SELECT',
    employees: 'SELECT (id, employee_id, org_code, separation_date)',
    timecards: 'SELECT (id, employee_ref, pay_period_start)',
    payroll_batches: 'SELECT (id, created_at)', payroll_batch_subjects: 'SELECT',
    disclosures: 'SELECT (id, disclosed_on, subject_employee_id)',
    // open requests' subjects block a plan's records; reports requests counts by type and clock (no requester, no SSN)
    requests: 'SELECT (id, request_id, type, status, received, due_by, closed_on, employee_id, user_id, case_number)',
    accounts: 'SELECT', sign_ins: 'SELECT', // accounts show, list (sign-in counts); retention plans
    // retention plans (the records' triggers only); reports inquiries (status, category, agency, days to answer)
    inquiries: 'SELECT (id, case_number, status, closed_on, received, category, routed_to)', inquiry_updates: 'SELECT (id, inquiry_ref, at, status)',
    // reports imports: reject codes per batch, never a row's content
    import_batches: 'SELECT (id, kind, imported_at)', import_reject_codes: 'SELECT',
    contacts: 'SELECT (id, last_contacted, created_at)', interactions: 'SELECT (id, contact_ref)', // retention plans
  },
  // outreach staff (DHS/ALL-002 contacts, DOL CRM inquiries): their tables come with those systems; systems list, show, notice
  liaison: {
    // settings: its own keys only (SETTINGS_WRITERS): inquiry case numbers, a compaction pending after a forget
    settings: ALL,
    // DOL CRM inquiries: open (a case number from its own settings key), status, list, show, update, close; routing read only
    inquiry_categories: 'SELECT', inquiry_routes: 'SELECT',
    inquiries: 'SELECT, INSERT, UPDATE (status, updated_at, closed_on, closed_by)', inquiry_updates: 'SELECT, INSERT',
    // contacts add, import, list, show, touch; forget (its own contacts: destroyed as a sweep destroys, hashes kept)
    contacts: 'SELECT, INSERT, UPDATE (last_contacted, updated_at), DELETE', interactions: 'SELECT, INSERT, DELETE',
    do_not_contact: 'SELECT, INSERT', import_batches: 'SELECT, INSERT, UPDATE', import_reject_codes: 'INSERT',
    holds: 'SELECT', hold_employees: 'SELECT', disposals: 'SELECT, INSERT',
  },
}

/** Which settings a role may write (row-level security on settings); `audit.head` is nobody's. */
const SETTINGS_WRITERS: Partial<Record<Role, string>> = {
  admin: "key <> 'audit.head'",
  'privacy-officer': "key LIKE 'requests.last\\_number.%'",
  'records-officer': "key = 'retention.compaction_pending'",
  liaison: "key = 'retention.compaction_pending' OR key LIKE 'inquiries.last\\_number.%'",
}

/** Which SECURITY DEFINER functions each role may execute, beyond custodian_audit_append (everyone's). */
const FUNCTIONS: Record<string, readonly Role[]> = {
  'custodian_ssn_last4(bigint)': ['admin', 'timekeeper', 'supervisor', 'payroll', 'records-officer', 'privacy-officer'],
  'custodian_ssn_taken(text, text)': ['admin', 'timekeeper', 'privacy-officer'],
  'custodian_ssn_is(bigint, text)': ['admin', 'timekeeper'],
  'custodian_employee_org(text)': ['admin', 'timekeeper'],
  'custodian_cards_out_of_scope(text)': ['admin', 'supervisor'],
  // audit verify's broken seals (timecards/seal.ts), read by roles that may not read timecard lines
  'custodian_broken_card_seals()': ['admin', 'records-officer', 'auditor'],
  'custodian_sealed_card_count()': ['admin', 'records-officer', 'auditor'],
  // A disposal's rewrite of the tables it deleted from (store/postgres-disposal.ts).
  'custodian_rewrite_tables(text[])': ['admin', 'records-officer', 'liaison'],
  // An auditor's retention plan: which contacts and inquiries an open request names by email or phone (ids only).
  'custodian_reach_requested(text)': ['admin', 'auditor'],
  // The timesheet import's staging and new lines, as the owner (the caller's scope checked set-wise).
  'custodian_timesheet_stage(text)': ['admin', 'timekeeper'],
  'custodian_timesheet_lines(integer)': ['admin', 'timekeeper'],
  'custodian_timesheet_new_cards(integer, text, text)': ['admin', 'timekeeper'],
}

/** Tables whose rows belong to an employee, and how a row reaches its employee (row-level security). */
const SCOPED: Record<string, string> = {
  employees: 'starts_with(org_code, (SELECT custodian_org_scope()))',
  employee_history: 'EXISTS (SELECT 1 FROM employees e WHERE e.id = employee_ref)',
  timecards: 'EXISTS (SELECT 1 FROM employees e WHERE e.id = employee_ref)',
  timecard_lines: 'EXISTS (SELECT 1 FROM timecards c WHERE c.id = timecard_id)',
  timecard_history: 'EXISTS (SELECT 1 FROM timecards c WHERE c.id = timecard_id)',
}

/** Tables of who changed what (their `actor`), besides the audit trail: scoped above, and written in the login's name only. */
const HISTORY_TABLES = ['employee_history', 'timecard_history'] as const

/** records/kit.ts emailSubject and phoneSubject in SQL: `email:` and the address in lower case; `phone:` and its digits, a leading 1 before ten dropped. */
const EMAIL_SUBJECT = (column: string) => `'email:' || lower(btrim(${column}))`
const PHONE_SUBJECT = (column: string) => {
  const digits = `regexp_replace(${column}, '[^0-9]', '', 'g')`
  return `'phone:' || CASE WHEN length(${digits}) = 11 AND left(${digits}, 1) = '1' THEN substr(${digits}, 2) ELSE ${digits} END`
}

/** The functions, in the store's schema, running as the owner with a fixed search_path. */
function functionsSql(schema: string): string {
  const path = `SET search_path = ${quoteIdent(schema)}, pg_temp`
  const json = (v: string) => `coalesce(to_json(${v})::text, 'null')`
  return `
CREATE OR REPLACE FUNCTION custodian_org_scope() RETURNS text
  LANGUAGE sql STABLE SECURITY DEFINER ${path} AS $f$
  -- '' for an admin or an agency-wide operator, the org prefix of a scoped one, NULL (nothing) for anyone else.
  SELECT CASE WHEN o.role = 'admin' THEN '' ELSE coalesce(o.org_prefix, '') END FROM operators o WHERE o.name = session_user
$f$;

CREATE OR REPLACE FUNCTION custodian_ssn_last4(employee bigint) RETURNS text
  LANGUAGE sql STABLE SECURITY DEFINER ${path} AS $f$
  SELECT e.ssn_last4 FROM employees e WHERE e.id = $1 AND starts_with(e.org_code, custodian_org_scope())
$f$;

CREATE OR REPLACE FUNCTION custodian_ssn_taken(wanted text, other_than text) RETURNS boolean
  LANGUAGE sql STABLE SECURITY DEFINER ${path} AS $f$
  -- Whether an employee other than employee_id $2 has the SSN of keyed hash $1 (PE-SSN-DUP), in any org.
  SELECT EXISTS (SELECT 1 FROM employees e WHERE e.ssn_hash = $1 AND e.employee_id <> $2)
$f$;

CREATE OR REPLACE FUNCTION custodian_ssn_is(employee bigint, wanted text) RETURNS boolean
  LANGUAGE sql STABLE SECURITY DEFINER ${path} AS $f$
  -- Whether an employee in the caller's scope has the SSN of keyed hash $2 (NULL: has none): an import's before-and-after.
  SELECT e.ssn_hash IS NOT DISTINCT FROM $2 FROM employees e WHERE e.id = $1 AND starts_with(e.org_code, custodian_org_scope())
$f$;

CREATE OR REPLACE FUNCTION custodian_employee_org(wanted text) RETURNS text
  LANGUAGE sql STABLE SECURITY DEFINER ${path} AS $f$
  -- The org of an employee_id in any org: an import rejects rows outside the importer's scope (PE-SCOPE).
  SELECT e.org_code FROM employees e WHERE e.employee_id = $1
$f$;

CREATE OR REPLACE FUNCTION custodian_cards_out_of_scope(period text) RETURNS SETOF text
  LANGUAGE sql STABLE SECURITY DEFINER ${path} AS $f$
  -- The employee_ids of a pay period's current cards outside the caller's scope (and nothing else about them):
  -- certify reports them skipped with reason "scope", as on SQLite.
  SELECT e.employee_id FROM timecards c JOIN employees e ON e.id = c.employee_ref
  WHERE c.pay_period_start = $1 AND c.is_current = 1 AND custodian_org_scope() <> '' AND NOT starts_with(e.org_code, custodian_org_scope())
$f$;

CREATE OR REPLACE FUNCTION custodian_reach_requested(source text) RETURNS SETOF bigint
  LANGUAGE sql STABLE SECURITY DEFINER ${path} AS $f$
  -- The ids of the contacts ($1 = 'contacts') or inquiries ($1 = 'inquiries') whose email or phone an open request
  -- names, and nothing else about them or the request: an auditor's retention plan, which may read no email or
  -- phone, counts them blocked by a request as a records officer's plan does. Email and phone are compared in the
  -- form of records/kit.ts emailSubject and phoneSubject.
  WITH wanted AS (
    SELECT ${EMAIL_SUBJECT('r.email')} AS s FROM requests r WHERE r.status = 'open' AND btrim(coalesce(r.email, '')) <> ''
    UNION SELECT ${PHONE_SUBJECT('r.phone')} FROM requests r WHERE r.status = 'open' AND r.phone ~ '[0-9]'
  ), reach AS (
    SELECT c.id, ${EMAIL_SUBJECT('c.email')} AS s FROM contacts c WHERE $1 = 'contacts' AND btrim(coalesce(c.email, '')) <> ''
    UNION ALL SELECT c.id, ${PHONE_SUBJECT('c.work_phone')} FROM contacts c WHERE $1 = 'contacts' AND c.work_phone ~ '[0-9]'
    UNION ALL SELECT c.id, ${PHONE_SUBJECT('c.cell_phone')} FROM contacts c WHERE $1 = 'contacts' AND c.cell_phone ~ '[0-9]'
    UNION ALL SELECT i.id, ${EMAIL_SUBJECT('i.email')} FROM inquiries i WHERE $1 = 'inquiries' AND btrim(coalesce(i.email, '')) <> ''
    UNION ALL SELECT i.id, ${PHONE_SUBJECT('i.phone')} FROM inquiries i WHERE $1 = 'inquiries' AND i.phone ~ '[0-9]'
  )
  SELECT DISTINCT reach.id::bigint FROM reach JOIN wanted ON wanted.s = reach.s
$f$;

CREATE OR REPLACE FUNCTION custodian_sealed_card_count() RETURNS bigint
  LANGUAGE sql STABLE SECURITY DEFINER ${path} AS $f$
  -- How many card versions audit verify's seal check covers (a count, no content).
  ${SEALED_CARDS_FUNCTION_BODY}
$f$;

CREATE OR REPLACE FUNCTION custodian_broken_card_seals()
  RETURNS TABLE (id integer, employee_id text, pay_period_start text, version integer, status text)
  LANGUAGE sql STABLE SECURITY DEFINER ${path} AS $f$
  -- Certified and exported card versions whose content no longer matches their seal (ids, no content): audit verify.
  ${BROKEN_SEALS_FUNCTION_BODY}
$f$;

CREATE OR REPLACE FUNCTION custodian_audit_append_keyed(action text, record_type text, record_id text, digest text, at text, mac text)
  RETURNS audit_log LANGUAGE plpgsql VOLATILE SECURITY DEFINER ${path} AS $f$
DECLARE
  last audit_log;
  entry audit_log;
BEGIN
  PERFORM pg_advisory_xact_lock(${WRITE_LOCK});
  SELECT * INTO last FROM audit_log ORDER BY seq DESC LIMIT 1;
  entry.seq := coalesce(last.seq, 0) + 1;
  entry.at := $5;
  entry.actor := session_user;
  entry.action := $1;
  entry.record_type := $2;
  entry.record_id := $3;
  entry.digest := $4;
  entry.prev_hash := coalesce(last.hash, repeat('0', 64));
  -- audit/chain.ts entryHash: sha256 of JSON.stringify([seq, at, actor, action, recordType, recordId, digest, prevHash]).
  entry.hash := encode(sha256(convert_to('[' || entry.seq::text || ',' || ${json('entry.at')} || ',' || ${json('entry.actor')} || ','
    || ${json('entry.action')} || ',' || ${json('entry.record_type')} || ',' || ${json('entry.record_id')} || ','
    || ${json('entry.digest')} || ',' || ${json('entry.prev_hash')} || ']', 'UTF8')), 'hex');
  -- The HMAC of that hash under the store's key, computed by the client (the server never sees the key); null
  -- when the client could not read the key. The server cannot check it: audit verify, with the key, does.
  entry.mac := $6;
  INSERT INTO audit_log VALUES (entry.*);
  INSERT INTO settings (key, value) VALUES ('audit.head', '{"seq":' || entry.seq::text || ',"hash":"' || entry.hash || '"}')
    ON CONFLICT (key) DO UPDATE SET value = excluded.value;
  RETURN entry;
END
$f$;

CREATE OR REPLACE FUNCTION custodian_review_guard() RETURNS trigger
  LANGUAGE plpgsql ${path} AS $f$
-- Two-person destruction (retention/reviews.ts), enforced whatever the client: a review is submitted under its
-- submitter's own login; approved or rejected once, under another login than the submitter's; swept once
-- approved; never deleted. The tables' owner (who ran init: a DBA, who could drop this trigger) is not held.
BEGIN
  IF session_user = (SELECT pg_get_userbyid(c.relowner) FROM pg_class c WHERE c.oid = TG_RELID) THEN
    RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
  END IF;
  IF TG_OP = 'INSERT' THEN
    IF NEW.status = 'submitted' AND NEW.submitted_by = session_user AND NEW.approved_by IS NULL AND NEW.rejected_by IS NULL
      AND NEW.disposal_id IS NULL AND NEW.swept_by IS NULL THEN
      RETURN NEW;
    END IF;
    RAISE EXCEPTION 'a disposition review is submitted, not yet decided, under its submitter''s own login' USING ERRCODE = 'insufficient_privilege';
  END IF;
  IF TG_OP = 'UPDATE' AND NEW.id = OLD.id AND NEW.review_id = OLD.review_id AND NEW.as_of = OLD.as_of
    AND NEW.submitted_by = OLD.submitted_by AND NEW.submitted_at = OLD.submitted_at THEN
    IF OLD.status = 'submitted' AND NEW.status = 'approved' AND NEW.approved_by = session_user AND session_user <> OLD.submitted_by
      AND NEW.approved_at IS NOT NULL AND NEW.rejected_by IS NULL AND NEW.disposal_id IS NULL AND NEW.swept_by IS NULL THEN
      RETURN NEW;
    END IF;
    IF OLD.status = 'submitted' AND NEW.status = 'rejected' AND NEW.rejected_by = session_user AND session_user <> OLD.submitted_by
      AND NEW.rejected_at IS NOT NULL AND NEW.approved_by IS NULL AND NEW.disposal_id IS NULL AND NEW.swept_by IS NULL THEN
      RETURN NEW;
    END IF;
    IF OLD.status = 'approved' AND NEW.status = 'swept' AND NEW.swept_by = session_user AND NEW.disposal_id IS NOT NULL
      AND NEW.approved_by = OLD.approved_by AND NEW.approved_at = OLD.approved_at AND NEW.rejected_by IS NULL THEN
      RETURN NEW;
    END IF;
  END IF;
  RAISE EXCEPTION 'disposition review %: % is refused (another login than the submitter''s approves or rejects a submitted review; an approved one is swept once; none is deleted)',
    OLD.review_id, TG_OP USING ERRCODE = 'insufficient_privilege';
END
$f$;

CREATE OR REPLACE FUNCTION custodian_review_items_guard() RETURNS trigger
  LANGUAGE plpgsql ${path} AS $f$
-- A review's frozen records are written with the review, by its submitter, and never changed.
BEGIN
  IF session_user = (SELECT pg_get_userbyid(c.relowner) FROM pg_class c WHERE c.oid = TG_RELID) THEN
    RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
  END IF;
  IF TG_OP = 'INSERT' AND EXISTS (SELECT 1 FROM disposal_reviews r WHERE r.id = NEW.review_ref AND r.status = 'submitted' AND r.submitted_by = session_user) THEN
    RETURN NEW;
  END IF;
  RAISE EXCEPTION 'the records a disposition review froze are written with it, by its submitter, and never changed' USING ERRCODE = 'insufficient_privilege';
END
$f$;

-- Without a MAC (a client that has no key, or psql): the same append.
CREATE OR REPLACE FUNCTION custodian_audit_append(action text, record_type text, record_id text, digest text, at text)
  RETURNS audit_log LANGUAGE sql VOLATILE SECURITY DEFINER ${path} AS $f$
  SELECT * FROM custodian_audit_append_keyed($1, $2, $3, $4, $5, NULL)
$f$;

-- The timesheet import (timecards/import-postgres.ts) on PostgreSQL: row-level security checks every inserted line
-- against its card and the card's employee (two lookups a row), and refuses COPY into timecard_lines outright to
-- any login it binds. These run the import's staging and its insert of new lines as the owner, checking the
-- caller's scope once, set-wise, instead. The staging table is made here, so that the owner holds it: the
-- caller fills and marks it (SELECT, INSERT, UPDATE) but cannot attach anything to it (a policy, a trigger, a
-- rule) that would run with the owner's rights when custodian_timesheet_lines reads it.
CREATE OR REPLACE FUNCTION custodian_timesheet_stage(step text) RETURNS void
  LANGUAGE plpgsql VOLATILE SECURITY DEFINER ${path} AS $f$
BEGIN
  IF custodian_org_scope() IS NULL THEN
    RAISE EXCEPTION 'only an operator of this store imports timesheets' USING ERRCODE = 'insufficient_privilege';
  END IF;
  IF step = 'create' THEN
    ${STAGE_TABLE};
    EXECUTE format('GRANT SELECT, INSERT, UPDATE ON pg_temp.timesheet_stage TO %I', session_user);
  ELSIF step = 'analyze' THEN
    PERFORM custodian_timesheet_stage_owned();
    -- Only the columns the import's statements filter, join and group on.
    ANALYZE pg_temp.timesheet_stage (ref, card, period, late);
  ELSE
    RAISE EXCEPTION 'unknown step %', step USING ERRCODE = 'invalid_parameter_value';
  END IF;
END
$f$;

CREATE OR REPLACE FUNCTION custodian_timesheet_stage_owned() RETURNS void
  LANGUAGE plpgsql STABLE ${path} AS $f$
BEGIN
  -- The session's staging table is the one custodian_timesheet_stage made (held by the owner), not one of the caller's.
  IF NOT EXISTS (SELECT 1 FROM pg_class t WHERE t.oid = to_regclass('pg_temp.timesheet_stage') AND t.relkind = 'r'
      AND t.relowner = (SELECT r.oid FROM pg_roles r WHERE r.rolname = current_user) AND NOT t.relhassubclass) THEN
    RAISE EXCEPTION 'the timesheet staging table is made by custodian_timesheet_stage(''create'')' USING ERRCODE = 'insufficient_privilege';
  END IF;
END
$f$;

CREATE OR REPLACE FUNCTION custodian_timesheet_refused(scope text) RETURNS integer
  LANGUAGE plpgsql VOLATILE ${path} AS $f$
BEGIN
  RAISE EXCEPTION 'timesheet lines of employees outside your scope (%), or not in the store, are refused', scope USING ERRCODE = 'insufficient_privilege';
END
$f$;

CREATE OR REPLACE FUNCTION custodian_timesheet_lines(batch integer) RETURNS bigint
  LANGUAGE plpgsql VOLATILE SECURITY DEFINER ${path} AS $f$
DECLARE
  scope text := custodian_org_scope();
  n bigint;
BEGIN
  IF scope IS NULL THEN
    RAISE EXCEPTION 'only an operator of this store imports timesheets' USING ERRCODE = 'insufficient_privilege';
  END IF;
  PERFORM custodian_timesheet_stage_owned();
  -- What row-level security would refuse line by line, refused for the whole import: a line of an employee
  -- outside the caller's org scope, or of none (its card is that employee's; cards keep no foreign key on
  -- PostgreSQL, migration 0021). Checked in the insert's own pass, on the rows it inserts (a select list is
  -- computed for those only; CASE calls the refusal only when the check fails).
  ${insertLinesSql('ONLY pg_temp.timesheet_stage', "CASE WHEN e.id IS NOT NULL AND (scope = '' OR starts_with(e.org_code, scope)) THEN batch ELSE custodian_timesheet_refused(scope) END",
    'LEFT JOIN employees e ON e.id = c.employee_ref')};
  GET DIAGNOSTICS n = ROW_COUNT;
  RETURN n;
END
$f$;

CREATE OR REPLACE FUNCTION custodian_timesheet_new_cards(batch integer, at text, actor text) RETURNS bigint
  LANGUAGE plpgsql VOLATILE SECURITY DEFINER ${path} AS $f$
DECLARE
  scope text := custodian_org_scope();
  ids integer[];
  cards bigint;
  numbered bigint;
  lo integer;
  hi integer;
  n bigint;
BEGIN
  -- The usual bulk import, of pay periods that have no cards yet: the cards in the order the file first names
  -- them, each with its history entry (its line count), the caller's scope checked on each card made, then
  -- their lines, each into its card by number (NEW_CARDS, NEW_CARD_LINES: timecards/import-postgres-sql.ts).
  -- A card that exists already breaks timecards_employee_period_version, and the whole call fails.
  -- The history names the login, whatever the caller says (on PostgreSQL the login is the operator).
  actor := session_user;
  IF scope IS NULL THEN
    RAISE EXCEPTION 'only an operator of this store imports timesheets' USING ERRCODE = 'insufficient_privilege';
  END IF;
  PERFORM custodian_timesheet_stage_owned();
  ${NEW_CARDS};
  -- Every new line has a card number, and they run 1..n: each line goes into a card made (and checked) here.
  IF cards > 0 AND (numbered <> cards OR lo <> 1 OR hi <> cards) THEN
    RAISE EXCEPTION 'the timesheet staging table numbers its cards 1..n, every new line with one' USING ERRCODE = 'insufficient_privilege';
  END IF;
  ${NEW_CARD_LINES};
  GET DIAGNOSTICS n = ROW_COUNT;
  RETURN n;
END
$f$;

CREATE OR REPLACE FUNCTION custodian_audit_immutable() RETURNS trigger
  LANGUAGE plpgsql ${path} AS $f$
BEGIN
  RAISE EXCEPTION 'the audit trail is append-only: % is refused', TG_OP USING ERRCODE = 'insufficient_privilege';
END
$f$;
`
}

async function exec(db: Kysely<Database>, text: string): Promise<void> {
  await sql.raw(text).execute(db)
}

/** Creates a NOLOGIN role unless it exists (another database's init, or a concurrent one, may have made it). */
async function ensureRole(db: Kysely<Database>, name: string, login: boolean): Promise<boolean> {
  if (await roleExists(db, name)) return false
  await sql`SAVEPOINT custodian_role`.execute(db)
  try {
    await sql`CREATE ROLE ${ident(name)} ${sql.raw(login ? 'LOGIN' : 'NOLOGIN')}`.execute(db)
  } catch (error) {
    const code = (error as {code?: string}).code
    await sql`ROLLBACK TO SAVEPOINT custodian_role`.execute(db)
    if (code === '42710' || code === '23505') return false // made meanwhile by another session
    throw error
  }
  await sql`RELEASE SAVEPOINT custodian_role`.execute(db)
  return true
}

async function roleExists(db: Kysely<Database>, name: string): Promise<boolean> {
  const {rows} = await sql`SELECT 1 FROM pg_roles WHERE rolname = ${name}`.execute(db)
  return rows.length > 0
}

async function database(db: Kysely<Database>): Promise<{name: string; schema: string}> {
  const {rows} = await sql<{name: string; schema: string}>`SELECT current_database() AS name, current_schema() AS schema`.execute(db)
  return rows[0]
}

/** The group role of `role` in the store's database. */
export async function storeGroupRole(store: PostgresStore, role: Role): Promise<string> {
  return groupRole((await database(store.db)).name, role)
}

/**
 * Makes the server enforce custodian's roles on this database (see the top of this file). Idempotent: run
 * again, it re-states the same roles, grants, policies and functions. Call it inside a transaction.
 */
export async function secureStore(store: PostgresStore): Promise<void> {
  const {db} = store
  const {name, schema} = await database(db)
  const group = (role: Role) => quoteIdent(groupRole(name, role))
  const everyGroup = ROLES.map(group).join(', ')
  for (const role of ROLES) await ensureRole(db, groupRole(name, role), false)

  await exec(db, `REVOKE CREATE ON SCHEMA ${quoteIdent(schema)} FROM PUBLIC`)
  await exec(db, `GRANT USAGE ON SCHEMA ${quoteIdent(schema)} TO ${everyGroup}`)
  await exec(db, functionsSql(schema))

  // Privileges: none for PUBLIC, none left over from an earlier init, then each role's.
  const tables = [...Object.keys(tableColumns), 'kysely_migration', 'kysely_migration_lock'].map(quoteIdent).join(', ')
  await exec(db, `REVOKE ALL ON ${tables} FROM PUBLIC, ${everyGroup}`)
  await exec(db, `REVOKE ALL ON ALL SEQUENCES IN SCHEMA ${quoteIdent(schema)} FROM PUBLIC, ${everyGroup}`)
  for (const table of Object.keys(tableColumns)) {
    // Column privileges are separate grants, which REVOKE ALL ON a table does not take back.
    await exec(db, `REVOKE ALL (${Object.keys(tableColumns[table as keyof Database]).map(quoteIdent).join(', ')}) ON ${quoteIdent(table)} FROM PUBLIC, ${everyGroup}`)
  }
  for (const role of ROLES) {
    for (const [table, privileges] of Object.entries({...EVERYONE, ...GRANTS[role]})) {
      await exec(db, `GRANT ${privileges} ON ${quoteIdent(table)} TO ${group(role)}`)
    }
  }
  const fns = ['custodian_org_scope()', 'custodian_audit_append(text, text, text, text, text)', 'custodian_audit_append_keyed(text, text, text, text, text, text)', 'custodian_audit_immutable()', 'custodian_review_guard()', 'custodian_review_items_guard()', 'custodian_timesheet_stage_owned()', 'custodian_timesheet_refused(text)', ...Object.keys(FUNCTIONS)]
  for (const fn of fns) await exec(db, `REVOKE ALL ON FUNCTION ${fn} FROM PUBLIC, ${everyGroup}`)
  await exec(db, `GRANT EXECUTE ON FUNCTION custodian_org_scope(), custodian_audit_append(text, text, text, text, text), custodian_audit_append_keyed(text, text, text, text, text, text) TO ${everyGroup}`)
  for (const [fn, roles] of Object.entries(FUNCTIONS)) await exec(db, `GRANT EXECUTE ON FUNCTION ${fn} TO ${roles.map(group).join(', ')}`)

  // Org scopes, row by row.
  for (const [table, visible] of Object.entries(SCOPED)) {
    await exec(db, `ALTER TABLE ${table} ENABLE ROW LEVEL SECURITY`)
    await exec(db, `DROP POLICY IF EXISTS custodian_scope ON ${table}`)
    await exec(db, `CREATE POLICY custodian_scope ON ${table} USING ((SELECT custodian_org_scope()) = '' OR ${visible})`)
  }
  // History names who changed what: a login writes entries in its own name only (custodian writes the operator,
  // which on PostgreSQL is the login; the import's functions, as the owner, write session_user).
  for (const table of HISTORY_TABLES) {
    await exec(db, `DROP POLICY IF EXISTS custodian_actor ON ${table}`)
    await exec(db, `CREATE POLICY custodian_actor ON ${table} AS RESTRICTIVE FOR INSERT WITH CHECK (actor = session_user)`)
  }
  // Settings: everyone reads; a role writes only its own keys; the audit head is written by the audit function only.
  await exec(db, 'ALTER TABLE settings ENABLE ROW LEVEL SECURITY')
  await exec(db, 'DROP POLICY IF EXISTS custodian_read ON settings')
  await exec(db, `CREATE POLICY custodian_read ON settings FOR SELECT USING (true)`)
  for (const role of ROLES) {
    const policy = quoteIdent(`custodian_write_${role}`)
    await exec(db, `DROP POLICY IF EXISTS ${policy} ON settings`)
    const keys = SETTINGS_WRITERS[role]
    if (keys) await exec(db, `CREATE POLICY ${policy} ON settings FOR ALL TO ${group(role)} USING (${keys}) WITH CHECK (${keys})`)
  }
  // The audit trail: appended by custodian_audit_append only, never changed, by anyone.
  await exec(db, `CREATE OR REPLACE TRIGGER custodian_audit_immutable BEFORE UPDATE OR DELETE ON audit_log FOR EACH ROW EXECUTE FUNCTION custodian_audit_immutable()`)
  await exec(db, `CREATE OR REPLACE TRIGGER custodian_audit_no_truncate BEFORE TRUNCATE ON audit_log FOR EACH STATEMENT EXECUTE FUNCTION custodian_audit_immutable()`)
  // Disposition reviews: two people, each under their own login (custodian_review_guard).
  await exec(db, `CREATE OR REPLACE TRIGGER custodian_review_guard BEFORE INSERT OR UPDATE OR DELETE ON disposal_reviews FOR EACH ROW EXECUTE FUNCTION custodian_review_guard()`)
  await exec(db, `CREATE OR REPLACE TRIGGER custodian_review_items_guard BEFORE INSERT OR UPDATE OR DELETE ON disposal_review_items FOR EACH ROW EXECUTE FUNCTION custodian_review_items_guard()`)

  // Operators already in the store (a store made before this engine enforced roles) get their groups.
  const operators = await db.selectFrom('operators').select(['name', 'role']).execute()
  for (const o of operators) {
    if ((ROLES as readonly string[]).includes(o.role) && (await roleExists(db, o.name))) await grantGroup(db, o.name, groupRole(name, o.role as Role))
  }
}

async function isMember(db: Kysely<Database>, login: string, group: string): Promise<boolean> {
  const {rows} = await sql`SELECT 1 FROM pg_auth_members m JOIN pg_roles r ON r.oid = m.member JOIN pg_roles g ON g.oid = m.roleid
    WHERE r.rolname = ${login} AND g.rolname = ${group}`.execute(db)
  return rows.length > 0
}

async function grantGroup(db: Kysely<Database>, login: string, group: string): Promise<void> {
  if (!(await isMember(db, login, group))) await sql`GRANT ${ident(group)} TO ${ident(login)}`.execute(db)
}

/** What a DBA runs for an operator's login when custodian's own login may not. */
const dbaSql = (statements: string[]) => statements.join(' ')

function needsDba(login: string, statements: string[], what: string): CustodianError {
  return new CustodianError('NOT_PERMITTED', `Your database login "${login}" may not ${what} on the server, so nothing was changed. `
    + `Ask a DBA to run: ${dbaSql(statements)} Then run this command again.`, ExitCode.notPermitted, {sql: dbaSql(statements)})
}

/**
 * Gives operator NAME's login its role's group: creates login role NAME when it does not exist (no password:
 * the server's own authentication applies), then grants the group. Inside the caller's transaction, so an
 * operators row and its audit entry roll back with it. A login that may not do it gets exit 4 naming the SQL.
 */
export async function grantOperatorLogin(store: PostgresStore, name: string, role: Role): Promise<void> {
  const group = await storeGroupRole(store, role)
  const create = `CREATE ROLE ${quoteIdent(name)} LOGIN;`
  const grant = `GRANT ${quoteIdent(group)} TO ${quoteIdent(name)};`
  // An admin manages operators: it may create logins and grant this store's group roles to them.
  const groups = role === 'admin' ? await Promise.all(ROLES.map((r) => storeGroupRole(store, r))) : []
  const manage = role === 'admin' ? [`ALTER ROLE ${quoteIdent(name)} CREATEROLE;`, ...groups.map((g) => `GRANT ${quoteIdent(g)} TO ${quoteIdent(name)} WITH ADMIN OPTION;`)] : []
  const exists = await roleExists(store.db, name)
  try {
    if (!exists) await ensureRole(store.db, name, true)
    await grantGroup(store.db, name, group)
    if (role === 'admin') {
      const {rows} = await sql<{can: boolean}>`SELECT rolcreaterole AS can FROM pg_roles WHERE rolname = ${name}`.execute(store.db)
      if (!rows[0]?.can) await sql`ALTER ROLE ${ident(name)} CREATEROLE`.execute(store.db)
      for (const g of groups) await sql`GRANT ${ident(g)} TO ${ident(name)} WITH ADMIN OPTION`.execute(store.db)
    }
  } catch (error) {
    if ((error as {code?: string}).code === '42501') throw needsDba(store.login, [...(exists ? [] : [create]), grant, ...manage], exists ? `grant the role ${group}` : 'create or grant roles')
    throw error
  }
}

/** Takes operator NAME's group back (the login itself stays: other databases may use it). */
export async function revokeOperatorLogin(store: PostgresStore, name: string, role: Role): Promise<void> {
  const group = await storeGroupRole(store, role)
  if (!(await roleExists(store.db, name)) || !(await isMember(store.db, name, group))) return
  try {
    await sql`REVOKE ${ident(group)} FROM ${ident(name)}`.execute(store.db)
  } catch (error) {
    if ((error as {code?: string}).code === '42501') throw needsDba(store.login, [`REVOKE ${quoteIdent(group)} FROM ${quoteIdent(name)};`], `revoke the role ${group}`)
    throw error
  }
}
