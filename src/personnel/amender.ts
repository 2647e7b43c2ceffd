import {todayUtc} from '../calendar/dates.js'
import {checksFailed, notFound} from '../errors.js'
import {type Amender, amendableField as amendableFieldOf} from '../records/kit.js'
import {employee as employeeRecord} from '../records/types/index.js'
import type {Store} from '../store/index.js'
import {type PersonnelColumn, maskSsn} from './checks.js'
import {employeeById} from './queries.js'
import {applyEmployeeEdit, checkEmployeeEdit} from './service.js'
import {openTagged, sealTagged, ssnKeys} from '../store/ssn-vault.js'

/**
 * A Privacy Act amendment of an employee profile: one field the profile shows the individual
 * (employee.amendable), checked as an import checks it and applied through the profile's edit path (a
 * history row naming the request, an audit entry).
 */
async function profile(store: Store, record: Record<string, unknown>) {
  const e = await employeeById(store, String(record.employee_id))
  if (!e) throw notFound('RECORD_NOT_FOUND', `No ${employeeRecord.type} record ${String(record.employee_id)}.`)
  return e
}

const amendableField = (field: string): PersonnelColumn => amendableFieldOf<PersonnelColumn>(employeeRecord, field)

async function checked(store: Store, record: Record<string, unknown>, field: PersonnelColumn, value: string, what = '') {
  const e = await profile(store, record)
  const [finding] = await checkEmployeeEdit(store, e, field, value, todayUtc())
  if (finding) throw checksFailed(finding.code, `${what}${finding.message}`)
  return e
}

const amender: Amender = {
  async check(store, record, fieldName, value) {
    const field = amendableField(fieldName)
    const e = await checked(store, record, field, value)
    const current = field === 'ssn' ? e.ssn_last4 : e[field as keyof typeof e]
    return {
      field, current: current === null || current === undefined ? null : field === 'ssn' ? maskSsn(String(current)) : String(current),
      // An SSN asked for is kept sealed with the request (store/ssn-vault.ts); checked() has made sure it is one.
      requested: field === 'ssn' ? sealTagged(await ssnKeys(store, 'Stating an SSN amendment'), value.replaceAll('-', '').trim()) : value.trim(),
    }
  },
  async apply(store, operator, record, changes, opts) {
    for (const change of changes) {
      const field = amendableField(change.field)
      // Checked again: the record or the store may have changed since the amendment was stated.
      const value = field === 'ssn' ? openTagged(await ssnKeys(store, 'Applying an SSN amendment'), change.value) : change.value
      const e = await checked(store, record, field, value, 'The amendment can no longer be applied: ')
      await applyEmployeeEdit(store, operator, e, field, value, {action: 'requests.amendment', reason: opts.reason, at: opts.at})
    }
  },
}

export default amender
