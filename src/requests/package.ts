import {stringify} from 'csv-stringify/sync'
import path from 'node:path'

import {type Operator, authorize} from '../auth/roles.js'
import {appendAudit, sha256} from '../audit/chain.js'
import {todayUtc} from '../calendar/dates.js'
import {neutralizeCell} from '../csv/write.js'
import {REGISTRY, type RecordType, registryEntry} from '../records/registry.js'
import {type Store, getSetting, inTransaction} from '../store/index.js'
import {crashPoint, prepareOutput, writeDurable} from '../store/outputs.js'
import {readSettings, settingLines} from '../admin/settings.js'
import {statementsAbout} from './disclosures.js'
import {renderLetter} from './letter.js'
import {amendmentsOf} from './queries.js'
import {foundDigest, gather, redactSsns, searchedSystems} from './search.js'
import {systemRows} from '../systems/queries.js'
import {employeeById} from '../personnel/queries.js'
import {decryptSsn, ssnKeys} from '../store/ssn-vault.js'
import {request as requestRecord} from '../records/types/index.js'

/**
 * The response package of `requests fulfill`: records.json, one CSV per record type, disclosures.csv,
 * letter.pdf and manifest.json (sha256 of every other file). Everything is written into a 0700 temp folder
 * beside the target, known to the store before it exists, and renamed into place once the audit entry has
 * committed (store/outputs.ts): a failure or crash leaves no partial package, nor a package without its
 * audit entry; files 0600.
 * The subject's own SSN is the only one written whole; no other person's data is in the package (payroll
 * batches are metadata only: see the registry).
 */
export interface PackageFile {
  name: string
  bytes: number
  sha256: string
}

export interface FulfillResult {
  requestId: string
  out: string
  subject: string | null
  files: PackageFile[]
  records: Record<string, number>
  statements: number
}

/** Rows → CSV text: columns in first-seen order, nested values as JSON, text cells formula-neutralised. */
export function recordsCsv(rows: Record<string, unknown>[]): string {
  const columns: string[] = []
  for (const r of rows) for (const k of Object.keys(r)) if (!columns.includes(k)) columns.push(k)
  if (columns.length === 0) columns.push('id')
  const cell = (v: unknown): string => {
    if (v === null || v === undefined) return ''
    if (typeof v === 'number' || typeof v === 'boolean') return String(v)
    if (typeof v === 'string') return neutralizeCell(v)
    return neutralizeCell(JSON.stringify(v))
  }
  return stringify([columns, ...rows.map((r) => columns.map((c) => cell(r[c])))], {record_delimiter: 'unix'})
}

