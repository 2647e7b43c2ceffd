import {createHmac, createSecretKey, hash as oneShotHash} from 'node:crypto'
import fs from 'node:fs'

import {type Kysely, sql} from 'kysely'

import {notPermitted} from '../errors.js'
import {type KeyRing, deriveKey, readKeyRing, tryKeyRing} from './keyfile.js'
import {type SsnKeys, decryptSsn, encryptSsn, isSealedBytes, openBytes, sealBytes} from './ssn-crypto.js'
import type {Store} from './store.js'
import {readsSsn} from '../records/ssn-postgres.js'

/**
 * SSNs at rest (CLI.md, "Disposition review, audit checkpoints, protected SSNs"). The store never holds an SSN in
 * clear: employees keeps `ssn_cipher` (AES-256-GCM: `v1.` + base64 of IV ‖ tag ‖ ciphertext), `ssn_hash`
 * (HMAC-SHA-256, hex: duplicate checks, the unique index, search by SSN) and `ssn_last4` (the masked
 * `***-**-1234` without the key). Both keys are derived (HKDF) from the key file's SSN key (store/keyfile.ts),
 * which the store never holds; the store keeps only `ssn.key_id`, a fingerprint of it, so a key file that is
 * not this store's is told apart from a damaged store, and a rotation that stopped between its commit and its
 * rename is finished (`<keyFile>.new` put in place).
 */

export {type SsnKeys, decryptSsn, encryptSsn, isSealedBytes, openBytes, sealBytes} from './ssn-crypto.js'

/** The employees columns an SSN is kept in. */
export const SSN_COLUMNS = ['ssn_cipher', 'ssn_hash', 'ssn_last4'] as const

export interface SealedSsn {
  ssn_cipher: string | null
  ssn_hash: string | null
  ssn_last4: string | null
}

export const KEY_ID_SETTING = 'ssn.key_id'

export function ssnKeysOf(ring: KeyRing): SsnKeys {
  return {enc: deriveKey(ring.ssn, 'ssn aes-256-gcm'), mac: createSecretKey(deriveKey(ring.ssn, 'ssn hmac-sha256')), id: deriveKey(ring.ssn, 'ssn key id').subarray(0, 8).toString('hex')}
}

/** The keyed hash of an SSN (9 digits): HMAC-SHA-256 cut to 128 bits, hex (a smaller unique index). */
export function hashSsn(keys: SsnKeys, ssn: string): string {
  return createHmac('sha256', keys.mac).update(ssn).digest('hex').slice(0, 32)
}

/**
 * An SSN kept in one text column (a request's identifying SSN, an amendment's requested SSN): `v1.<base64>.1234`,
 * the ciphertext and the last four digits, so the masked form (maskSsn takes the last four characters) needs no key.
 */
export const sealTagged = (keys: SsnKeys, ssn: string): string => `${encryptSsn(keys, ssn)}.${ssn.slice(-4)}`

/** Whether a one-column value is sealed (else a clear SSN a store kept before migration 0016). */
export const isSealedText = (value: string): boolean => value.startsWith('v1.')

/** The SSN of a one-column value (a clear one, from before migration 0016, as it is). */
export const openTagged = (keys: SsnKeys, value: string): string => (isSealedText(value) ? decryptSsn(keys, value) : value)

/** The columns of an SSN (null: none). */
export function sealSsn(keys: SsnKeys, ssn: string | null): SealedSsn {
  if (ssn === null) return {ssn_cipher: null, ssn_hash: null, ssn_last4: null}
  return {ssn_cipher: encryptSsn(keys, ssn), ssn_hash: hashSsn(keys, ssn), ssn_last4: ssn.slice(-4)}
}

/**
 * hashSsn for many SSNs (an import): the same keyed hash, computed as HMAC is defined (RFC 2104:
 * H(K ^ opad || H(K ^ ipad || m)), the key padded to SHA-256's 64-byte block) from two one-shot hashes, without
 * an Hmac object per SSN (its allocation and clean-up cost an import more than the hashing).
 */
export function ssnHasher(keys: SsnKeys): (ssn: string) => string {
  const key = keys.mac.export()
  if (key.length > 64) return (ssn) => hashSsn(keys, ssn)
  const inner = Buffer.alloc(64 + 16)
  const outer = Buffer.alloc(64 + 32)
  for (let i = 0; i < 64; i++) {
    inner[i] = (key[i] ?? 0) ^ 0x36
    outer[i] = (key[i] ?? 0) ^ 0x5c
  }
  key.fill(0)
  return (ssn) => {
    if (!/^\d{9}$/.test(ssn)) return hashSsn(keys, ssn)
    inner.write(ssn, 64, 'latin1')
    outer.set(oneShotHash('sha256', inner.subarray(0, 64 + 9), 'buffer'), 64)
    inner.fill(0, 64)
    return oneShotHash('sha256', outer, 'hex').slice(0, 32)
  }
}

