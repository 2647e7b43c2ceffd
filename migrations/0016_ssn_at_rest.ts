import {type Kysely, PostgresAdapter, sql} from 'kysely'

import {notPermitted} from '../src/errors.js'
import {readKeyRing} from '../src/store/keyfile.js'
import {KEY_ID_SETTING, type SsnKeys, isSealedBytes, migrationKeys, sealBytes, sealSsn, sealTagged, ssnKeysOf} from '../src/store/ssn-vault.js'

// Frozen once landed: never edit, add a new migration instead.
// SSNs at rest (CLI.md, "Disposition review, audit checkpoints, protected SSNs"; store/ssn-vault.ts): employees.ssn
// (clear text) gives way to ssn_cipher (AES-256-GCM), ssn_hash (keyed HMAC: the unique index, duplicate checks,
// search) and ssn_last4 (the masked form without the key). Every stored SSN is sealed here with the key file
// `init` names (created by init when missing); a store holding SSNs and no key file stops here, unchanged
// (KEY_MISSING). The store's fingerprint of the key (settings ssn.key_id) is recorded. Init then sweeps the old
// bytes out of the store's files (SQLite: checkpoint and VACUUM; PostgreSQL: the table rewritten).
export async function up(db: Kysely<any>): Promise<void> {
  const pg = db.getExecutor().adapter instanceof PostgresAdapter
  migrationKeys.sealed = 0
  const sealed = await db.transaction().execute(async (trx) => {
    const clear = await trx.selectFrom('employees').select(['id', 'ssn']).where('ssn', 'is not', null).orderBy('id').execute() as {id: number; ssn: string}[]
    // A payroll batch's kept copy of its interchange file carries SSNs too: sealed with them.
    const batches = (await trx.selectFrom('payroll_batches').select(['id', 'content']).orderBy('id').execute() as {id: number; content: Buffer}[])
      .filter((b) => b.content.length > 0 && !isSealedBytes(b.content))
    // SSNs kept in one text column: a request's identifying SSN, an employee SSN amendment's requested value.
    const requests = await trx.selectFrom('requests').select(['id', 'ssn']).where('ssn', 'is not', null).orderBy('id').execute() as {id: number; ssn: string}[]
    const amendments = await trx.selectFrom('request_amendments').select(['id', 'requested_value']).where('field', '=', 'ssn').orderBy('id').execute() as {id: number; requested_value: string}[]
    const texts = requests.length + amendments.length
    let keys: SsnKeys | null = null
    if (migrationKeys.file) keys = ssnKeysOf(readKeyRing(migrationKeys.file, 'Encrypting the stored SSNs'))
    else if (clear.length > 0 || batches.length > 0 || texts > 0) throw notPermitted('KEY_MISSING', 'Encrypting the stored SSNs needs the store\'s key, but no key file was given. Nothing was changed.')
    for (const c of ['ssn_cipher', 'ssn_hash', 'ssn_last4']) await trx.schema.alterTable('employees').addColumn(c, 'text').execute()
    for (const {id, ssn} of clear) await trx.updateTable('employees').set(sealSsn(keys!, ssn)).where('id', '=', id).execute()
    for (const {id, content} of batches) await trx.updateTable('payroll_batches').set({content: sealBytes(keys!, content)}).where('id', '=', id).execute()
    for (const {id, ssn} of requests) await trx.updateTable('requests').set({ssn: sealTagged(keys!, ssn)}).where('id', '=', id).execute()
    for (const {id, requested_value: v} of amendments) await trx.updateTable('request_amendments').set({requested_value: sealTagged(keys!, v)}).where('id', '=', id).execute()
    await trx.schema.dropIndex('employees_ssn').execute()
    await trx.schema.alterTable('employees').dropColumn('ssn').execute()
    await trx.schema.createIndex('employees_ssn_hash').on('employees').column('ssn_hash').unique().where('ssn_hash', 'is not', null).execute()
    if (keys && (clear.length > 0 || batches.length > 0 || texts > 0)) {
      await trx.insertInto('settings').values({key: KEY_ID_SETTING, value: keys.id})
        .onConflict((oc) => oc.column('key').doUpdateSet({value: keys.id})).execute()
    }
    if (pg) await sql`ANALYZE employees`.execute(trx)
    return clear.length + batches.length + texts
  })
  migrationKeys.sealed = sealed
}
