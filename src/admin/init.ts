import {appendAudit} from '../audit/chain.js'
import {usage} from '../errors.js'
import {createOrMigrateStore, inTransaction, isPostgresUrl, ownsStore, putSetting} from '../store/index.js'
import {crashPoint} from '../store/outputs.js'
import {anyOperator, insertOperator} from '../operators/queries.js'
import {adoptKey, migrationKeys, sweepSealedBytes} from '../store/ssn-vault.js'



export interface InitOptions {
  db: string
  agency?: string
  /** The first admin; default: who runs init. */
  admin?: string
  /** Who runs init (written to the audit chain); on PostgreSQL the server's login is, whatever this says. */
  actor: string
  /** The key file (store/keyfile.ts), created when it does not exist. */
  keyFile?: string
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
  // On SQLite the admin is known before anything is created; on PostgreSQL the default is the server's login.
  const named = opts.admin ?? (isPostgresUrl(opts.db) ? undefined : opts.actor)
  if (named !== undefined && !NAME.test(named)) throw usage(`Admin name "${named}" is not valid: use 1-64 letters, digits, ".", "_", "@" or "-".`)
  // The key first: migration 0016 seals the SSNs a store kept in clear with it (store/ssn-vault.ts).
  if (opts.keyFile) (await import('../store/keyfile.js')).ensureKeyFile(opts.keyFile)
  migrationKeys.file = opts.keyFile
  migrationKeys.sealed = 0
  const {store, created: newFile, schemaVersion} = await createOrMigrateStore(opts.db)
  // The store's first entries carry their MAC under it (audit/chain.ts).
  if (opts.keyFile) store.keyFile = opts.keyFile
  try {
    // SSNs (and payroll batches) just sealed: their clear bytes go from the store's files.
    if (migrationKeys.sealed > 0) await sweepSealedBytes(store)
    // The key file is the store's own while nothing is sealed yet (a login that may not record it leaves it as it was).
    if (opts.keyFile) await adoptKey(store, opts.keyFile).catch(() => undefined)
    const actor = store.engine === 'postgres' ? store.login : opts.actor
    const admin = opts.admin ?? actor
    if (!NAME.test(admin)) throw usage(`Admin name "${admin}" is not valid: use 1-64 letters, digits, ".", "_", "@" or "-". Name the admin with --admin.`)
    crashPoint('init:after-migrate')
    // On PostgreSQL the server enforces the roles: group roles, grants, row-level security, the audit function.
    // Only the store's owner (the DBA who made it) can change those; init run again by anyone else, on a store
    // at the latest schema, changes nothing, as on SQLite.
    if (store.engine === 'postgres' && (await ownsStore(store))) {
      const {secureStore} = await import('../store/postgres-security.js')
      await inTransaction(store, () => secureStore(store))
    }
    // A store whose first init stopped before its admin was made (a crash between the migrations and the
    // admin's transaction) has no operator at all, so nobody could ever use it: init finishes the job.
    const unfinished = !newFile && !(await anyOperator(store))
    const created = newFile || unfinished
    if (!created) return {db: store.path, schemaVersion, created, admin: null, agency: null}
    await inTransaction(store, async () => {
      if (agency) await putSetting(store, 'agency.code', agency)
      await insertOperator(store, {name: admin, role: 'admin', org_prefix: null, employee_id: null, created_at: new Date().toISOString(), created_by: actor})
      if (store.engine === 'postgres') await (await import('../store/postgres-security.js')).grantOperatorLogin(store, admin, 'admin')
      await appendAudit(store, actor, {action: 'store.init', recordType: 'store', digest: `schema=${schemaVersion}`})
      await appendAudit(store, actor, {action: 'operators.add', recordType: 'operator', recordId: admin, digest: 'role=admin;org=*'})
    })
    return {db: store.path, schemaVersion, created, admin, agency: agency ?? null}
  } finally {
    await store.close()
  }
}
