import type BetterSqlite3 from 'better-sqlite3'

import type {ImportContext, RowIssue, RowTally, StreamKind} from '../imports/engine.js'
import {parseRecord} from '../csv/parse.js'
import {insertChunk} from '../imports/chunks.js'
import {WarmWorker, builtWorkerFile} from '../csv/worker-stream.js'
import {sqliteOf} from '../store/store.js'
import {type AccountCode, SIGN_IN_COLUMNS} from './checks.js'
import {F, FIELDS, type Profile, type SignInBatch, type SignInMessage, type SignInReaderOptions, USERS_HELD, batchFields, newSignInSlots} from './import-lines.js'

/** An account as the import needs it: its surrogate id and its last access. */
export interface StoredAccount {
  id: number
  lastAccess: string
}

/** How many accounts the import keeps in memory before it writes their latest sign-in and forgets them. */
export const ACCOUNTS_HELD = USERS_HELD

/** AA-DUP-ROW's message: `batch` stored the sign-in (this import's: earlier in the file). */
export const duplicateMessage = (userId: string, at: string, batch: number, thisBatch: number): string =>
  `a sign-in of ${userId} at ${at} is ${batch === thisBatch ? 'earlier in this file' : `already stored (import batch ${batch})`}.`

export const employeeMessage = (employeeId: string): string => `employee_id ${employeeId} is not an employee in the store; the sign-in was stored.`

/** The worker's heap stays small (it holds a few batches at a time); peak RSS is a target of the import. */
const worker = new WarmWorker<SignInMessage, SignInReaderOptions>(() => builtWorkerFile(import.meta.url, './import-worker.js'), {maxYoungGenerationSizeMb: 8})

/**
 * Sign-in import (SQLite; PostgreSQL: import-postgres.ts): a worker thread reads, parses and checks the rows
 * (import-lines.ts) while this thread stores them, in the import's one transaction.
 */
export const accountsImport: StreamKind = {
  kind: 'accounts',
  columns: SIGN_IN_COLUMNS,
  warmUp() {
    worker.warmUp()
  },
  async read(ctx, rows) {
    const db = sqliteOf(ctx.store, 'accounts import')
    const opts: SignInReaderOptions = {file: ctx.file, ignoreUnknown: ctx.ignoreUnknown, today: ctx.today, slots: newSignInSlots()}
    let signIns: SignIns | undefined
    let sha256 = ''
    // Sign-ins go into the (account, time) index all over it: a page cache that holds more of it saves
    // most of the reads (and the import's system time) of the default 2 MB.
    const cache = db.pragma('cache_size', {simple: true}) as number
    db.pragma(`cache_size = ${IMPORT_CACHE_KB}`)
    try {
      for await (const m of worker.messages(opts)) {
        if (m.kind === 'header') {
          rows.header(m.cells)
          signIns = new SignIns(db, ctx, rows)
        } else if (m.kind === 'lines') {
          signIns!.add(m, batchFields(opts.slots, m))
        } else {
          signIns?.finish()
          sha256 = m.sha256
          rows.progress(m.bytes)
        }
      }
    } finally {
      db.pragma(`cache_size = ${cache}`)
    }
    return {sha256}
  },
  // Sign-ins reference the accounts this import creates or finds.
  referencesByConstruction: true,
}

/** An account read or created by this import. */
interface HeldAccount {
  id: number
  /** Its last access, ms since the epoch. */
  lastAccess: number
  /** Set when a sign-in after the stored last access was seen: who the user is then (the account is written with it). */
  latest: Profile | null
}

/** The import's SQLite page cache, in KiB (as PRAGMA cache_size takes it: negative). */
const IMPORT_CACHE_KB = -16_384
/** Sign-ins go to the store this many at a time (one multi-row INSERT). */
const CHUNK = 64
const SIGN_IN_PARAMS = 5
/** Employees remembered (whether each employee_id is in the store). */
const EMPLOYEES_HELD = 10_000

/**
 * Stores checked sign-ins with prepared statements, in file order; each upserts its account. The import
 * holds the accounts of the users in the worker's user table (their id and last access) and writes an
 * account's latest sign-in once when the table starts over (and at the end), not once per row. Sign-ins are
 * inserted CHUNK at a time; the unique index on (account, time) finds duplicates (AA-DUP-ROW). Memory stays
 * bounded whatever the file's length.
 */