/** 123456789 → 123-45-6789. */
export const dashedSsn = (ssn: string): string => `${ssn.slice(0, 3)}-${ssn.slice(3, 5)}-${ssn.slice(5)}`

async function storedKeyId(db: Kysely<any>): Promise<string | null> {
  const row = await db.selectFrom('settings').select('value').where('key', '=', KEY_ID_SETTING).executeTakeFirst()
  return (row?.value as string | undefined) ?? null
}

/** Whether the store keeps anything sealed under its SSN key. */
async function holdsSealed(db: Kysely<any>): Promise<boolean> {
  const any = async (q: Promise<unknown>) => (await q) !== undefined
  return (await any(db.selectFrom('employees').select('id').where('ssn_cipher', 'is not', null).limit(1).executeTakeFirst()))
    || (await any(db.selectFrom('requests').select('id').where('ssn', 'is not', null).limit(1).executeTakeFirst()))
    || (await any(db.selectFrom('request_amendments').select('id').where('field', '=', 'ssn').limit(1).executeTakeFirst()))
    || (await any(db.selectFrom('payroll_batches').select('id').limit(1).executeTakeFirst()))
}

/**
 * `init` with a key file: a store that keeps nothing sealed yet takes that key as its own (its fingerprint
 * recorded), so an SSN is never sealed under a key file that is not the store's. A store that keeps sealed SSNs
 * keeps its key (`store rotate-key` changes it).
 */
export async function adoptKey(store: Store, file: string): Promise<void> {
  const ring = tryKeyRing(file)
  if (!ring) return
  const id = ssnKeysOf(ring).id
  if ((await storedKeyId(store.db)) === id || (await holdsSealed(store.db))) return
  await store.db.insertInto('settings').values({key: KEY_ID_SETTING, value: id}).onConflict((oc) => oc.column('key').doUpdateSet({value: id})).execute()
}

const cache = new WeakMap<Store, Promise<SsnKeys>>()

/**
 * The store's SSN keys, read from its key file once per command; KEY_MISSING (exit 4) when the file is missing,
 * holds no key, or holds another store's key. `needs` says what wanted them (for the message).
 */
export function ssnKeys(store: Store, needs: string): Promise<SsnKeys> {
  let keys = cache.get(store)
  if (!keys) {
    keys = loadKeys(store, needs)
    cache.set(store, keys)
    keys.catch(() => cache.delete(store))
  }
  return keys
}

async function loadKeys(store: Store, needs: string): Promise<SsnKeys> {
  const file = store.keyFile
  if (!file) throw notPermitted('KEY_MISSING', `${needs} needs the store's key, but no key file was given. Nothing was changed.`)
  const keys = await keysForStore(store.db, file, needs)
  // A store that has not recorded its key's fingerprint (SSNs first stored after init): one of its SSNs must open.
  if ((await storedKeyId(store.db)) === null && (store.engine === 'sqlite' || (await readsSsn(store)))) {
    const one = await store.db.selectFrom('employees').select('ssn_cipher').where('ssn_cipher', 'is not', null).limit(1).executeTakeFirst()
    if (one?.ssn_cipher) {
      try {
        decryptSsn(keys, one.ssn_cipher)
      } catch {
        throw notPermitted('KEY_MISSING', `${needs} needs the store's key, but ${file} holds another key (not the one this store's SSNs are sealed under). Nothing was changed.`, {keyFile: file})
      }
    }
  }
  return keys
}

/** The key file's SSN keys, checked against the store's fingerprint (finishing a rotation that stopped before its rename). */
export async function keysForStore(db: Kysely<any>, file: string, needs: string): Promise<SsnKeys> {
  const wanted = await storedKeyId(db)
  const pending = `${file}.new`
  const fromNew = fs.existsSync(pending) ? tryKeyRing(pending) : null
  if (fromNew && wanted !== null && ssnKeysOf(fromNew).id === wanted) {
    // A rotation committed its new ciphertexts but stopped before putting its key file in place: finish it.
    fs.renameSync(pending, file)
    return ssnKeysOf(fromNew)
  }
  const keys = ssnKeysOf(readKeyRing(file, needs))
  if (wanted !== null && keys.id !== wanted) {
    throw notPermitted('KEY_MISSING', `${needs} needs the store's key, but ${file} holds another key (not the one this store's SSNs are sealed under). Nothing was changed.`, {keyFile: file})
  }
  return keys
}

