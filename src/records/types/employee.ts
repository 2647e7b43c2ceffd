import {childRows, defineRecordType, destroyWith, eachRow} from '../kit.js'
import {EMPLOYEE_COLUMNS_BUT_SSN} from '../ssn-postgres.js'

/** An employee profile with its change history. */
export const employee = defineRecordType({
  type: 'employee',
  title: 'employee profile (with its change history)',
  system: 'OPM/GOVT-1',
  noun: ['employee profile (with its history of changes)', 'employee profiles (with their history of changes)'],
  tables: ['employees', 'employee_history'],
  retrievedBy: ['employee_id', 'ssn', 'email', 'name'],
  schedule: 'TA-PROFILE',
  afterGone: ['timecard', 'payroll_batch'],
  idIsSubject: true,
  amendable: ['last_name', 'first_name', 'middle_name', 'email', 'ssn', 'service_comp_date', 'hire_date', 'pay_plan', 'grade', 'step', 'tour_of_duty', 'agency_code', 'org_code', 'supervisor_id'],
  amender: () => import('../../personnel/amender.js'),
  async candidates(store, visit) {
    await eachRow<[number, string | null, string]>(store, 'SELECT id, separation_date, employee_id FROM employees',
      ([id, trigger, employeeId]) => visit({id, trigger, subjects: [employeeId]}))
  },
  async destroy(store, ids) {
    // Timecards are gone first (afterGone); disclosures keep their entry and lose the link (ON DELETE SET NULL).
    await destroyWith(store, 'employees', [['employee_history', 'employee_ref']], ids)
  },
  refOf: (record) => String(record.employee_id),
  links: (record) => ({emails: record.email ? [String(record.email).toLowerCase()] : []}),
  async find(store, {employeeIds}) {
    if (employeeIds.length === 0) return []
    // The SSN stays sealed (store/ssn-vault.ts): a record carries its last four digits (`*****1234`, shown masked;
    // a response package reveals its subject's own with the key, requests/package.ts).
    const rows = await store.db.selectFrom('employees').select(EMPLOYEE_COLUMNS_BUT_SSN)
      .where('employee_id', 'in', employeeIds).orderBy('employee_id').execute()
    const {historyChanges} = await import('../../personnel/history.js')
    const history = await childRows(rows.map((e) => e.id), 'employee_ref', (part) => store.db.selectFrom('employee_history').select(['employee_ref', 'at', 'actor', 'action', 'changes', 'reason'])
      .where('employee_ref', 'in', part).orderBy('id').execute())
    // In the units a person uses: hours, not the hundredths the store keeps.
    return rows.map(({name_key: _key, ssn_last4: last4, id, employee_id: employeeId, ...e}) => ({
      id,
      employee_id: employeeId,
      ssn: last4 === null ? null : `*****${last4}`,
      ...e,
      scheduled_hours: e.scheduled_hours / 100,
      annual_leave_balance: e.annual_leave_balance / 100,
      sick_leave_balance: e.sick_leave_balance / 100,
      comp_time_balance: e.comp_time_balance / 100,
      // An import's insert keeps its changes in a compact form (personnel/history.ts): read back as the array.
      history: (history.get(id) ?? []).map((h) => ({...h, changes: historyChanges(h.changes as string)})),
    }))
  },})