export async function fulfillRequest(store: Store, operator: Operator, requestId: string, out: string): Promise<FulfillResult> {
  authorize(operator, 'requests.manage')
  const output = await prepareOutput(store, out, {label: '--out', kind: 'dir', replace: true, purpose: 'requests.fulfill'})
  const {target, tmp} = output
  try {
    const result = await inTransaction(store, async () => {
      const g = await gather(store, operator, requestId)
      const r = g.request
      // The subject's own SSN, the one written whole: unsealed with the key (KEY_MISSING, exit 4, without it).
      const subject = g.records.employee[0]
      const sealed = subject?.ssn ? (await employeeById(store, String(subject.employee_id)))?.ssn_cipher ?? null : null
      const subjectSsn = sealed === null ? null : decryptSsn(await ssnKeys(store, 'A response package (it carries the subject\'s own SSN)'), sealed)
      if (subjectSsn !== null) subject.ssn = subjectSsn
      const records = redactSsns(g.records, subjectSsn)
      const statements = g.subject?.employeeId ? (await statementsAbout(store, g.subject.employeeId)).map(({recordType: _t, recordId: _i, ...s}) => s) : []
      // Records by system of records, each with how to contest a record in it (its notice's procedures).
      const systemTexts = new Map((await systemRows(store)).map((row) => [row.id, row]))
      const systems = searchedSystems().map((id) => {
        const types = REGISTRY.filter((e) => e.system === id)
        return {
          id, name: systemTexts.get(id)?.name ?? id, sorn: systemTexts.get(id)?.sorn ?? null, contestingProcedures: systemTexts.get(id)?.contesting ?? null,
          types, found: types.reduce((n, e) => n + records[e.type].length, 0),
        }
      })
      const preparedOn = todayUtc()
      const files: PackageFile[] = []
      const put = (name: string, data: string | Buffer) => {
        writeDurable(path.join(tmp, name), data)
        files.push({name, bytes: Buffer.byteLength(data), sha256: sha256(data)})
      }
      const enclosed: {name: string; description: string}[] = []
      // An accounting request gets the accounting (5 U.S.C. 552a(c)(3)), not the whole record set.
      const accountingOnly = r.type === 'accounting'
      const enclosedTypes = accountingOnly ? [] : REGISTRY

      if (!accountingOnly) {
        const bySystem = systems.map(({types, found: _n, ...sys}) => ({...sys, records: Object.fromEntries(types.map((e) => [e.type, records[e.type]]))}))
        put('records.json', `${JSON.stringify({requestId: r.request_id, preparedOn, subject: g.subject, systems: bySystem, disclosures: g.disclosures, statements}, null, 2)}\n`)
        enclosed.push({name: 'records.json', description: 'every record below, in full, by system of records, with any statements of disagreement on them (for a computer)'})
      }
      for (const entry of enclosedTypes) {
        const name = `${entry.type}.csv`
        put(name, recordsCsv(records[entry.type]))
        const n = records[entry.type].length
        enclosed.push({name, description: n === 0 ? `none of your ${entry.noun[1]}` : `your ${n === 1 ? entry.noun[0] : `${n} ${entry.noun[1]}`}; opens in a spreadsheet`})
      }
      put('disclosures.csv', recordsCsv(g.disclosures.map((d) => ({date: d.date, recipient: d.recipient, address: d.address, purpose: d.purpose, routine_use: d.routineUse, record_type: d.recordType, record_ref: d.recordRef}))))
      enclosed.push({name: 'disclosures.csv', description: `the disclosures of your records outside the agency (${g.disclosures.length === 0 ? 'none' : g.disclosures.length})`})
      enclosed.push({name: 'manifest.json', description: 'a fingerprint (sha256) of every file in this package, to check that none was changed'})

      const settings = await readSettings(store)
      const amendments = r.type === 'amendment'
        ? await amendmentsOf(store, r.id)
        : []
      const letter = await renderLetter({
        agency: {name: settings['agency.name'], code: (await getSetting(store, 'agency.code')) ?? '', addressLines: settingLines(settings['agency.address']), office: settings['privacy.office'] ?? 'Privacy Office'},
        signer: settingLines(settings['privacy.signer']),
        appeal: {addressLines: settingLines(settings['privacy.appeal_address']), days: Number(settings['privacy.appeal_days'] ?? 90)},
        requestId: r.request_id, type: r.type, requester: r.requester, requesterAddress: settingLines(r.address), received: r.received,
        preparedOn, subjectName: g.subject?.name ?? null, enclosed,
        systems: systems.map((sys) => ({
          id: sys.id, name: sys.name, contesting: sys.contestingProcedures,
          counts: accountingOnly ? [] : sys.types.map((e) => ({noun: e.noun, count: records[e.type].length})),
        })),
        counts: enclosedTypes.map((e) => ({noun: e.noun, count: records[e.type].length})), statements: statements.length,
        amendments: amendments.map((a) => ({
          recordNoun: registryEntry(a.record_type as RecordType).noun[0].replace(/ \(.*\)$/, ''), field: a.field, requested: a.requested_value,
          status: a.status as 'pending' | 'granted' | 'denied', reason: a.decision_reason, decidedOn: a.decided_at?.slice(0, 10) ?? null,
        })),
        disclosures: g.disclosures.map((d) => ({date: d.date, recipient: d.recipient, purpose: d.purpose})),
      })
      put('letter.pdf', letter)
      const manifest = `${JSON.stringify({requestId: r.request_id, preparedOn, files}, null, 2)}\n`
      writeDurable(path.join(tmp, 'manifest.json'), manifest)

      await appendAudit(store, operator.name, {action: 'requests.fulfill', recordType: requestRecord.type, recordId: r.id, digest: sha256(`${foundDigest(g.records)}:${sha256(manifest)}`)})
      await output.commitWith()
      crashPoint('requests.fulfill:before-commit')
      return {
        requestId: r.request_id, out: target, subject: g.subject?.employeeId ?? null,
        files: [...files, {name: 'manifest.json', bytes: Buffer.byteLength(manifest), sha256: sha256(manifest)}],
        records: Object.fromEntries(enclosedTypes.map((e) => [e.type, records[e.type].length])), statements: statements.length,
      }
    })
    crashPoint('requests.fulfill:after-commit')
    await output.publish()
    return result
  } catch (error) {
    await output.discard()
    throw error
  }
}
