import {allRows, defineRecordType, destroyWith} from '../kit.js'

/** A payroll interchange batch: the file as sent, and whom it carried. */
export const payrollBatch = defineRecordType({
  type: 'payroll_batch',
  title: 'payroll interchange batch (the file as sent and its detail)',
  system: 'OPM/GOVT-1',
  noun: ['payroll file sent to the payroll provider', 'payroll files sent to the payroll provider'],
  tables: ['payroll_batches', 'payroll_batch_cards', 'payroll_batch_subjects', 'payroll_batch_chunks'],
  retrievedBy: ['batch id', 'employee_id'],
  schedule: 'GRS-2.4-010',
  afterGone: [],
  carries: ['employee', 'timecard'],
  async candidates(store, visit) {
    const batches = await allRows<[number, string]>(store, 'SELECT id, substr(created_at, 1, 10) FROM payroll_batches')
    const subjects = new Map<number, string[]>()
    for (const [ref, employeeId] of await allRows<[number, string]>(store, 'SELECT batch_ref, employee_id FROM payroll_batch_subjects')) {
      const list = subjects.get(ref)
      if (list) list.push(employeeId)
      else subjects.set(ref, [employeeId])
    }
    for (const [id, trigger] of batches) visit({id, trigger, subjects: subjects.get(id) ?? []})
  },
  async destroy(store, ids) {
    // The file kept for a re-export (its sealed chunks) goes with the batch.
    await destroyWith(store, 'payroll_batches', [['payroll_batch_cards', 'batch_ref'], ['payroll_batch_subjects', 'batch_ref'], ['payroll_batch_chunks', 'batch_ref']], ids)
  },
  refOf: (record) => String(record.batch_id),
  async find(store, {employeeIds}) {
    if (employeeIds.length === 0) return []
    // The batch's own metadata only: the file carries other people's data and is not part of anyone's package.
    return store.db.selectFrom('payroll_batches as b').innerJoin('payroll_batch_subjects as s', 's.batch_ref', 'b.id')
      .select(['b.id', 'b.batch_id', 's.employee_id', 'b.pay_period_start', 'b.format', 'b.created_at', 'b.created_by', 'b.sha256'])
      .where('s.employee_id', 'in', employeeIds).orderBy('b.batch_id').execute()
  },})
