import {createHash} from 'node:crypto'

import Database from 'better-sqlite3'
import {describe, expect, it} from 'vitest'

import {registerSealFunction, sqliteSealSql} from '../../../src/timecards/certify-sqlite.js'
import {cardSeal} from '../../../src/timecards/seal-text.js'

const card = {id: 41, employee_ref: 7, pay_period_start: '2026-11-01', version: 2}
const lines = [
  {work_date: '2026-11-02', hour_type: 'REG', accounting_code: 'HS-1', hours: 800},
  {work_date: '2026-11-02', hour_type: 'SL', accounting_code: 'HS-1', hours: 25},
  {work_date: '2026-11-03', hour_type: 'REG', accounting_code: 'HS-1.A', hours: 775},
]

describe('timecard seals', () => {
  it('hash the version 1 text: tag, id, employee_ref, pay period, version, then the lines in key order', () => {
    const text = 'custodian-timecard-seal-v1\n41\n7\n2026-11-01\n2\n2026-11-02\tREG\tHS-1\t800\n2026-11-02\tSL\tHS-1\t25\n2026-11-03\tREG\tHS-1.A\t775'
    expect(cardSeal(card, lines)).toBe(createHash('sha256').update(text).digest('hex'))
  })

  it('change with any line\'s hours, date, type or code, and with the card\'s identity or version', () => {
    const seal = cardSeal(card, lines)
    const edits = [
      {...lines[0], hours: 2400}, {...lines[0], work_date: '2026-11-04'}, {...lines[0], hour_type: 'OT'}, {...lines[0], accounting_code: 'HS-2'},
    ]
    for (const edit of edits) expect(cardSeal(card, [edit, ...lines.slice(1)])).not.toBe(seal)
    expect(cardSeal(card, lines.slice(1))).not.toBe(seal)
    expect(cardSeal({...card, version: 3}, lines)).not.toBe(seal)
    expect(cardSeal({...card, id: 42}, lines)).not.toBe(seal)
    expect(cardSeal({...card, employee_ref: 8}, lines)).not.toBe(seal)
  })

  it('SQLite\'s SQL computes the same seal, whatever order the lines were stored in; a card without lines too', () => {
    const db = new Database(':memory:')
    registerSealFunction(db)
    db.exec(`CREATE TABLE timecards (id INTEGER PRIMARY KEY, employee_ref INTEGER, pay_period_start TEXT, version INTEGER);
      CREATE TABLE timecard_lines (timecard_id INTEGER, work_date TEXT, hour_type TEXT, accounting_code TEXT, hours INTEGER,
        PRIMARY KEY (timecard_id, work_date, hour_type, accounting_code)) WITHOUT ROWID`)
    db.prepare('INSERT INTO timecards VALUES (?, ?, ?, ?)').run(card.id, card.employee_ref, card.pay_period_start, card.version)
    db.prepare('INSERT INTO timecards VALUES (?, ?, ?, ?)').run(43, 7, '2026-11-15', 1)
    const insert = db.prepare('INSERT INTO timecard_lines VALUES (?, ?, ?, ?, ?)')
    for (const l of [...lines].reverse()) insert.run(card.id, l.work_date, l.hour_type, l.accounting_code, l.hours)
    const seal = db.prepare(`SELECT ${sqliteSealSql('c')} FROM timecards c WHERE c.id = ?`).pluck()
    expect(seal.get(card.id)).toBe(cardSeal(card, lines))
    expect(seal.get(43)).toBe(cardSeal({id: 43, employee_ref: 7, pay_period_start: '2026-11-15', version: 1}, []))
  })
})
