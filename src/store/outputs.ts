import {randomBytes} from 'node:crypto'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'

import {CustodianError, ExitCode, conflict, notFound, usage} from '../errors.js'
import type {Store} from './store.js'
import {inTransaction} from './transaction.js'

/**
 * The files custodian writes beside the store — payroll files, rejects files, response packages,
 * certificates — go through one protocol, so that a crash at any moment leaves either nothing or what the
 * store says happened, and never a stray temp file holding personal data:
 *
 * 1. `prepareOutput` refuses a target that is the store itself (or its -wal/-shm/-journal), records the
 *    intent in the store (its own small transaction), and only then names the temp file beside the target;
 * 2. the caller writes the temp file (0600, fsync) and, inside its own transaction, calls `commitWith()`,
 *    which marks the intent committed together with the work it belongs to;
 * 3. after COMMIT, `publish()` moves the temp into place, fsyncs the folder and forgets the intent.
 *
 * `recoverOutputs` (run by every command that opens the store) finishes what a dead process left: the temp
 * of work that never committed is removed, the file of work that did is put in place.
 */

/** Temp names: `.<target name>.custodian-<12 hex>.tmp` beside the target. */
export const TEMP_NAME = /^\..+\.custodian-[0-9a-f]{12}\.tmp$/
/** Temp names of earlier custodian versions (`.<name>.<pid>.<ms>.tmp`, `.<name>.tmp-XXXXXX`). */
const LEGACY_TEMP_NAMES = [/^\..+\.\d{1,10}\.\d{13}\.tmp$/, /^\..+\.tmp-[A-Za-z0-9]{6}$/]

export function isCustodianTemp(name: string): boolean {
  return TEMP_NAME.test(name) || LEGACY_TEMP_NAMES.some((re) => re.test(name))
}

/**
 * A test seam: with CUSTODIAN_CRASH_AT=<point> the process kills itself (SIGKILL, as a power cut would) when it
 * reaches that point, so tests can prove what a crash in each window leaves behind.
 */
export function crashPoint(point: string): void {
  if (process.env.CUSTODIAN_CRASH_AT === point) process.kill(process.pid, 'SIGKILL')
}

const STORE_SIDE_FILES = ['', '-wal', '-shm', '-journal']

/** Where a path really leads: symbolic links followed, also dangling ones and a missing last part. */
export function realTarget(p: string, depth = 0): string {
  const abs = path.resolve(p)
  try {
    return fs.realpathSync(abs)
  } catch {
    // Missing, or a link to something missing.
  }
  if (depth < 16) {
    try {
      return realTarget(path.resolve(path.dirname(abs), fs.readlinkSync(abs)), depth + 1)
    } catch {
      // Not a link.
    }
  }
  try {
    return path.join(fs.realpathSync(path.dirname(abs)), path.basename(abs))
  } catch {
    return abs
  }
}

function statOrNull(p: string): fs.Stats | null {
  try {
    return fs.statSync(p)
  } catch {
    return null
  }
}

/** Refuses (exit 2, OUTPUT_IS_STORE) an output that is the store or one of its -wal/-shm/-journal files. */
export function assertNotStore(storeFile: string, target: string, label: string): void {
  const real = realTarget(target)
  const stat = statOrNull(real)
  const storeReal = realTarget(storeFile)
  for (const suffix of STORE_SIDE_FILES) {
    const side = `${storeReal}${suffix}`
    const sideStat = statOrNull(side)
    if (real === side || (stat && sideStat && stat.dev === sideStat.dev && stat.ino === sideStat.ino)) {
      throw new CustodianError('OUTPUT_IS_STORE', `${label} ${target} is the store${suffix ? ` (its ${suffix} file)` : ''}; writing there would destroy it. Nothing was written: choose another path.`, ExitCode.usage, {file: target})
    }
  }
}

export interface OutputOptions {
  /** The flag that named it, for messages (--out, --rejects). */
  label: string
  kind: 'file' | 'dir'
  /** May an existing file (or empty folder) at the target be replaced? */
  replace: boolean
  /** The action writing it. */
  purpose: string
}

/** A file (or folder) being written beside the store; see the protocol above. */
export interface Output {
  /** The absolute target path. */
  readonly target: string
  /** The temp path to write (a file, or a 0700 folder that already exists). */
  readonly tmp: string
  /** Inside the caller's write transaction: the output now belongs to what commits. */
  commitWith(): Promise<void>
  /** After COMMIT (or when the output is wanted although nothing was committed): put it in place. */
  publish(): Promise<void>
  /** The temp goes and the intent is forgotten (after ROLLBACK). Never throws. */
  discard(): Promise<void>
}

