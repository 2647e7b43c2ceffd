import {parse} from 'csv-parse/sync'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {afterEach, beforeEach, describe, expect, it} from 'vitest'

import {CsvFileWriter, neutralizeCell} from '../../../src/csv/write.js'

let dir: string

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'custodian-write-'))
})
afterEach(() => {
  fs.rmSync(dir, {recursive: true, force: true})
})

const modeOf = (p: string) => fs.statSync(p).mode & 0o777
const listing = () => fs.readdirSync(dir).sort()

describe('neutralizeCell', () => {
  it.each([
    ['=SUM(A1:A9)', "'=SUM(A1:A9)"],
    ['+1 555 0100', "'+1 555 0100"],
    ['-24.5', "'-24.5"],
    ['@cmd', "'@cmd"],
    ['\tindented', "'\tindented"],
    ['\rreturn', "'\rreturn"],
    ['=', "'="],
    ['-', "'-"],
  ])('%j → %j', (input, expected) => {
    expect(neutralizeCell(input)).toBe(expected)
  })

  it.each(['', 'Smith', "O'Brien", 'Núñez', 'a=b', 'x+y', 'Smith-Jones', 'jane@example.gov', '123', ' =leading space', "'already quoted", 'line\nbreak'])(
    'leaves %j untouched',
    (input) => {
      expect(neutralizeCell(input)).toBe(input)
    },
  )
})

describe('CsvFileWriter', () => {
  it('writes a header row and RFC 4180 quoting, UTF-8, mode 0600', async () => {
    const file = path.join(dir, 'rejects.csv')
    const w = new CsvFileWriter(file, ['row', 'employee_id', 'message'])
    w.write([1, 'E1', 'plain'])
    w.write([2, 'E2', 'has, a comma'])
    w.write([3, 'E3', 'has "quotes"'])
    w.write([4, 'E4', 'two\nlines'])
    w.write([5, 'E5', 'Núñez O’Brien'])
    await w.close()

    const text = fs.readFileSync(file, 'utf8')
    expect(text.split('\n')[0]).toBe('row,employee_id,message')
    expect(text).toContain('2,E2,"has, a comma"')
    expect(text).toContain('3,E3,"has ""quotes"""')
    expect(parse(text)).toEqual([
      ['row', 'employee_id', 'message'],
      ['1', 'E1', 'plain'],
      ['2', 'E2', 'has, a comma'],
      ['3', 'E3', 'has "quotes"'],
      ['4', 'E4', 'two\nlines'],
      ['5', 'E5', 'Núñez O’Brien'],
    ])
    expect(modeOf(file)).toBe(0o600)
    expect(listing()).toEqual(['rejects.csv'])
  })

  it('neutralises formula-like text cells (header too) but not numbers, null or undefined', async () => {
    const file = path.join(dir, 'out.csv')
    const w = new CsvFileWriter(file, ['=evil', 'b', 'c', 'd', 'e', 'f', 'g'])
    w.write(['=1+1', '+1', '-1', '@SUM(A1)', '\tx', '\rx', 'safe'])
    w.write([-5, 12.5, null, undefined, '', 'a=b', "O'Brien"])
    await w.close()
    expect(parse(fs.readFileSync(file, 'utf8'))).toEqual([
      ["'=evil", 'b', 'c', 'd', 'e', 'f', 'g'],
      ["'=1+1", "'+1", "'-1", "'@SUM(A1)", "'\tx", "'\rx", 'safe'],
      ['-5', '12.5', '', '', '', 'a=b', "O'Brien"],
    ])
  })

  it('never writes into an existing file (it is always a new temp)', async () => {
    const file = path.join(dir, 'out.csv')
    fs.writeFileSync(file, 'keep\n')
    const w = new CsvFileWriter(file, ['a'])
    await expect(w.close()).rejects.toThrow(/EEXIST/)
    expect(fs.readFileSync(file, 'utf8')).toBe('keep\n')
  })

  it('writes many rows', async () => {
    const file = path.join(dir, 'big.csv')
    const w = new CsvFileWriter(file, ['i', 'name'])
    for (let i = 0; i < 20_000; i++) w.write([i, `name ${i}`])
    await w.close()
    const rows = parse(fs.readFileSync(file, 'utf8')) as string[][]
    expect(rows).toHaveLength(20_001)
    expect(rows[20_000]).toEqual(['19999', 'name 19999'])
  })
})
