import {childRows, defineRecordType, destroyWith, eachRow} from '../kit.js'

/** A Privacy Act request with its extensions, amendments and statements of disagreement. */
export const request = defineRecordType({
  type: 'request',
  title: 'Privacy Act request (with its extensions, amendments and statements of disagreement)',
  system: 'PA-REQUESTS',
  noun: ['Privacy Act request', 'Privacy Act requests'],
  tables: ['requests', 'request_extensions', 'request_amendments', 'request_statements'],
  retrievedBy: ['request number', 'employee_id', 'user id', 'case number', 'email', 'name'],
  schedule: 'GRS-4.2-020',
  afterGone: [],
  async candidates(store, visit) {
    await eachRow<[number, string | null, string | null]>(store, "SELECT id, CASE WHEN status = 'closed' THEN closed_on END, employee_id FROM requests",
      ([id, trigger, employeeId]) => visit({id, trigger, subjects: employeeId ? [employeeId] : []}))
  },
  async destroy(store, ids) {
    await destroyWith(store, 'requests', [['request_extensions', 'request_ref'], ['request_amendments', 'request_ref'], ['request_statements', 'request_ref']], ids)
  },
  refOf: (record) => String(record.request_id),
  async find(store, {employeeIds, userIds, caseNumbers}) {
    if (employeeIds.length + userIds.length + caseNumbers.length === 0) return []
    // By the subject the request is linked to: an employee, or an account or inquiry case of someone who is no employee.
    const rows = await store.db.selectFrom('requests').selectAll().where((eb) => eb.or([
      ...(employeeIds.length > 0 ? [eb('employee_id', 'in', employeeIds)] : []),
      ...(userIds.length > 0 ? [eb('user_id', 'in', userIds.map((u) => u.toLowerCase()))] : []),
      ...(caseNumbers.length > 0 ? [eb('case_number', 'in', caseNumbers.map((c) => c.toUpperCase()))] : []),
    ])).orderBy('request_id').execute()
    const ids = rows.map((r) => r.id)
    const [extensions, amendments, statements] = await Promise.all([
      childRows(ids, 'request_ref', (part) => store.db.selectFrom('request_extensions').select(['request_ref', 'working_days', 'reason', 'previous_due_by', 'due_by', 'actor', 'at']).where('request_ref', 'in', part).orderBy('id').execute()),
      childRows(ids, 'request_ref', (part) => store.db.selectFrom('request_amendments').select(['request_ref', 'record_type', 'record_id', 'field', 'current_value', 'requested_value', 'status', 'decision_reason', 'decided_by', 'decided_at', 'created_at']).where('request_ref', 'in', part).orderBy('id').execute()),
      childRows(ids, 'request_ref', (part) => store.db.selectFrom('request_statements').select(['request_ref', 'record_type', 'record_id', 'statement', 'filed_by', 'filed_at']).where('request_ref', 'in', part).orderBy('id').execute()),
    ])
    return rows.map((r) => ({...r, extensions: extensions.get(r.id) ?? [], amendments: amendments.get(r.id) ?? [], statements: statements.get(r.id) ?? []}))
  },})
