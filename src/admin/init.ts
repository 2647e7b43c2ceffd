import {appendAudit} from '../audit/chain.js'
import {usage} from '../errors.js'
import {createOrMigrateStore, inTransaction, putSetting} from '../store/index.js'
import {crashPoint} from '../store/outputs.js'
import {anyOperator, insertOperator} from '../operators/queries.js'

export interface InitOptions {
  db: string
  agency?: string
  admin: string
  /** Who runs init (written to the audit chain). */
  actor: string
}

export interface InitResult {
  db: string
  schemaVersion: number
  created: boolean
  admin: string | null
  agency: string | null
}

const AGENCY = /^[A-Z0-9]{2}$/
const NAME = /^[A-Za-z0-9._@-]{1,64}$/

/**
 * Creates the store with its first admin, or migrates an existing one to the latest schema and changes
 * nothing else.
 */
export async function initStore(opts: InitOptions): Promise<InitResult> {
  const agency = opts.agency?.trim().toUpperCase()
  if (agency !== undefined && !AGENCY.test(agency)) throw usage(`--agency "${opts.agency}" is not an agency code: use 2 of A-Z and 0-9.`)
  if (!NAME.test(opts.admin)) throw usage(`Admin name "${opts.admin}" is not valid: use 1-64 letters, digits, ".", "_", "@" or "-".`)
  const {store, created: newFile, schemaVersion} = await createOrMigrateStore(opts.db)
  try {
    crashPoint('init:after-migrate')
    // A store whose first init stopped before its admin was made (a crash between the migrations and the
    // admin's transaction) has no operator at all, so nobody could ever use it: init finishes the job.
    const unfinished = !newFile && !(await anyOperator(store))
    const created = newFile || unfinished
    if (!created) return {db: opts.db, schemaVersion, created, admin: null, agency: null}
    await inTransaction(store, async () => {
      if (agency) await putSetting(store, 'agency.code', agency)
      await insertOperator(store, {name: opts.admin, role: 'admin', org_prefix: null, employee_id: null, created_at: new Date().toISOString(), created_by: opts.actor})
      await appendAudit(store, opts.actor, {action: 'store.init', recordType: 'store', digest: `schema=${schemaVersion}`})
      await appendAudit(store, opts.actor, {action: 'operators.add', recordType: 'operator', recordId: opts.admin, digest: 'role=admin;org=*'})
    })
    return {db: opts.db, schemaVersion, created, admin: opts.admin, agency: agency ?? null}
  } finally {
    await store.close()
  }
}