function outUnwritable(label: string, target: string, reason: string): CustodianError {
  return new CustodianError('OUT_UNWRITABLE', `Cannot write ${label} ${target} (${reason}); nothing was written. Choose a path in a folder you can write to.`, ExitCode.usage, {file: target})
}

function outputExists(label: string, target: string): CustodianError {
  return conflict('OUTPUT_EXISTS', `${label} ${target} already exists; custodian never replaces it. Choose a new name, or move the old file away first.`, {file: target})
}

/** Checks the target before any work: not the store, a folder that exists and is writable, no clash. */
function checkTarget(store: Store, target: string, opts: OutputOptions): void {
  if (store.engine === 'sqlite') assertNotStore(store.path, target, opts.label)
  const dir = path.dirname(target)
  const dirStat = statOrNull(dir)
  if (!dirStat?.isDirectory()) {
    throw notFound('DIR_NOT_FOUND', `The folder ${dir} for ${opts.label} ${target} does not exist; nothing was written. Create it, or choose another path.`, {file: target})
  }
  try {
    fs.accessSync(dir, fs.constants.W_OK)
  } catch {
    throw outUnwritable(opts.label, target, `the folder ${dir} is not writable`)
  }
  let link: fs.Stats | null = null
  try {
    link = fs.lstatSync(target)
  } catch {
    return // free
  }
  if (link.isSymbolicLink()) {
    throw usage(`${opts.label} ${target} is a symbolic link; custodian does not write through links. Name the real path, or a new one.`, {file: target})
  }
  if (opts.kind === 'dir') {
    if (!link.isDirectory() || fs.readdirSync(target).length > 0) {
      throw conflict('OUTPUT_EXISTS', `${opts.label} ${target} already exists and is not an empty folder; name a new folder.`, {file: target})
    }
    return
  }
  if (link.isDirectory()) throw usage(`${opts.label} ${target} is a folder; name a file.`, {file: target})
  if (!opts.replace) throw outputExists(opts.label, target)
}

/** Makes a rename or removal in a folder durable. */
function fsyncDir(dir: string): void {
  try {
    const fd = fs.openSync(dir, 'r')
    try {
      fs.fsyncSync(fd)
    } finally {
      fs.closeSync(fd)
    }
  } catch {
    // Some file systems cannot fsync a folder; the rename itself has happened.
  }
}

/** Removes a temp file or folder (and whatever is in it). */
export function removeTemp(tmp: string): void {
  fs.rmSync(tmp, {recursive: true, force: true})
}

/**
 * Puts a finished temp in place: a file that may not replace anything is linked (which fails if the target
 * appeared meanwhile) and the temp unlinked; otherwise a rename. Then the folder is fsynced.
 */
function place(row: {tmp: string; target: string; kind: string; replace: number}, label: string): void {
  if (row.kind === 'dir') {
    fsyncDir(row.tmp)
    const existing = statOrNull(row.target)
    if (existing?.isDirectory() && fs.readdirSync(row.target).length === 0) fs.rmdirSync(row.target)
    fs.renameSync(row.tmp, row.target)
  } else if (row.replace) {
    fs.renameSync(row.tmp, row.target)
  } else {
    try {
      fs.linkSync(row.tmp, row.target)
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code
      if (code === 'EEXIST') throw outputExists(label, row.target)
      if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'EXDEV') throw error
      // No hard links here: check, then rename (a narrow race the file system leaves us).
      if (fs.existsSync(row.target)) throw outputExists(label, row.target)
      fs.renameSync(row.tmp, row.target)
    }
    fs.rmSync(row.tmp, {force: true})
  }
  fsyncDir(path.dirname(row.target))
}

/**
 * Records the intent to write `target` and returns where to write it. Must run outside a transaction: the
 * intent is committed before the temp file exists, so no crash can leave a temp file the store does not know.
 */
