import {describe, expect, it} from 'vitest'

import {RECORD_TYPES, REGISTRY} from '../../../src/records/registry.js'
import {tableColumns} from '../../../src/store/schema.js'

// Tables that hold no personal data of the people the records are about, and why. Every other table must
// belong to a record type of the registry, so a sweep destroys its rows with the record.
const NOT_PERSONAL: Record<string, string> = {
  settings: 'store settings',
  operators: 'operator logins, roles and scopes',
  audit_log: 'action, actor, time, record type, surrogate id and digest only (by design)',
  import_batches: 'file names, digests and counts',
  import_reject_codes: 'reject codes and counts per import batch (migration 0017), never a row',
  hour_types: 'code table',
  closure_days: 'calendar',
  retention_schedules: 'schedules',
  holds: 'reasons cite matters; subjects are in hold_employees',
  hold_employees: 'employee_id only (a surrogate identifier)',
  disposals: 'certificates: counts and digests of surrogate ids; never swept',
  disposal_reviews: 'disposition reviews: dates, operators and status; never swept',
  disposal_review_items: 'the frozen records of a review: record type, schedule and surrogate id only',
  file_outputs: 'paths of files being written beside the store, kept only until each is in place',
  output_folders: 'folders custodian has written into (for doctor\'s temp-file scan)',
  systems: 'the systems of records\' notice texts',
  routine_uses: 'the routine uses of each system',
  inquiry_categories: 'code table of inquiry categories',
  inquiry_routes: 'routing rules: ZIP prefixes and states to agencies',
  do_not_contact: 'keyed hashes (HMAC, key outside the store) of forgotten contacts\' emails and phones, never the values',
}

describe('the record-type registry', () => {
  it('covers every table that can hold personal data, each in exactly one record type', () => {
    const owners = new Map<string, string[]>()
    for (const entry of REGISTRY) for (const table of entry.tables) owners.set(table, [...(owners.get(table) ?? []), entry.type])
    for (const table of Object.keys(tableColumns)) {
      if (table in NOT_PERSONAL) {
        expect(owners.has(table), `${table} is listed as not personal but a record type owns it`).toBe(false)
        continue
      }
      expect(owners.get(table)?.length ?? 0, `${table} belongs to no record type`).toBeGreaterThan(0)
    }
    // A record's own table is owned by that type only (child tables such as batch detail may be shared).
    for (const entry of REGISTRY) expect(owners.get(entry.tables[0]), entry.type).toEqual([entry.type])
  })

  it('lists every record type once, each with its own schedule, in an order where afterGone types come first', () => {
    expect(REGISTRY.map((e) => e.type)).toEqual([...RECORD_TYPES])
    expect(new Set(REGISTRY.map((e) => e.schedule)).size).toBe(REGISTRY.length)
    REGISTRY.forEach((entry, i) => {
      for (const before of entry.afterGone) expect(REGISTRY.findIndex((e) => e.type === before), `${entry.type} after ${before}`).toBeLessThan(i)
    })
  })
})
