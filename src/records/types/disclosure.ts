import {defineRecordType, destroyWith, eachRow} from '../kit.js'

/** An entry of the accounting of disclosures (5 U.S.C. 552a(c)), which outlives the records it names. */
export const disclosure = defineRecordType({
  type: 'disclosure',
  title: 'accounting of disclosures entry',
  system: 'PA-REQUESTS',
  noun: ['record of a disclosure', 'records of disclosures'],
  tables: ['disclosures'],
  retrievedBy: ['employee_id'],
  schedule: 'GRS-4.2-050',
  afterGone: ['timecard', 'payroll_batch', 'employee', 'sign_in', 'account'],
  async candidates(store, visit) {
    await eachRow<[number, string, string]>(store, 'SELECT id, disclosed_on, subject_employee_id FROM disclosures',
      ([id, trigger, employeeId]) => visit({id, trigger, subjects: [employeeId]}))
  },
  async destroy(store, ids) {
    await destroyWith(store, 'disclosures', [], ids)
  },
  refOf: (record) => String(record.id),
  async find(store, {employeeIds}) {
    if (employeeIds.length === 0) return []
    return store.db.selectFrom('disclosures')
      .select(['id', 'subject_employee_id', 'disclosed_on', 'recipient', 'address', 'purpose', 'routine_use', 'record_type', 'record_ref', 'created_by', 'created_at'])
      .where('subject_employee_id', 'in', employeeIds).orderBy('disclosed_on').orderBy('id').execute()
  },})
