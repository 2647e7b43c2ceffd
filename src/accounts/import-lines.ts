import type {RowIssue} from '../imports/engine.js'
import {type EndMessage, type RecordBatch, newSlots, readRecordBatches, slotDoubles} from '../csv/record-batches.js'
import type {WorkerSide} from '../csv/worker-stream.js'
import {mapHeader, unneutralizeCell} from '../csv/read.js'
import {SIGN_IN_COLUMNS, type SignInRow, checkSignInRow, toSignInValues} from './checks.js'

/**
 * The first half of a sign-in import, which a worker thread runs while the main thread stores (import.ts):
 * read and parse the file, check every row on its own (the AA-* codes that need no store) and pack the
 * rows in batches, one per chunk of the file, as numbers in shared memory and a few strings, so that few
 * objects cross threads. A log names the same users over and over: users, who each user is (a profile) and
 * applications go in tables that grow as the batches add to them, and a row names their index. The main
 * thread does the rest: accounts, AA-EMPLOYEE, AA-DUP-ROW, storing.
 */

/** Numbers per row in the shared slots, at these offsets. */
export const FIELDS = 6
export const F = {
  /** Where the row's record lies in SignInBatch.text (to read its cells again). */
  start: 0,
  end: 1,
  /** Index in the user table (user ids, lower case). */
  user: 2,
  /** Index in the profile table. */
  profile: 3,
  /** Index in the application table; -1: none. */
  application: 4,
  /** signed_in_at, ms since the epoch. */
  at: 5,
} as const

/** A profile: who the user is, as a sign-in says (the account's columns), JSON of these values. */
export type Profile = [name: string, email: string, department: string | null, userRole: string | null, employeeId: string | null]

/**
 * The most users the table holds: then it starts over. The main thread holds the accounts of the users in
 * the table (a few MB at most, and more than the users of a large agency's daily log, so that most files
 * write an account once).
 */
export const USERS_HELD = 50_000
const PROFILES_HELD = 50_000
const APPLICATIONS_HELD = 1_000

/** The most rows in one batch. */
const SLOT_ROWS = 4096

export interface SignInHeader {
  kind: 'header'
  cells: string[]
}

/** Values added to a table by one batch; after `reset` the table starts empty. */
export interface TableAdds {
  added: string[]
  reset: boolean
}

export interface SignInBatch extends RecordBatch {
  /** Of each row that passed, in order: signed_in_at (UTC, as stored) and ip_address (null: none). */
  stamps: (string | null)[]
  users: TableAdds
  /** Profiles as JSON. */
  profiles: TableAdds
  applications: TableAdds
  /** The issues of the rows that failed, in row order: a row failed when it has one. */
  issues: RowIssue[]
}

export type SignInMessage = SignInHeader | SignInBatch | EndMessage

export interface SignInReaderOptions {
  file: string
  ignoreUnknown: boolean
  /** The --as-of day: AA-TIME. */
  today: string
  /** The rows' numbers (FIELDS each), in WINDOW slots of SLOT_ROWS rows (see newSignInSlots). */
  slots: SharedArrayBuffer
}

export const newSignInSlots = (): SharedArrayBuffer => newSlots(SLOT_ROWS * FIELDS * 8)

/** The numbers of a batch's rows, where they lie in the shared slots. */
export const batchFields = (slots: SharedArrayBuffer, batch: SignInBatch): Float64Array => slotDoubles(slots, batch.slot, batch.count * FIELDS)

/** A table of strings built as batches add to it: each string's index, until the table starts over. */
class Table {
  private readonly index = new Map<string, number>()

  constructor(private readonly limit: number) {}

  /** A new batch's adds: the table starts over when it is full. */
  adds(): TableAdds {
    const reset = this.index.size >= this.limit
    if (reset) this.index.clear()
    return {added: [], reset}
  }

  of(value: string, adds: TableAdds): number {
    let i = this.index.get(value)
    if (i === undefined) {
      i = this.index.size
      this.index.set(value, i)
      adds.added.push(value)
    }
    return i
  }
}

/** Reads, checks and packs the rows of a sign-in log, and hashes it, posting each message on `channel`. */
export function readSignInLines(opts: SignInReaderOptions, channel: Pick<WorkerSide<unknown>, 'acquire' | 'post'>): void {
  let fields: [string, number][] = []
  let fromRejects = false
  let slot = slotDoubles(opts.slots, 0, SLOT_ROWS * FIELDS)
  const users = new Table(USERS_HELD)
  const profiles = new Table(PROFILES_HELD)
  const applications = new Table(APPLICATIONS_HELD)
  readRecordBatches<SignInBatch>(opts.file, {
    maxCount: SLOT_ROWS,
    header(cells) {
      const header = mapHeader(cells, [...SIGN_IN_COLUMNS], opts.ignoreUnknown)
      fields = [...header.index.entries()]
      fromRejects = header.fromRejects
      return {kind: 'header', cells} satisfies SignInHeader
    },
    batch(firstRow, n) {
      slot = slotDoubles(opts.slots, n, SLOT_ROWS * FIELDS)
      return {kind: 'lines', text: '', firstRow, count: 0, slot: n, bytes: 0, stamps: [], users: users.adds(), profiles: profiles.adds(), applications: applications.adds(), issues: []}
    },
    record(batch, cells, row, start, end) {
      const o = batch.count * FIELDS
      slot[o + F.start] = start
      slot[o + F.end] = end
      const values: SignInRow = {}
      for (const [name, i] of fields) values[name as keyof SignInRow] = fromRejects ? unneutralizeCell(cells[i].trim()) : cells[i].trim()
      const findings = checkSignInRow(values, opts.today)
      if (findings.length > 0) {
        for (const f of findings) batch.issues.push({row, column: f.column, code: f.code, message: f.message})
        return
      }
      const v = toSignInValues(values)
      slot[o + F.user] = users.of(v.userId, batch.users)
      slot[o + F.profile] = profiles.of(JSON.stringify([v.name, v.email, v.department, v.userRole, v.employeeId] satisfies Profile), batch.profiles)
      slot[o + F.application] = v.application === null ? -1 : applications.of(v.application, batch.applications)
      slot[o + F.at] = Date.parse(v.signedInAt)
      batch.stamps.push(v.signedInAt, v.ipAddress)
    },
  }, channel)
}
