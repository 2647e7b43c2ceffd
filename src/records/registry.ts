import type {Database, Store} from '../store/index.js'

/**
 * Every kind of record the store keeps about a person, in one place. Retention plans and sweeps, disposal
 * certificates and access-request search iterate this registry and never list record types themselves.
 * Adding a record type is one entry here plus its migration.
 *
 * Order matters: a sweep decides the types in this order, so a type whose eligibility waits for other
 * records of the subject to be gone (`afterGone`) comes after them.
 */

export const RECORD_TYPES = ['timecard', 'payroll_batch', 'employee', 'request', 'disclosure'] as const
export type RecordType = (typeof RECORD_TYPES)[number]

export function isRecordType(value: string): value is RecordType {
  return (RECORD_TYPES as readonly string[]).includes(value)
}

/** How a record is named on the command line, for messages. */
export const RECORD_REF_FORM = `<recordType>:<id>, recordType one of ${RECORD_TYPES.join(', ')} (e.g. employee:E1001)`

/** A record named `<recordType>:<id>` (the id may be empty: the caller decides whether it may); null when the type is unknown. */
export function parseRecordRef(text: string): {type: RecordType; id: string} | null {
  const [type = '', ...rest] = text.trim().split(':')
  return isRecordType(type) ? {type, id: rest.join(':').trim()} : null
}

/** One record as retention sees it. */
export interface RetentionCandidate {
  /** Surrogate id: the primary key of the record's own table (never personal data). */
  id: number
  /** The civil date the retention period runs from; null while it has not started (open request, no separation). */
  trigger: string | null
  /** employee_ids of the people the record is about: holds and open requests block by these. */
  subjects: string[]
}

export interface RecordTypeEntry {
  type: RecordType
  /** What one record is, for people (plans, certificates, response packages). */
  title: string
  /** The record in plain words for a letter to the individual: one, many. */
  noun: readonly [one: string, many: string]
  /** The record's own table first, then the tables whose rows are destroyed with it. */
  tables: readonly (keyof Database)[]
  /** The identifiers a record is retrieved by (the SORN's "retrievability"). */
  retrievedBy: readonly string[]
  /** The built-in retention schedule that governs this type (retention_schedules.code). */
  schedule: string
  /** Eligible only once no record of these types about any of its subjects survives the sweep. */
  afterGone: readonly RecordType[]
  /** Every record of the type with its trigger and subjects (retention reads them all: plans must count survivors). */
  candidates(store: Store): RetentionCandidate[]
  /** Destroys the records and every row destroyed with them (`tables`), inside the caller's transaction. */
  destroy(store: Store, ids: readonly number[]): void
  /** Every record of the type about any of the subjects (employee_ids), for access search and response packages. */
  find(store: Store, employeeIds: readonly string[]): Promise<Record<string, unknown>[]>
  /** The id a record `find` returned goes by on the command line, after `<recordType>:`. */
  refOf(record: Record<string, unknown>): string
}

/**
 * Deletes the records `ids` of `table` and, first, their rows in the tables destroyed with them (`children`:
 * table and the column pointing at the record), each in one set-based statement over a temporary table of the
 * ids: a sweep deletes hundreds of thousands of rows, and bulk deletes in key order beat row-by-row cascades.
 * Runs inside the caller's transaction. The temporary table holds surrogate ids only.
 */
function destroyWith(store: Store, table: string, children: readonly [table: string, column: string][], ids: readonly number[]): void {
  const db = store.sqlite
  db.exec('CREATE TEMP TABLE IF NOT EXISTS destroy_ids (id INTEGER PRIMARY KEY)')
  db.exec('DELETE FROM temp.destroy_ids')
  const add = db.prepare('INSERT OR IGNORE INTO temp.destroy_ids (id) VALUES (?)')
  for (const id of ids) add.run(id)
  for (const [child, column] of children) db.exec(`DELETE FROM ${child} WHERE ${column} IN (SELECT id FROM temp.destroy_ids)`)
  db.exec(`DELETE FROM ${table} WHERE id IN (SELECT id FROM temp.destroy_ids)`)
  db.exec('DELETE FROM temp.destroy_ids')
}

