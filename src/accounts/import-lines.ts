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

/**
 * Numbers per row in the shared slots, at these offsets: where the row's record lies in SignInBatch.text
 * (start, end: to read its cells again); its index in the user table (user ids, lower case); profile 1 when
 * the row's profile is the next of SignInBatch.profiles (it differs from the last one sent for the user), 0
 * when it is the same; its index in the application table (-1: none); signed_in_at in ms since the epoch.
 */
export const F = {start: 0, end: 1, user: 2, profile: 3, application: 4, at: 5} as const
export const FIELDS = 6

/** A profile: who the user is, as a sign-in says (the account's columns). */
export type Profile = [name: string, email: string, department: string | null, userRole: string | null, employeeId: string | null]

/**
 * The most users the table holds: then it starts over. The main thread holds the accounts of the users in
 * the table (a few MB at most, and more than the users of a large agency's daily log, so that most files
 * write an account once).
 */
export const USERS_HELD = 50_000
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
  /** The profiles of the rows whose F.profile is 1, in order, as JSON. */
  profiles: string[]
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
      // A copy: a cell can be a slice of the whole chunk of text it was read from, which the table would keep.
      value = Buffer.from(value).toString()
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
  const applications = new Table(APPLICATIONS_HELD)
  /** The profile last sent for each user of the table (the main thread has it). */
  let sent: (Profile | undefined)[] = []
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
      const userAdds = users.adds()
      if (userAdds.reset) sent = []
      return {kind: 'lines', text: '', firstRow, count: 0, slot: n, bytes: 0, stamps: [], users: userAdds, profiles: [], applications: applications.adds(), issues: []}
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
      const u = users.of(v.userId, batch.users)
      slot[o + F.user] = u
      const last = sent[u]
      if (last && last[0] === v.name && last[1] === v.email && last[2] === v.department && last[3] === v.userRole && last[4] === v.employeeId) {
        slot[o + F.profile] = 0
      } else {
        const profile: Profile = [v.name, v.email, v.department, v.userRole, v.employeeId]
        const json = JSON.stringify(profile)
        sent[u] = JSON.parse(json) as Profile // copies (see Table.of)
        batch.profiles.push(json)
        slot[o + F.profile] = 1
      }
      slot[o + F.application] = v.application === null ? -1 : applications.of(v.application, batch.applications)
      slot[o + F.at] = Date.parse(v.signedInAt)
      batch.stamps.push(v.signedInAt, v.ipAddress)
    },
  }, channel)
}