class SignIns {
  private readonly batchId: number
  private readonly now: string
  /** The worker's tables (import-lines.ts), and what this thread knows of their entries. */
  private readonly userIds: string[] = []
  private readonly accounts: (HeldAccount | undefined)[] = []
  /** Of each user: the profile of their last row. */
  private readonly profiles: Profile[] = []
  /** Of each user: 1 when the profile's employee_id is missing from the store, 0 when it is not, undefined until asked. */
  private readonly strangers: (number | undefined)[] = []
  private readonly applications: string[] = []
  private profileJson: string[] = []
  private nextProfile = 0
  private readonly employees = new Map<string, boolean>()
  /** Sign-ins waiting for one multi-row INSERT: SIGN_IN_PARAMS values each; their row, record, user and profile. */
  private readonly pending: (string | number | null)[] = new Array(CHUNK * SIGN_IN_PARAMS)
  private readonly pendingRow = new Int32Array(CHUNK)
  private readonly pendingText: string[] = new Array(CHUNK)
  private readonly pendingSpan = new Int32Array(CHUNK * 2)
  private readonly pendingUser: string[] = new Array(CHUNK)
  /** The employee_id of an AA-EMPLOYEE warning, or null. */
  private readonly pendingStranger: (string | null)[] = new Array(CHUNK)
  private pendingCount = 0
  private readonly q

  constructor(db: BetterSqlite3.Database, ctx: ImportContext, private readonly rows: RowTally) {
    this.batchId = ctx.batchId
    this.now = ctx.now
    const values = Array.from({length: CHUNK}, () => '(?, ?, ?, ?, ?)').join(', ')
    const insert = 'INSERT INTO sign_ins (account_ref, signed_in_at, ip_address, application, batch_id) VALUES'
    this.q = {
      account: db.prepare('SELECT id, last_access FROM accounts WHERE user_id = ?').raw(),
      employee: db.prepare('SELECT 1 FROM employees WHERE employee_id = ?').pluck(),
      insertAccount: db.prepare(`INSERT INTO accounts (user_id, name, email, department, user_role, employee_id, last_access, created_at, updated_at)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`),
      updateAccount: db.prepare(`UPDATE accounts SET name = ?, email = ?, department = ?, user_role = ?, employee_id = ?, last_access = ?, updated_at = ?
        WHERE id = ?`),
      // Plain INSERT: a duplicate aborts the whole statement, and the chunk is then stored row by row.
      insertChunk: db.prepare(`${insert} ${values}`),
      insertOne: db.prepare(`${insert.replace('INSERT', 'INSERT OR IGNORE')} (?, ?, ?, ?, ?)`),
      signInBatch: db.prepare('SELECT batch_id FROM sign_ins WHERE account_ref = ? AND signed_in_at = ?').pluck(),
    }
  }

  /** Counts and stores one batch of rows, in row order. */
  add(batch: SignInBatch, fields: Float64Array): void {
    if (batch.users.reset) {
      this.forget()
      this.userIds.length = 0
      this.profiles.length = 0
      this.strangers.length = 0
    }
    for (const u of batch.users.added) this.userIds.push(u)
    this.profileJson = batch.profiles
    this.nextProfile = 0
    if (batch.applications.reset) this.applications.length = 0
    for (const a of batch.applications.added) this.applications.push(a)

    const {stamps, issues, text} = batch
    let s = 0
    let issue = 0
    for (let i = 0; i < batch.count; i++) {
      const row = batch.firstRow + i
      const o = i * FIELDS
      if (issue < issues.length && issues[issue].row === row) {
        const own: RowIssue[] = []
        while (issue < issues.length && issues[issue].row === row) own.push(issues[issue++])
        this.flush()
        this.rows.reject(row, parseRecord(text.slice(fields[o + F.start], fields[o + F.end])), own)
        continue
      }
      this.signIn(row, fields, o, stamps[s]!, stamps[s + 1], text)
      s += 2
    }
    this.rows.progress(batch.bytes)
  }

