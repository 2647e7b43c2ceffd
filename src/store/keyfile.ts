import {createHmac, randomBytes} from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'

import {notPermitted} from '../errors.js'

/**
 * The store's key, kept outside the store (CLI.md, "Disposition review, audit checkpoints, protected SSNs"):
 * 32 random bytes, base64 on one line, in the file `CUSTODIAN_KEY_FILE` names, else `custodian.key` in the
 * config directory (cli/base.ts keyFile()). `init` creates it (mode 0600, its folder 0700) when it does not exist and never replaces
 * it. What needs the key (keyed hashes of the do-not-contact list; later, SSNs) reads it; a missing or
 * unreadable key is exit 4, KEY_MISSING, and the command changes nothing. The key never enters the store.
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

/** The key; KEY_MISSING (exit 4) when the file is missing, unreadable or not a key. `needs` says what wanted it. */
export function readKey(file: string, needs: string): Buffer {
  const missing = (why: string) => notPermitted('KEY_MISSING', `${needs} needs the store's key, but ${why} (CUSTODIAN_KEY_FILE, or custodian.key in the config folder; init creates it). Nothing was changed.`, {keyFile: file})
  let text: string
  try {
    text = fs.readFileSync(file, 'utf8').trim()
  } catch (error) {
    throw missing((error as NodeJS.ErrnoException).code === 'ENOENT' ? `the key file ${file} does not exist` : `the key file ${file} cannot be read`)
  }
  const key = Buffer.from(text, 'base64')
  if (key.length !== KEY_BYTES) throw missing(`${file} does not hold a key`)
  return key
}

/** HMAC-SHA-256 of a value under the key, with its kind (`email`, `phone`, ...) so equal text of two kinds never collides; hex. */
export function keyedHash(key: Buffer, kind: string, value: string): string {
  return createHmac('sha256', key).update(`${kind}\u0000${value}`).digest('hex')
}
