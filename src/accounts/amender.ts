import {appendAudit} from '../audit/chain.js'
import {checksFailed, notFound, usage} from '../errors.js'
import {type Amender, amendableField as amendableFieldOf} from '../records/kit.js'
import {account as accountRecord} from '../records/types/index.js'
import {checkEmail} from '../requests/checks.js'
import type {Store} from '../store/index.js'
import {accountByUserId, updateAccountField} from './queries.js'

/**
 * A Privacy Act amendment of an account access record (USPS 550.000): the name, email or department the
 * account shows. The account has no history table of its own: the request's amendment keeps the value before
 * and after, the audit log the act. A later sign-in log may bring the identity provider's value back; the
 * agency corrects it there too.
 */
type Field = 'name' | 'email' | 'department'

const amendableField = (field: string): Field => amendableFieldOf<Field>(accountRecord, field)

function checkValue(field: Field, value: string): string | null {
  const v = value.trim()
  if (field === 'email') {
    const problem = checkEmail(v)
    if (problem) throw checksFailed('AA-EMAIL', `email: ${problem}`)
    return v
  }
  if (field === 'name' && v === '') throw checksFailed('AA-REQUIRED', 'name is required but empty.')
  if (v.length > 200 || /[\u0000-\u001f\u007f]/u.test(v)) throw usage(`--value for ${field} is at most 200 printable characters.`)
  return v === '' ? null : v
}

async function accountOf(store: Store, record: Record<string, unknown>) {
  const a = await accountByUserId(store, String(record.user_id))
  if (!a) throw notFound('RECORD_NOT_FOUND', `No ${accountRecord.type} record ${String(record.user_id)}.`)
  return a
}

const amender: Amender = {
  async check(store, record, fieldName, value) {
    const field = amendableField(fieldName)
    const requested = checkValue(field, value)
    const a = await accountOf(store, record)
    return {field, current: a[field], requested: requested ?? ''}
  },
  async apply(store, operator, record, changes, opts) {
    const a = await accountOf(store, record)
    for (const change of changes) {
      const field = amendableField(change.field)
      await updateAccountField(store, a.id, field, checkValue(field, change.value), opts.at)
    }
    await appendAudit(store, operator.name, {action: 'requests.amendment', recordType: accountRecord.type, recordId: a.id}, opts.at)
  },
}

export default amender