  private signIn(row: number, fields: Float64Array, o: number, at: string, ip: string | null, text: string): void {
    const u = fields[o + F.user]
    const ms = fields[o + F.at]
    if (fields[o + F.profile] === 1) {
      this.profiles[u] = JSON.parse(this.profileJson[this.nextProfile++]) as Profile
      this.strangers[u] = undefined
    }
    const profile = this.profiles[u]
    let account = this.accounts[u]
    if (!account) {
      const stored = this.q.account.get(this.userIds[u]) as [number, string] | undefined
      if (stored) this.accounts[u] = account = {id: stored[0], lastAccess: Date.parse(stored[1]), latest: null}
    }
    if (!account) {
      const [name, email, department, userRole, employeeId] = profile
      const id = Number(this.q.insertAccount.run(this.userIds[u], name, email, department, userRole, employeeId, at, this.now, this.now).lastInsertRowid)
      this.accounts[u] = account = {id, lastAccess: ms, latest: null}
    } else if (ms > account.lastAccess) {
      // The latest sign-in seen says who the user is now; an older one only adds to the log (and only an
      // older or equal one can be stored already: the account's last access is its latest sign-in).
      account.lastAccess = ms
      account.latest = profile
    }
    const n = this.pendingCount++
    const v = this.pending
    const a = fields[o + F.application]
    v[n * SIGN_IN_PARAMS] = account.id
    v[n * SIGN_IN_PARAMS + 1] = at
    v[n * SIGN_IN_PARAMS + 2] = ip
    v[n * SIGN_IN_PARAMS + 3] = a === -1 ? null : this.applications[a]
    v[n * SIGN_IN_PARAMS + 4] = this.batchId
    this.pendingRow[n] = row
    this.pendingText[n] = text
    this.pendingSpan[n * 2] = fields[o + F.start]
    this.pendingSpan[n * 2 + 1] = fields[o + F.end]
    this.pendingUser[n] = this.userIds[u]
    this.pendingStranger[n] = this.stranger(u) ? profile[4] : null
    if (this.pendingCount === CHUNK) this.flush()
  }

  /** Whether the user's profile names an employee_id that is not in the store (AA-EMPLOYEE). */
  private stranger(u: number): boolean {
    let known = this.strangers[u]
    if (known === undefined) {
      const id = this.profiles[u][4]
      this.strangers[u] = known = id === null || this.employee(id) ? 0 : 1
    }
    return known === 1
  }

  private employee(id: string): boolean {
    let known = this.employees.get(id)
    if (known === undefined) {
      known = this.q.employee.get(id) !== undefined
      if (this.employees.size >= EMPLOYEES_HELD) this.employees.clear()
      this.employees.set(id, known)
    }
    return known
  }

  /** Stores the pending sign-ins: in one statement, or row by row when one is a duplicate (AA-DUP-ROW). */
  private flush(): void {
    const n = this.pendingCount
    if (n === 0) return
    this.pendingCount = 0
    const v = this.pending
    const stored = insertChunk({chunk: this.q.insertChunk, one: this.q.insertOne}, v, n, SIGN_IN_PARAMS, (j, one) => {
      if (one) {
        this.stored(j, 1)
        return
      }
      const p = j * SIGN_IN_PARAMS
      const row = this.pendingRow[j]
      const batch = this.q.signInBatch.get(v[p], v[p + 1]) as number
      const cells = parseRecord(this.pendingText[j].slice(this.pendingSpan[j * 2], this.pendingSpan[j * 2 + 1]))
      this.rows.reject(row, cells, [{row, column: 'signed_in_at', code: 'AA-DUP-ROW' satisfies AccountCode, message: duplicateMessage(this.pendingUser[j], v[p + 1] as string, batch, this.batchId)}])
    })
    if (stored) this.stored(0, n)
  }

  /** Counts `n` pending sign-ins from the j-th as stored, with their warnings. */
  private stored(j: number, n: number): void {
    this.rows.stored('inserted', n)
    for (let k = j; k < j + n; k++) {
      const id = this.pendingStranger[k]
      if (id !== null) this.rows.warn([{row: this.pendingRow[k], column: 'employee_id', code: 'AA-EMPLOYEE' satisfies AccountCode, message: employeeMessage(id)}])
    }
  }

  /** Writes every held account's latest sign-in, and forgets the accounts. */
  private forget(): void {
    for (const a of this.accounts) {
      const l = a?.latest
      if (l) this.q.updateAccount.run(l[0], l[1], l[2], l[3], l[4], new Date(a!.lastAccess).toISOString(), this.now, a!.id)
    }
    this.accounts.length = 0
  }

  finish(): void {
    this.flush()
    this.forget()
  }
}