export async function prepareOutput(store: Store, targetPath: string, opts: OutputOptions): Promise<Output> {
  if (store.inTransaction()) throw new Error('prepareOutput runs outside a transaction')
  const target = path.resolve(targetPath)
  checkTarget(store, target, opts)
  const dir = path.dirname(target)
  const tmp = path.join(dir, `.${path.basename(target)}.custodian-${randomBytes(6).toString('hex')}.tmp`)
  const now = new Date().toISOString()
  const {db} = store
  const id = await inTransaction(store, async () => {
    await db.insertInto('output_folders').values({path: dir, last_used: now}).onConflict((oc) => oc.column('path').doUpdateSet({last_used: now})).execute()
    const row = await db.insertInto('file_outputs').values({target, tmp, kind: opts.kind, replace: opts.replace ? 1 : 0, purpose: opts.purpose, state: 'pending', pid: process.pid, host: os.hostname(), created_at: now})
      .returning('id').executeTakeFirstOrThrow()
    return Number(row.id)
  })
  const forget = async () => {
    await db.deleteFrom('file_outputs').where('id', '=', id).execute()
  }
  if (opts.kind === 'dir') {
    try {
      fs.mkdirSync(tmp, {mode: 0o700})
    } catch (error) {
      await forget()
      throw outUnwritable(opts.label, target, (error as NodeJS.ErrnoException).code ?? String(error))
    }
  }
  let done = false
  return {
    target,
    tmp,
    async commitWith() {
      await db.updateTable('file_outputs').set({state: 'committed'}).where('id', '=', id).execute()
    },
    async publish() {
      try {
        place({tmp, target, kind: opts.kind, replace: opts.replace ? 1 : 0}, opts.label)
      } catch (error) {
        removeTemp(tmp)
        done = true
        await forget()
        throw error
      }
      done = true
      await forget()
    },
    async discard() {
      if (done) return
      done = true
      try {
        removeTemp(tmp)
        if (!store.inTransaction()) await forget()
      } catch {
        // The next command that opens the store removes it.
      }
    },
  }
}

/** Writes a new file (0600) and makes its bytes durable before anything refers to it. */
export function writeDurable(file: string, data: string | Uint8Array): void {
  const fd = fs.openSync(file, 'wx', 0o600)
  try {
    fs.writeFileSync(fd, data)
    fs.fsyncSync(fd)
  } finally {
    fs.closeSync(fd)
  }
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}

export interface RecoveredOutputs {
  /** Files of committed work that a crash kept from their place, now put there. */
  finished: string[]
  /** Temp files of work that never committed, now removed. */
  removed: string[]
  /** Outputs another live process is still writing. */
  inProgress: string[]
  /** Outputs that could not be finished (e.g. the target appeared meanwhile), with why. */
  failed: {target: string; reason: string}[]
}

/**
 * Work another process may still be doing: a live process on this machine, or any process on another machine
 * (whose liveness cannot be told from here, so its work is left to it). This process's own leftovers are not.
 */
export function inFlight(row: {pid: number; host: string}): boolean {
  if (row.host !== os.hostname()) return true
  return row.pid !== process.pid && processAlive(row.pid)
}

/**
 * Finishes what crashed processes left (see the protocol above). Cheap when there is nothing to do (one
 * indexed read); best effort on a store this process may not write.
 */
export async function recoverOutputs(store: Store): Promise<RecoveredOutputs> {
  const out: RecoveredOutputs = {finished: [], removed: [], inProgress: [], failed: []}
  const rows = await store.db.selectFrom('file_outputs').select(['id', 'target', 'tmp', 'kind', 'replace', 'state', 'pid', 'host']).orderBy('id').execute()
  for (const row of rows) {
    if (inFlight(row)) {
      out.inProgress.push(row.target)
      continue
    }
    try {
      if (row.state === 'committed' && fs.existsSync(row.tmp)) {
        place(row, 'output')
        out.finished.push(row.target)
      } else if (fs.existsSync(row.tmp)) {
        removeTemp(row.tmp)
        out.removed.push(row.tmp)
      }
    } catch (error) {
      removeTemp(row.tmp)
      out.failed.push({target: row.target, reason: error instanceof Error ? error.message : String(error)})
    }
    await store.db.deleteFrom('file_outputs').where('id', '=', row.id).execute()
  }
  return out
}

/** The folders custodian has written output into, and the store's own: where stray temp files are looked for. */
export async function outputFolders(store: Store): Promise<string[]> {
  const rows = (await store.db.selectFrom('output_folders').select('path').orderBy('path').execute()).map((r) => r.path)
  return [...new Set([...(store.engine === 'sqlite' ? [path.dirname(path.resolve(store.path))] : []), ...rows])]
}

/** Temp files (by custodian's naming patterns) in the folders, except those of outputs still in flight. */
export async function strayTemps(store: Store): Promise<string[]> {
  const live = new Set((await store.db.selectFrom('file_outputs').select('tmp').execute()).map((r) => r.tmp))
  const found: string[] = []
  for (const dir of await outputFolders(store)) {
    let names: string[]
    try {
      names = fs.readdirSync(dir)
    } catch {
      continue
    }
    for (const name of names) {
      const p = path.join(dir, name)
      if (isCustodianTemp(name) && !live.has(p)) found.push(p)
    }
  }
  return found
}

