import type {Store} from '../store/index.js'

/** The requests table and its children, for the Privacy Act request use cases and for retention. */

/** The employee_ids of the subjects of open requests (their records may not be destroyed). */
export async function openRequestSubjectIds(store: Store): Promise<string[]> {
  const rows = await store.db.selectFrom('requests').select('employee_id').distinct()
    .where('status', '=', 'open').where('employee_id', 'is not', null).execute()
  return rows.map((r) => r.employee_id!)
}
