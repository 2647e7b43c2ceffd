import {type KeyObject, createCipheriv, createDecipheriv, randomFillSync} from 'node:crypto'

import {notPermitted} from '../errors.js'

/**
 * The ciphers behind the SSN vault (store/ssn-vault.ts), with nothing of the store: what the payroll export's
 * worker thread (payroll/export-worker-sqlite.ts) loads to unseal SSNs and seal the kept file's chunks.
 */

export interface SsnKeys {
  enc: Buffer
  /** The HMAC key, imported once (an import seals a row at a time: a key per call costs more than the HMAC). */
  mac: KeyObject
  /** Fingerprint of the SSN key (16 hex digits), kept in settings `ssn.key_id`. */
  id: string
}

/** The part of the keys the ciphers here use. */
export type CipherKey = Pick<SsnKeys, 'enc'>

/** Random 96-bit IVs, drawn from the CSPRNG a block at a time (one draw per IV costs more than the encryption). Each used once. */
const IV_BLOCK = 4096
const ivPool = Buffer.alloc(12 * IV_BLOCK)
let ivNext = IV_BLOCK
function nextIv(): Buffer {
  if (ivNext === IV_BLOCK) {
    randomFillSync(ivPool)
    ivNext = 0
  }
  const iv = Buffer.from(ivPool.subarray(12 * ivNext, 12 * (ivNext + 1)))
  ivPool.fill(0, 12 * ivNext, 12 * (ivNext + 1))
  ivNext++
  return iv
}

export function encryptSsn(keys: CipherKey, ssn: string): string {
  const iv = nextIv()
  const cipher = createCipheriv('aes-256-gcm', keys.enc, iv)
  const body = Buffer.concat([cipher.update(ssn, 'utf8'), cipher.final()])
  return `v1.${Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64')}`
}

/** The SSN a ciphertext holds; KEY_MISSING (exit 4) when the key is not the one it was sealed under. */
export function decryptSsn(keys: CipherKey, sealed: string): string {
  try {
    if (!sealed.startsWith('v1.')) throw new Error('unknown format')
    // A tagged value (sealTagged) carries `.<last four digits>` after the base64, which has no dot.
    const raw = Buffer.from(sealed.slice(3).split('.')[0], 'base64')
    const decipher = createDecipheriv('aes-256-gcm', keys.enc, raw.subarray(0, 12))
    decipher.setAuthTag(raw.subarray(12, 28))
    return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8')
  } catch {
    throw notPermitted('KEY_MISSING', 'The key file does not decrypt the SSNs of this store (it is not the key they were sealed under). Nothing was changed.')
  }
}

/** Bytes sealed under the SSN key (a payroll batch's kept content carries SSNs): magic, IV, tag, ciphertext. */
const SEALED_BYTES = Buffer.from([0x00, 0x63, 0x73, 0x31]) // \0cs1

export const isSealedBytes = (bytes: Buffer): boolean => bytes.length >= 32 && bytes.subarray(0, 4).equals(SEALED_BYTES)

export function sealBytes(keys: CipherKey, bytes: Buffer): Buffer {
  const iv = nextIv()
  const cipher = createCipheriv('aes-256-gcm', keys.enc, iv)
  const body = Buffer.concat([cipher.update(bytes), cipher.final()])
  return Buffer.concat([SEALED_BYTES, iv, cipher.getAuthTag(), body])
}

/** The bytes sealBytes sealed (bytes never sealed, kept before SSNs were sealed, as they are); KEY_MISSING with another key. */
export function openBytes(keys: CipherKey, bytes: Buffer): Buffer {
  if (!isSealedBytes(bytes)) return bytes
  try {
    const decipher = createDecipheriv('aes-256-gcm', keys.enc, bytes.subarray(4, 16))
    decipher.setAuthTag(bytes.subarray(16, 32))
    return Buffer.concat([decipher.update(bytes.subarray(32)), decipher.final()])
  } catch {
    throw notPermitted('KEY_MISSING', 'The key file does not decrypt the payroll batches of this store (it is not the key they were sealed under). Nothing was changed.')
  }
}

