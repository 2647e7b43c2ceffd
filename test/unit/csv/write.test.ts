import {parse} from 'csv-parse/sync'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {afterEach, beforeEach, describe, expect, it} from 'vitest'

import {AtomicCsvWriter, neutralizeCell, writeFileAtomic} from '../../../src/csv/write.js'

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

describe('writeFileAtomic', () => {
  it.each([
    ['a string', 'a,b\n1,2\n'],
    ['UTF-8 text', 'name\nNúñez\n'],
    ['an empty string', ''],
    ['bytes', Buffer.from([0, 1, 2, 255])],
  ])('writes %s exactly', (_name, data) => {
    const target = path.join(dir, 'out.csv')
    writeFileAtomic(target, data)
    expect(fs.readFileSync(target)).toEqual(Buffer.from(data))
  })

  it('creates the file with mode 0600 and leaves no temp file', () => {
    const target = path.join(dir, 'out.csv')
    writeFileAtomic(target, 'x\n')
    expect(modeOf(target)).toBe(0o600)
    expect(listing()).toEqual(['out.csv'])
  })

  it('replaces an existing file, which then has mode 0600', () => {
    const target = path.join(dir, 'out.csv')
    fs.writeFileSync(target, 'old contents that are longer\n', {mode: 0o644})
    fs.chmodSync(target, 0o644)
    writeFileAtomic(target, 'new\n')
    expect(fs.readFileSync(target, 'utf8')).toBe('new\n')
    expect(modeOf(target)).toBe(0o600)
    expect(listing()).toEqual(['out.csv'])
  })

  it('writes twice in a row to the same target', () => {
    const target = path.join(dir, 'out.csv')
    writeFileAtomic(target, 'one\n')
    writeFileAtomic(target, 'two\n')
    expect(fs.readFileSync(target, 'utf8')).toBe('two\n')
    expect(listing()).toEqual(['out.csv'])
  })

  it('throws and leaves nothing behind when the folder does not exist', () => {
    expect(() => writeFileAtomic(path.join(dir, 'missing', 'out.csv'), 'x')).toThrow()
    expect(listing()).toEqual([])
  })
})

describe('AtomicCsvWriter', () => {
  it('writes nothing at the target before commit', async () => {
    const target = path.join(dir, 'rejects.csv')
    const w = new AtomicCsvWriter(target, ['a', 'b'])
    w.write(['1', '2'])
    expect(fs.existsSync(target)).toBe(false)
    await w.commit()
    expect(fs.existsSync(target)).toBe(true)
  })

  it('commit writes a header row and RFC 4180 quoting, UTF-8, mode 0600, no temp file', async () => {
    const target = path.join(dir, 'rejects.csv')
    const w = new AtomicCsvWriter(target, ['row', 'employee_id', 'message'])
    w.write([1, 'E1', 'plain'])
    w.write([2, 'E2', 'has, a comma'])
    w.write([3, 'E3', 'has "quotes"'])
    w.write([4, 'E4', 'two\nlines'])
    w.write([5, 'E5', 'Núñez O’Brien'])
    await w.commit()

    const text = fs.readFileSync(target, 'utf8')
    expect(text.split('\n')[0]).toBe('row,employee_id,message')
    expect(text).toContain('2,E2,"has, a comma"')
    expect(text).toContain('3,E3,"has ""quotes"""')
    expect(text).toContain('4,E4,"two\nlines"')
    expect(text).toContain('5,E5,Núñez O’Brien')
    expect(parse(text)).toEqual([
      ['row', 'employee_id', 'message'],
      ['1', 'E1', 'plain'],
      ['2', 'E2', 'has, a comma'],
      ['3', 'E3', 'has "quotes"'],
      ['4', 'E4', 'two\nlines'],
      ['5', 'E5', 'Núñez O’Brien'],
    ])
    expect(modeOf(target)).toBe(0o600)
    expect(listing()).toEqual(['rejects.csv'])
  })

  it('neutralises formula-like text cells but not numbers, null or undefined', async () => {
    const target = path.join(dir, 'out.csv')
    const w = new AtomicCsvWriter(target, ['a', 'b', 'c', 'd', 'e', 'f', 'g'])
    w.write(['=1+1', '+1', '-1', '@SUM(A1)', '\tx', '\rx', 'safe'])
    w.write([-5, 12.5, null, undefined, '', 'a=b', "O'Brien"])
    await w.commit()
    expect(parse(fs.readFileSync(target, 'utf8'))).toEqual([
      ['a', 'b', 'c', 'd', 'e', 'f', 'g'],
      ["'=1+1", "'+1", "'-1", "'@SUM(A1)", "'\tx", "'\rx", 'safe'],
      ['-5', '12.5', '', '', '', 'a=b', "O'Brien"],
    ])
  })

  it('neutralises the header row too', async () => {
    const target = path.join(dir, 'out.csv')
    const w = new AtomicCsvWriter(target, ['=evil', 'ok'])
    await w.commit()
    expect(parse(fs.readFileSync(target, 'utf8'))).toEqual([["'=evil", 'ok']])
  })

  it('commit replaces an existing target', async () => {
    const target = path.join(dir, 'out.csv')
    fs.writeFileSync(target, 'old\n', {mode: 0o644})
    const w = new AtomicCsvWriter(target, ['new'])
    expect(fs.readFileSync(target, 'utf8')).toBe('old\n')
    await w.commit()
    expect(parse(fs.readFileSync(target, 'utf8'))).toEqual([['new']])
    expect(modeOf(target)).toBe(0o600)
    expect(listing()).toEqual(['out.csv'])
  })

  it('discard leaves no file and no temp file', async () => {
    const target = path.join(dir, 'rejects.csv')
    const w = new AtomicCsvWriter(target, ['a'])
    w.write(['secret'])
    await w.discard()
    expect(fs.existsSync(target)).toBe(false)
    expect(listing()).toEqual([])
  })

  it('discard leaves an existing target as it was', async () => {
    const target = path.join(dir, 'out.csv')
    fs.writeFileSync(target, 'keep\n')
    const w = new AtomicCsvWriter(target, ['a'])
    w.write(['x'])
    await w.discard()
    expect(fs.readFileSync(target, 'utf8')).toBe('keep\n')
    expect(listing()).toEqual(['out.csv'])
  })

  it('writes many rows', async () => {
    const target = path.join(dir, 'big.csv')
    const w = new AtomicCsvWriter(target, ['i', 'name'])
    for (let i = 0; i < 20_000; i++) w.write([i, `name ${i}`])
    await w.commit()
    const rows = parse(fs.readFileSync(target, 'utf8')) as string[][]
    expect(rows).toHaveLength(20_001)
    expect(rows[20_000]).toEqual(['19999', 'name 19999'])
  })

  it('assertWritable passes for a writable folder and throws for a missing one', () => {
    expect(() => AtomicCsvWriter.assertWritable(path.join(dir, 'x.csv'))).not.toThrow()
    expect(() => AtomicCsvWriter.assertWritable(path.join(dir, 'nope', 'x.csv'))).toThrow()
  })
})
