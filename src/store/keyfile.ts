import {createHmac, hkdfSync, randomBytes} from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'

import {notPermitted} from '../errors.js'

/**
 * The store's key, kept outside the store (CLI.md, "Disposition review, audit checkpoints, protected SSNs"):
 * 32 random bytes, base64 on one line, in the file `CUSTODIAN_KEY_FILE` names, else `custodian.key` in the
 * config directory (cli/base.ts keyFile()). `init` creates it (mode 0600, its folder 0700) when it does not exist and never replaces
 * it. What needs the key (keyed hashes of the do-not-contact list; later, SSNs) reads it; a missing or
 * unreadable key is exit 4, KEY_MISSING, and the command changes nothing. The key never enters the store.
 *
 * Two keys live in the file: the hash key (keyed hashes of the do-not-contact list, which must survive a key
 * rotation: nobody can recompute a forgotten contact's hash) and the SSN key (SSNs encrypted at rest and their
 * keyed hashes, store/ssn-vault.ts; `store rotate-key` replaces it). The file `init` writes holds one key on one
 * line (base64): it is both. A rotated file is a small versioned JSON document:
 * `{"custodianKey": 2, "hash": "<base64>", "ssn": "<base64>"}`.
 */

const KEY_BYTES = 32

/** Creates the key file when it does not exist (never replaces one); whether it made it. Safe when two inits race. */
export function ensureKeyFile(file: string): boolean {
  if (fs.existsSync(file)) return false
  fs.mkdirSync(path.dirname(file), {recursive: true, mode: 0o700})
  const tmp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`
  const fd = fs.openSync(tmp, 'wx', 0o600)
  try {
    fs.writeFileSync(fd, `${randomBytes(KEY_BYTES).toString('base64')}\n`)
    fs.fsyncSync(fd)
  } finally {
    fs.closeSync(fd)
  }
  try {
    // link() fails when the name exists: a key another process made first is kept, never replaced.
    fs.linkSync(tmp, file)
    return true
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false
    throw error
  } finally {
    fs.rmSync(tmp, {force: true})
  }
}

/** The keys of a key file: `hash` for the do-not-contact hashes, `ssn` the master of the SSN keys. */
export interface KeyRing {
  hash: Buffer
  ssn: Buffer
}

function parseKeyRing(text: string): KeyRing | null {
  const t = text.trim()
  if (t.startsWith('{')) {
    try {
      const doc = JSON.parse(t) as {custodianKey?: unknown; hash?: unknown; ssn?: unknown}
      if (doc.custodianKey !== 2 || typeof doc.hash !== 'string' || typeof doc.ssn !== 'string') return null
      const ring = {hash: Buffer.from(doc.hash, 'base64'), ssn: Buffer.from(doc.ssn, 'base64')}
      return ring.hash.length === KEY_BYTES && ring.ssn.length === KEY_BYTES ? ring : null
    } catch {
      return null
    }
  }
  const key = Buffer.from(t, 'base64')
  return key.length === KEY_BYTES ? {hash: key, ssn: key} : null
}

/** The key file's keys; KEY_MISSING (exit 4) when the file is missing, unreadable or holds no key. `needs` says what wanted it. */
export function readKeyRing(file: string, needs: string): KeyRing {
  const missing = (why: string) => notPermitted('KEY_MISSING', `${needs} needs the store's key, but ${why} (CUSTODIAN_KEY_FILE, or custodian.key in the config folder; init creates it). Nothing was changed.`, {keyFile: file})
  let text: string
  try {
    text = fs.readFileSync(file, 'utf8')
  } catch (error) {
    throw missing((error as NodeJS.ErrnoException).code === 'ENOENT' ? `the key file ${file} does not exist` : `the key file ${file} cannot be read`)
  }
  const ring = parseKeyRing(text)
  if (!ring) throw missing(`${file} does not hold a key`)
  return ring
}

/** The keys of a key file, or null when it is missing or holds none (no error: for recovery and checks). */
export function tryKeyRing(file: string): KeyRing | null {
  try {
    return parseKeyRing(fs.readFileSync(file, 'utf8'))
  } catch {
    return null
  }
}

/** Writes a key ring (mode 0600, synced) to `file`, which must not exist; its folder is synced by the caller's rename. */
export function writeKeyRing(file: string, ring: KeyRing): void {
  const fd = fs.openSync(file, 'wx', 0o600)
  try {
    fs.writeFileSync(fd, `${JSON.stringify({custodianKey: 2, hash: ring.hash.toString('base64'), ssn: ring.ssn.toString('base64')})}\n`)
    fs.fsyncSync(fd)
  } finally {
    fs.closeSync(fd)
  }
}

/** A new key ring: the same hash key (the do-not-contact hashes stay valid), a new SSN key. */
export const rotatedRing = (ring: KeyRing): KeyRing => ({hash: ring.hash, ssn: randomBytes(KEY_BYTES)})

/** A 32-byte key derived from a master for one purpose (HKDF-SHA-256). */
export const deriveKey = (master: Buffer, purpose: string): Buffer => Buffer.from(hkdfSync('sha256', master, Buffer.alloc(0), `custodian ${purpose}`, KEY_BYTES))

/**
 * The store's hash key (the do-not-contact list's keyed hashes, the audit chain's MACs) from its key file
 * (`store.keyFile`, which cli/base.ts sets from CUSTODIAN_KEY_FILE or the config folder), read once per store.
 * KEY_MISSING (exit 4) when there is no key file or it holds no key; `needs` says what wanted it. The SSN keys
 * come from the same file through store/ssn-vault.ts ssnKeys, which also checks them against the store.
 */
export function storeHashKey(store: {keyFile?: string}, needs: string): Buffer {
  const key = hashKeys.get(store)
  if (key) return key
  if (!store.keyFile) throw notPermitted('KEY_MISSING', `${needs} needs the store's key, but no key file was given. Nothing was changed.`)
  const read = readKeyRing(store.keyFile, needs).hash
  hashKeys.set(store, read)
  return read
}

/** The store's hash key when its key file can be read; null otherwise, never an error (auditing never needs the key). */
export function storeHashKeyIfAny(store: {keyFile?: string}): Buffer | null {
  try {
    return storeHashKey(store, 'The keyed audit chain')
  } catch {
    return null
  }
}

const hashKeys = new WeakMap<object, Buffer>()
/** HMAC-SHA-256 of a value under the key, with its kind (`email`, `phone`, ...) so equal text of two kinds never collides; hex. */
export function keyedHash(key: Buffer, kind: string, value: string): string {
  return createHmac('sha256', key).update(`${kind}\u0000${value}`).digest('hex')
}
