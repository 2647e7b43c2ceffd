import Database from 'better-sqlite3'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {Kysely, type Migration, SqliteDialect} from 'kysely'
import {describe, expect, it} from 'vitest'

import {migrations} from '../../../migrations/index.js'
import {migrateToLatest, migrationState} from '../../../src/store/migrate.js'
import {tableColumns} from '../../../src/store/schema.js'

function tempDb() {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'custodian-mig-')), 'm.db')
  const sqlite = new Database(file)
  return {sqlite, db: new Kysely<any>({dialect: new SqliteDialect({database: sqlite})})}
}

const tables = (sqlite: Database.Database) =>
  (sqlite.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE 'kysely_%' ORDER BY name").all() as {name: string}[]).map((r) => r.name)

describe('migrations', () => {
  it('create exactly the tables and columns the Database types promise', async () => {
    const {sqlite, db} = tempDb()
    await migrateToLatest(db)
    expect(tables(sqlite)).toEqual(Object.keys(tableColumns).sort())
    for (const [table, cols] of Object.entries(tableColumns)) {
      const real = (sqlite.prepare(`PRAGMA table_info(${table})`).all() as {name: string}[]).map((c) => c.name).sort()
      expect(real, table).toEqual(Object.keys(cols).sort())
    }
    expect(await migrationState(db)).toEqual({applied: Object.keys(migrations).length, latest: Object.keys(migrations).length})
    await db.destroy()
  })

  it('leave the store as it was when a migration fails half-way', async () => {
    const {sqlite, db} = tempDb()
    await migrateToLatest(db)
    const before = tables(sqlite)
    const failing: Migration = {
      async up(k) {
        await k.transaction().execute(async (trx) => {
          await trx.schema.createTable('half_done').addColumn('id', 'integer').execute()
          await trx.schema.alterTable('employees').addColumn('oops', 'text').execute()
          throw new Error('disk on fire')
        })
      },
    }
    await expect(migrateToLatest(db, {...migrations, '9999_failing': failing})).rejects.toThrow('disk on fire')
    expect(tables(sqlite)).toEqual(before)
    const cols = (sqlite.prepare('PRAGMA table_info(employees)').all() as {name: string}[]).map((c) => c.name)
    expect(cols).not.toContain('oops')
    expect(await migrationState(db)).toMatchObject({applied: Object.keys(migrations).length})
    await db.destroy()
  })

  it('are idempotent: a second run applies nothing', async () => {
    const {db} = tempDb()
    expect(await migrateToLatest(db)).toBe(Object.keys(migrations).length)
    expect(await migrateToLatest(db)).toBe(0)
    await db.destroy()
  })

  it('0004 keeps the data of a store made before it: disclosures keep their subject, names get a search key', async () => {
    const {sqlite, db} = tempDb()
    const upTo3 = Object.fromEntries(Object.entries(migrations).filter(([name]) => name < '0004'))
    await migrateToLatest(db, upTo3)
    const now = '2026-11-01T00:00:00.000Z'
    sqlite.prepare(`INSERT INTO employees (employee_id, last_name, first_name, pay_plan, tour_of_duty, scheduled_hours, agency_code, org_code, created_at, updated_at)
      VALUES ('E1', 'García Márquez', 'JOSÉ', 'GS', 'FT', 8000, 'HS', '01', ?, ?)`).run(now, now)
    sqlite.prepare(`INSERT INTO disclosures (employee_ref, disclosed_on, recipient, address, purpose, record_type, created_by, created_at)
      VALUES (1, '2026-11-02', 'NFC', 'New Orleans', 'payroll', 'payroll_batch', 'admin', ?)`).run(now)
    await migrateToLatest(db, Object.fromEntries(Object.entries(migrations).filter(([name]) => name < '0005')))
    expect(sqlite.prepare('SELECT name_key FROM employees').pluck().get()).toBe('garcia marquez|jose')
    expect(sqlite.prepare('SELECT subject_employee_id, employee_ref, recipient FROM disclosures').get()).toEqual({subject_employee_id: 'E1', employee_ref: 1, recipient: 'NFC'})
    // The accounting outlives the profile: destroying the employee keeps the entry, unlinked.
    sqlite.pragma('foreign_keys = ON')
    sqlite.prepare('DELETE FROM employees').run()
    expect(sqlite.prepare('SELECT subject_employee_id, employee_ref FROM disclosures').get()).toEqual({subject_employee_id: 'E1', employee_ref: null})
    expect(sqlite.prepare('SELECT count(*) FROM retention_schedules').pluck().get()).toBe(5)
    await db.destroy()
  })
})
