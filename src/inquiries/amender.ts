import {appendAudit} from '../audit/chain.js'
import {checksFailed, notFound} from '../errors.js'
import {type Amender, amendableField as amendableFieldOf} from '../records/kit.js'
import {inquiry as inquiryRecord} from '../records/types/index.js'
import type {Store} from '../store/index.js'
import {nameKey} from '../text/names.js'
import {type InquiryField, type InquiryForm, INQUIRY_FIELDS, checkInquiry, toInquiryValues} from './checks.js'
import {type InquiryRow, inquiryByCase, insertUpdate, updateInquiry} from './queries.js'

/**
 * A Privacy Act amendment of a public inquiry (DOL CRM): a field of the intake form about the person (name,
 * home ZIP, phone, email, workplace). The value passes the intake's IQ-* checks of that field, against the
 * case's other fields as stored (clearing the email of a case whose contact method is email is IQ-REQUIRED),
 * and is stored as intake stores it (email lower case, phone its 10 digits, state upper case; the name's
 * matching key follows the name). The case's updates note the amendment (the fields, not the values).
 */
type Field = Exclude<InquiryField, 'contact_method' | 'category' | 'description'>

const amendableField = (field: string): Field => amendableFieldOf<Field>(inquiryRecord, field)

/** The case's form as stored, every field text ('' when empty), as the intake checks read it. */
const formOf = (r: InquiryRow): InquiryForm => Object.fromEntries(INQUIRY_FIELDS.map((f) => [f, r[f] ?? ''])) as InquiryForm

/** The form with the value, once the field's IQ-* checks pass; a failed check is exit 3 with its code. */
function checked(form: InquiryForm, field: Field, value: string): InquiryForm {
  const next = {...form, [field]: value.trim()}
  // Only this field's findings: the case's other fields were checked at intake (the category list may have changed since).
  const finding = checkInquiry(next, {categories: []}).find((f) => f.column === field)
  if (finding) throw checksFailed(finding.code, finding.message, {errors: [finding]})
  return next
}

async function caseOf(store: Store, record: Record<string, unknown>): Promise<InquiryRow> {
  const row = await inquiryByCase(store, String(record.case_number))
  if (!row) throw notFound('RECORD_NOT_FOUND', `No ${inquiryRecord.type} record ${String(record.case_number)}.`)
  return row
}

const amender: Amender = {
  async check(store, record, fieldName, value) {
    const field = amendableField(fieldName)
    const row = await caseOf(store, record)
    const requested = toInquiryValues(checked(formOf(row), field, value))[field]
    return {field, current: row[field], requested: requested ?? ''}
  },
  async apply(store, operator, record, changes, opts) {
    const row = await caseOf(store, record)
    let form = formOf(row)
    const fields: Field[] = []
    for (const change of changes) {
      const field = amendableField(change.field)
      form = checked(form, field, change.value)
      fields.push(field)
    }
    const values = toInquiryValues(form)
    const set = Object.fromEntries(fields.map((f) => [f, values[f]]))
    await updateInquiry(store, row.id, {...set, name_key: nameKey(values.last_name, values.first_name), updated_at: opts.at})
    await insertUpdate(store, {inquiry_ref: row.id, at: opts.at, actor: operator.name, status: row.status, note: `Amended through Privacy Act request ${opts.reason}: ${[...new Set(fields)].join(', ')}.`})
    await appendAudit(store, operator.name, {action: 'requests.amendment', recordType: inquiryRecord.type, recordId: row.id}, opts.at)
  },
}

export default amender
