import {type Operator, authorize} from '../auth/roles.js'
import {appendAudit} from '../audit/chain.js'
import {findEmployeeInScope} from '../personnel/service.js'
import {type Store, inTransaction} from '../store/index.js'

/** One entry of the accounting of disclosures (5 U.S.C. 552a(c)): date, nature, purpose, recipient. */
export interface DisclosureView {
  date: string
  recipient: string
  address: string
  purpose: string
  routineUse: string | null
  recordType: string
  recordRef: string | null
}

export interface DisclosureList {
  employeeId: string
  disclosures: DisclosureView[]
}

/** The accounting the individual is entitled to see, oldest first. Reading it is audited. */
export async function listDisclosures(store: Store, operator: Operator, employeeId: string): Promise<DisclosureList> {
  authorize(operator, 'disclosures.list')
  const employee = await findEmployeeInScope(store, operator, employeeId)
  const rows = await store.db.selectFrom('disclosures').selectAll().where('employee_ref', '=', employee.id).orderBy('disclosed_on').orderBy('id').execute()
  await inTransaction(store, () => appendAudit(store, operator.name, {action: 'disclosures.list', recordType: 'employee', recordId: employee.id}))
  return {
    employeeId: employee.employee_id,
    disclosures: rows.map((r) => ({date: r.disclosed_on, recipient: r.recipient, address: r.address, purpose: r.purpose, routineUse: r.routine_use, recordType: r.record_type, recordRef: r.record_ref})),
  }
}
