import fs from 'node:fs'

import {type Operator, authorize, isRole} from '../auth/roles.js'
import {operatorRows} from '../operators/queries.js'
import {appendAudit, verifyChain} from '../audit/chain.js'
import {CustodianError, ExitCode, conflict} from '../errors.js'
import {Rollback, type Store, createOrMigrateStore, inTransaction, isPostgresUrl} from '../store/index.js'
import {copyTables, fileTargetIsFree, holdsData} from '../store/copy.js'

export interface CopyResult {
  from: string
  to: string
  tables: Record<string, number>
  auditEntries: number
}

/**
 * `store copy`: the whole store into a new or empty one on either engine (outgrowing one machine: SQLite to
 * PostgreSQL), in one transaction on the target, audit chain included. The copy's chain is verified before
 * it commits; the copy then records, in its own chain, who copied it from where.
 */
export async function copyStore(from: Store, operator: Operator, to: string): Promise<CopyResult> {
  authorize(operator, 'store.copy')
  const notEmpty = (name: string) => conflict('TARGET_NOT_EMPTY', `${name} already holds a store or other data; store copy writes only into a new or empty one. Nothing was changed: name a new file or an empty database.`, {to: name})
  if (!isPostgresUrl(to) && !fileTargetIsFree(to)) throw notEmpty(to)
  const {store: target, created} = await createOrMigrateStore(to)
  // The copy keeps the SSNs sealed as they are, and its chain's MACs: the same key file.
  if (from.keyFile) target.keyFile = from.keyFile
  let committed = false
  try {
    if (await holdsData(target)) throw notEmpty(target.path)
    const result = await inTransaction(target, async () => {
      const tables = await copyTables(from, target)
      if (target.engine === 'postgres') {
        // The server enforces the roles in the copy too, and every operator gets its login.
        const security = await import('../store/postgres-security.js')
        await security.secureStore(target)
        for (const o of await operatorRows(target)) if (isRole(o.role)) await security.grantOperatorLogin(target, o.name, o.role)
      }
      const verified = await verifyChain(target)
      if (!verified.ok) {
        throw new Rollback(new CustodianError('COPY_CHAIN_BROKEN', `The audit chain does not verify in the copy (first bad entry ${verified.firstBadSeq}); nothing was committed. Run custodian audit verify on ${from.path}.`, ExitCode.checksFailed, {firstBadSeq: verified.firstBadSeq}))
      }
      await appendAudit(target, operator.name, {action: 'store.copy', recordType: 'store', digest: `from=${from.path}`})
      return {from: from.path, to: target.path, tables, auditEntries: verified.entries}
    }, {foreignKeys: false})
    if (result instanceof CustodianError) throw result
    committed = true
    return result
  } finally {
    await target.close()
    // A file this command made holds nothing worth keeping unless the copy committed.
    if (created && !committed && target.engine === 'sqlite') for (const f of [to, `${to}-wal`, `${to}-shm`]) fs.rmSync(f, {force: true})
  }
}