/**
 * What `init` gives the migrations (they have only the database): the key file, and back how many clear SSNs
 * migration 0016 sealed (then init sweeps their old bytes out of the store's files).
 */
export const migrationKeys: {file?: string; sealed: number} = {sealed: 0}

/**
 * After SSNs were sealed (from clear text by init, or under a new key by rotate-key): no page image of the old rows
 * stays in the store's files. SQLite (secure_delete
 * is on): the write-ahead log checkpointed and truncated, VACUUM, truncated again. PostgreSQL: employees and
 * payroll_batches and payroll_batch_chunks rewritten (VACUUM FULL: new files, live rows only, indexes rebuilt) and a checkpoint, as a
 * disposal's rewrite does; the write-ahead log segments are the agency's to govern (README).
 */
export async function sweepSealedBytes(store: Store): Promise<void> {
  if (store.engine === 'sqlite') {
    store.sqlite.pragma('wal_checkpoint(TRUNCATE)')
    store.sqlite.exec('VACUUM')
    store.sqlite.pragma('wal_checkpoint(TRUNCATE)')
    return
  }
  await sql`VACUUM FULL employees`.execute(store.db)
  await sql`VACUUM FULL payroll_batches`.execute(store.db)
  await sql`VACUUM FULL payroll_batch_chunks`.execute(store.db)
  await sql`CHECKPOINT`.execute(store.db).catch(() => undefined)
}

/**
 * Everything sealed under `old` sealed again under `keys` (store rotate-key, inside its transaction): employees'
 * SSNs with their keyed hashes, payroll batches' kept files, requests' SSNs and SSN amendments' requested values;
 * the store's fingerprint of its key becomes the new key's.
 */
export async function resealStore(store: Store, old: SsnKeys, keys: SsnKeys): Promise<{employees: number; batches: number; requests: number; amendments: number}> {
  const sealed = await store.db.selectFrom('employees').select(['id', 'ssn_cipher']).where('ssn_cipher', 'is not', null).orderBy('id').execute()
  for (const {id, ssn_cipher: cipher} of sealed) {
    await store.db.updateTable('employees').set(sealSsn(keys, decryptSsn(old, cipher!))).where('id', '=', id).execute()
  }
  const reseal = (content: Buffer) => {
    const bytes = Buffer.from(content)
    return sealBytes(keys, isSealedBytes(bytes) ? openBytes(old, bytes) : bytes)
  }
  // A batch's kept file: in one column before migration 0020, in chunks since (a few read at a time).
  let resealed = 0
  for (const {id} of await store.db.selectFrom('payroll_batches').select(['id']).orderBy('id').execute()) {
    const [whole] = await store.db.selectFrom('payroll_batches').select('content').where('id', '=', id).execute()
    if (whole.content.length > 0) await store.db.updateTable('payroll_batches').set({content: reseal(whole.content)}).where('id', '=', id).execute()
    for (let next = 0; ;) {
      const chunks = await store.db.selectFrom('payroll_batch_chunks').select(['seq', 'content']).where('batch_ref', '=', id).where('seq', '>=', next).orderBy('seq').limit(8).execute()
      if (next === 0 && (whole.content.length > 0 || chunks.length > 0)) resealed++
      for (const c of chunks) await store.db.updateTable('payroll_batch_chunks').set({content: reseal(c.content)}).where('batch_ref', '=', id).where('seq', '=', c.seq).execute()
      if (chunks.length < 8) break
      next = chunks.at(-1)!.seq + 1
    }
  }
  // SSNs kept in one text column: requests' identifying SSNs, employee SSN amendments' requested values.
  const requests = await store.db.selectFrom('requests').select(['id', 'ssn']).where('ssn', 'is not', null).orderBy('id').execute()
  for (const {id, ssn} of requests) await store.db.updateTable('requests').set({ssn: sealTagged(keys, openTagged(old, ssn!))}).where('id', '=', id).execute()
  const amendments = await store.db.selectFrom('request_amendments').select(['id', 'requested_value']).where('field', '=', 'ssn').orderBy('id').execute()
  for (const {id, requested_value: v} of amendments) await store.db.updateTable('request_amendments').set({requested_value: sealTagged(keys, openTagged(old, v))}).where('id', '=', id).execute()
  await store.db.insertInto('settings').values({key: KEY_ID_SETTING, value: keys.id}).onConflict((oc) => oc.column('key').doUpdateSet({value: keys.id})).execute()
  return {employees: sealed.length, batches: resealed, requests: requests.length, amendments: amendments.length}
}
