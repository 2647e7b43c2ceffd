import type {Updateable} from 'kysely'

import {appendAudit} from '../audit/chain.js'
import {todayUtc} from '../calendar/dates.js'
import {checksFailed, notFound, usage} from '../errors.js'
import {type Amender, amendableField as amendableFieldOf} from '../records/kit.js'
import {contact as contactRecord} from '../records/types/index.js'
import type {Store} from '../store/index.js'
import type {ContactTable} from '../store/schema.js'
import {type ContactColumn, checkContactRow, toContactValues} from './checks.js'
import {type ContactRow, contactById, updateContact} from './queries.js'
import {DoNotContact} from './service.js'

/**
 * A Privacy Act amendment of a stakeholder contact (DHS/ALL-002): any field `contacts show` shows the
 * individual. The value passes the contact checks `contacts add` runs (CT-REQUIRED, CT-EMAIL, CT-PHONE,
 * CT-NOTES: checks.ts) and is stored as `contacts add` stores it (phones normalized, text NFC). An email or
 * phone on the do-not-contact list is refused as `contacts add` refuses it (CT-DO-NOT-CONTACT): a person who
 * asked not to be contacted does not come back through a correction of someone else's record. The request's
 * amendment keeps the value before and after, the audit log the act.
 */
type Field = Exclude<ContactColumn, 'owner' | 'last_contacted'>

/** Free text that may hold line breaks; every other field is one line. */
const MULTILINE: readonly Field[] = ['work_address', 'issues', 'interests', 'notes']
const MAX = 4000

const amendableField = (field: string): Field => amendableFieldOf<Field>(contactRecord, field)

/** The value as stored, once it passed the field's contact checks; a failed check is exit 3 with its code. */
function checkValue(field: Field, value: string): string | null {
  const v = value.trim()
  const control = MULTILINE.includes(field) ? /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/u : /[\u0000-\u001f\u007f-\u009f]/u
  if ([...v].length > MAX || control.test(v)) throw usage(`--value for ${field} is at most ${MAX} characters of plain text${MULTILINE.includes(field) ? '' : ' on one line'}.`)
  // The row has a name so that only this field's findings are about the value (CT-REQUIRED is the name's).
  const row = {name: 'x', [field]: v}
  const finding = checkContactRow(row, todayUtc()).find((f) => f.column === field)
  if (finding) throw checksFailed(finding.code, finding.message, {errors: [{column: finding.column, code: finding.code, message: finding.message}]})
  return toContactValues(row)[field]
}

/** CT-DO-NOT-CONTACT for the email and phones among the values (exit 3); the key is read only once someone was forgotten. */
async function assertNotSuppressed(store: Store, values: Partial<Record<Field, string | null>>): Promise<void> {
  const reach = {email: values.email ?? null, work_phone: values.work_phone ?? null, cell_phone: values.cell_phone ?? null}
  const [finding] = await new DoNotContact(store).findings(reach)
  if (finding) throw checksFailed(finding.code, finding.message, {errors: [{column: finding.column, code: finding.code, message: finding.message}]})
}

async function contactOf(store: Store, record: Record<string, unknown>): Promise<ContactRow> {
  const row = await contactById(store, Number(record.id))
  if (!row) throw notFound('RECORD_NOT_FOUND', `No ${contactRecord.type} record ${String(record.contactId)}.`)
  return row
}

const amender: Amender = {
  async check(store, record, fieldName, value) {
    const field = amendableField(fieldName)
    const requested = checkValue(field, value)
    await assertNotSuppressed(store, {[field]: requested})
    const row = await contactOf(store, record)
    return {field, current: row[field], requested: requested ?? ''}
  },
  async apply(store, operator, record, changes, opts) {
    const row = await contactOf(store, record)
    const set: Partial<Record<Field, string | null>> = {}
    for (const change of changes) {
      const field = amendableField(change.field)
      set[field] = checkValue(field, change.value)
    }
    // Checked again when granted: someone may have been forgotten since the amendment was stated.
    await assertNotSuppressed(store, set)
    // checkValue refused an empty name (CT-REQUIRED): every other field may be cleared.
    await updateContact(store, row.id, set as Updateable<ContactTable>, opts.at)
    await appendAudit(store, operator.name, {action: 'requests.amendment', recordType: contactRecord.type, recordId: row.id}, opts.at)
  },
}

export default amender