const parseJson = (s: string): unknown => JSON.parse(s)

/**
 * The rows of a child table for many parents at once (one query per 500 parents, not one per parent),
 * grouped by parent id in the order the query returns them; the parent column itself is left out.
 */
async function childRows<R extends Record<string, unknown>>(ids: readonly number[], parent: keyof R & string, load: (part: number[]) => Promise<R[]>): Promise<Map<number, Record<string, unknown>[]>> {
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

// Candidate reads go straight to better-sqlite3: a sweep reads every record of a type (100,000s of rows).
export const REGISTRY: readonly RecordTypeEntry[] = [
  {
    type: 'timecard',
    title: 'timecard (every version, with its lines and history)',
    noun: ['timecard (with every correction to it)', 'timecards (with every correction to them)'],
    tables: ['timecards', 'timecard_lines', 'timecard_history', 'payroll_batch_cards'],
    retrievedBy: ['employee_id', 'pay period'],
    schedule: 'GRS-2.4-030',
    afterGone: [],
    candidates(store) {
      // Trigger: the end of the pay period (start + 13 days).
      const rows = store.sqlite.prepare(`SELECT t.id, date(t.pay_period_start, '+13 days') AS trigger, e.employee_id
        FROM timecards t JOIN employees e ON e.id = t.employee_ref`).raw().all() as [number, string, string][]
      return rows.map(([id, trigger, employeeId]) => ({id, trigger, subjects: [employeeId]}))
    },
    destroy(store, ids) {
      destroyWith(store, 'timecards', [['timecard_lines', 'timecard_id'], ['timecard_history', 'timecard_id'], ['payroll_batch_cards', 'timecard_id']], ids)
    },
    refOf: (record) => String(record.id),
    async find(store, employeeIds) {
      if (employeeIds.length === 0) return []
      const cards = await store.db.selectFrom('timecards as t').innerJoin('employees as e', 'e.id', 't.employee_ref')
        .select(['t.id', 'e.employee_id', 't.pay_period_start', 't.version', 't.status', 't.is_current', 't.reason', 't.findings', 't.created_at', 't.updated_at', 't.certified_by', 't.certified_at'])
        .where('e.employee_id', 'in', employeeIds).orderBy('e.employee_id').orderBy('t.pay_period_start').orderBy('t.version').execute()
      const ids = cards.map((c) => c.id)
      const lines = await childRows(ids, 'timecard_id', (part) => store.db.selectFrom('timecard_lines').select(['timecard_id', 'work_date', 'hour_type', 'accounting_code', 'hours'])
        .where('timecard_id', 'in', part).orderBy('timecard_id').orderBy('work_date').orderBy('hour_type').orderBy('accounting_code').execute())
      const history = await childRows(ids, 'timecard_id', (part) => store.db.selectFrom('timecard_history').select(['timecard_id', 'at', 'actor', 'action', 'version', 'changes', 'reason'])
        .where('timecard_id', 'in', part).orderBy('id').execute())
      return cards.map((c) => ({
        ...c,
        is_current: c.is_current === 1,
        findings: parseJson(c.findings),
        lines: (lines.get(c.id) ?? []).map((l) => ({...l, hours: (l.hours as number) / 100})),
        history: (history.get(c.id) ?? []).map((h) => ({...h, changes: parseJson(h.changes as string)})),
      }))
    },
  },
  {
    type: 'payroll_batch',
    title: 'payroll interchange batch (the file as sent and its detail)',
    noun: ['payroll file sent to the payroll provider', 'payroll files sent to the payroll provider'],
    tables: ['payroll_batches', 'payroll_batch_cards', 'payroll_batch_subjects'],
    retrievedBy: ['batch id', 'employee_id'],
    schedule: 'GRS-2.4-010',
    afterGone: [],
    candidates(store) {
      const batches = store.sqlite.prepare('SELECT id, substr(created_at, 1, 10) FROM payroll_batches').raw().all() as [number, string][]
      const subjects = new Map<number, string[]>()
      for (const [ref, employeeId] of store.sqlite.prepare('SELECT batch_ref, employee_id FROM payroll_batch_subjects').raw().iterate() as Iterable<[number, string]>) {
        const list = subjects.get(ref)
        if (list) list.push(employeeId)
        else subjects.set(ref, [employeeId])
      }
      return batches.map(([id, trigger]) => ({id, trigger, subjects: subjects.get(id) ?? []}))
    },
    destroy(store, ids) {
      destroyWith(store, 'payroll_batches', [['payroll_batch_cards', 'batch_ref'], ['payroll_batch_subjects', 'batch_ref']], ids)
    },
    refOf: (record) => String(record.batch_id),
    async find(store, employeeIds) {
      if (employeeIds.length === 0) return []
      // The batch's own metadata only: the file carries other people's data and is not part of anyone's package.
      return store.db.selectFrom('payroll_batches as b').innerJoin('payroll_batch_subjects as s', 's.batch_ref', 'b.id')
        .select(['b.id', 'b.batch_id', 's.employee_id', 'b.pay_period_start', 'b.format', 'b.created_at', 'b.created_by', 'b.sha256'])
        .where('s.employee_id', 'in', employeeIds).orderBy('b.batch_id').execute()
    },
  },
  {
    type: 'employee',
    title: 'employee profile (with its change history)',
    noun: ['employee profile (with its history of changes)', 'employee profiles (with their history of changes)'],
    tables: ['employees', 'employee_history'],
    retrievedBy: ['employee_id', 'ssn', 'email', 'name'],
    schedule: 'TA-PROFILE',
    afterGone: ['timecard', 'payroll_batch'],
    candidates(store) {
      const rows = store.sqlite.prepare('SELECT id, separation_date, employee_id FROM employees').raw().all() as [number, string | null, string][]
      return rows.map(([id, trigger, employeeId]) => ({id, trigger, subjects: [employeeId]}))
    },
    destroy(store, ids) {
      // Timecards are gone first (afterGone); disclosures keep their entry and lose the link (ON DELETE SET NULL).
      destroyWith(store, 'employees', [['employee_history', 'employee_ref']], ids)
    },
    refOf: (record) => String(record.employee_id),
    async find(store, employeeIds) {
      if (employeeIds.length === 0) return []
      const rows = await store.db.selectFrom('employees').selectAll().where('employee_id', 'in', employeeIds).orderBy('employee_id').execute()
      const history = await childRows(rows.map((e) => e.id), 'employee_ref', (part) => store.db.selectFrom('employee_history').select(['employee_ref', 'at', 'actor', 'action', 'changes', 'reason'])
        .where('employee_ref', 'in', part).orderBy('id').execute())
      // In the units a person uses: hours, not the hundredths the store keeps.
      return rows.map(({name_key: _key, ...e}) => ({
        ...e,
        scheduled_hours: e.scheduled_hours / 100,
        annual_leave_balance: e.annual_leave_balance / 100,
        sick_leave_balance: e.sick_leave_balance / 100,
        comp_time_balance: e.comp_time_balance / 100,
        history: (history.get(e.id) ?? []).map((h) => ({...h, changes: parseJson(h.changes as string)})),
      }))
    },
  },
  {
    type: 'request',
    title: 'Privacy Act request (with its extensions, amendments and statements of disagreement)',
    noun: ['Privacy Act request', 'Privacy Act requests'],
    tables: ['requests', 'request_extensions', 'request_amendments', 'request_statements'],
    retrievedBy: ['request number', 'employee_id', 'email', 'name'],
    schedule: 'GRS-4.2-020',
    afterGone: [],
    candidates(store) {
      const rows = store.sqlite.prepare("SELECT id, CASE WHEN status = 'closed' THEN closed_on END, employee_id FROM requests").raw().all() as [number, string | null, string | null][]
      return rows.map(([id, trigger, employeeId]) => ({id, trigger, subjects: employeeId ? [employeeId] : []}))
    },
    destroy(store, ids) {
      destroyWith(store, 'requests', [['request_extensions', 'request_ref'], ['request_amendments', 'request_ref'], ['request_statements', 'request_ref']], ids)
    },
    refOf: (record) => String(record.request_id),
    async find(store, employeeIds) {
      if (employeeIds.length === 0) return []
      const rows = await store.db.selectFrom('requests').selectAll().where('employee_id', 'in', employeeIds).orderBy('request_id').execute()
      const ids = rows.map((r) => r.id)
      const [extensions, amendments, statements] = await Promise.all([
        childRows(ids, 'request_ref', (part) => store.db.selectFrom('request_extensions').select(['request_ref', 'working_days', 'reason', 'previous_due_by', 'due_by', 'actor', 'at']).where('request_ref', 'in', part).orderBy('id').execute()),
        childRows(ids, 'request_ref', (part) => store.db.selectFrom('request_amendments').select(['request_ref', 'record_type', 'record_id', 'field', 'current_value', 'requested_value', 'status', 'decision_reason', 'decided_by', 'decided_at', 'created_at']).where('request_ref', 'in', part).orderBy('id').execute()),
        childRows(ids, 'request_ref', (part) => store.db.selectFrom('request_statements').select(['request_ref', 'record_type', 'record_id', 'statement', 'filed_by', 'filed_at']).where('request_ref', 'in', part).orderBy('id').execute()),
      ])
      return rows.map((r) => ({...r, extensions: extensions.get(r.id) ?? [], amendments: amendments.get(r.id) ?? [], statements: statements.get(r.id) ?? []}))
    },
  },
  {
    type: 'disclosure',
    title: 'accounting of disclosures entry',
    noun: ['record of a disclosure', 'records of disclosures'],
    tables: ['disclosures'],
    retrievedBy: ['employee_id'],
    schedule: 'GRS-4.2-050',
    afterGone: ['timecard', 'payroll_batch', 'employee'],
    candidates(store) {
      const rows = store.sqlite.prepare('SELECT id, disclosed_on, subject_employee_id FROM disclosures').raw().all() as [number, string, string][]
      return rows.map(([id, trigger, employeeId]) => ({id, trigger, subjects: [employeeId]}))
    },
    destroy(store, ids) {
      destroyWith(store, 'disclosures', [], ids)
    },
    refOf: (record) => String(record.id),
    async find(store, employeeIds) {
      if (employeeIds.length === 0) return []
      return store.db.selectFrom('disclosures')
        .select(['id', 'subject_employee_id', 'disclosed_on', 'recipient', 'address', 'purpose', 'routine_use', 'record_type', 'record_ref', 'created_by', 'created_at'])
        .where('subject_employee_id', 'in', employeeIds).orderBy('disclosed_on').orderBy('id').execute()
    },
  },
]

export function registryEntry(type: RecordType): RecordTypeEntry {
  return REGISTRY.find((e) => e.type === type)!
}

/**
 * The record `<type>:<id>` among the records about the subject, as `find` returns it; undefined when the
 * subject has no such record. Ids compare without regard to case (E1001, e1001).
 */
export async function findSubjectRecord(store: Store, employeeId: string, ref: {type: RecordType; id: string}): Promise<Record<string, unknown> | undefined> {
  const entry = registryEntry(ref.type)
  const wanted = ref.id.toUpperCase()
  return (await entry.find(store, [employeeId])).find((record) => entry.refOf(record).toUpperCase() === wanted)
}
