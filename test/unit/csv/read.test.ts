import {createHash} from 'node:crypto'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {CustodianError} from '../../../src/errors.js'
import {type ColumnSpec, mapHeader, readCsv, sha256File} from '../../../src/csv/read.js'

let dir: string
let n = 0

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'custodian-read-'))
})
afterAll(() => {
  fs.rmSync(dir, {recursive: true, force: true})
})

/** Writes content (text as UTF-8, or raw bytes) to a fresh file in the temp folder. */
function file(content: string | Buffer): string {
  const p = path.join(dir, `f${n++}.csv`)
  fs.writeFileSync(p, content)
  return p
}

/** Every {row, cells} the reader yields. */
async function readAll(p: string): Promise<{row: number; cells: string[]}[]> {
  const out: {row: number; cells: string[]}[] = []
  for await (const r of readCsv(p)) out.push(r)
  return out
}

async function cellsOf(content: string | Buffer): Promise<string[][]> {
  return (await readAll(file(content))).map((r) => r.cells)
}

/** The CustodianError a read throws (fails the test if it does not throw one). */
async function readError(content: string | Buffer): Promise<CustodianError> {
  try {
    await readAll(file(content))
  } catch (error) {
    expect(error).toBeInstanceOf(CustodianError)
    return error as CustodianError
  }
  throw new Error('expected readCsv to throw')
}

describe('readCsv', () => {
  it('yields the header as row 0, then data rows numbered from 1', async () => {
    expect(await readAll(file('a,b\n1,2\n3,4\n'))).toEqual([
      {row: 0, cells: ['a', 'b']},
      {row: 1, cells: ['1', '2']},
      {row: 2, cells: ['3', '4']},
    ])
  })

  it.each([
    ['LF', 'a,b\n1,2\n3,4\n'],
    ['CRLF', 'a,b\r\n1,2\r\n3,4\r\n'],
    ['LF without a final newline', 'a,b\n1,2\n3,4'],
    ['CRLF without a final newline', 'a,b\r\n1,2\r\n3,4'],
  ])('reads %s line endings', async (_name, content) => {
    expect(await cellsOf(content)).toEqual([
      ['a', 'b'],
      ['1', '2'],
      ['3', '4'],
    ])
  })

  it('accepts a UTF-8 BOM and strips it from the first header name', async () => {
    const rows = await cellsOf(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('employee_id,last_name\r\nE1,Núñez\r\n')]))
    expect(rows[0][0]).toBe('employee_id')
    expect(rows[0][0].charCodeAt(0)).not.toBe(0xfeff)
    expect(rows).toEqual([
      ['employee_id', 'last_name'],
      ['E1', 'Núñez'],
    ])
  })

  it('reads multi-byte UTF-8 text unchanged', async () => {
    expect(await cellsOf('name\nZoë\nSiobhán\nO’Brien\n')).toEqual([['name'], ['Zoë'], ['Siobhán'], ['O’Brien']])
  })

  it.each([
    ['a comma', 'a,b\n"Smith, Jr",2\n', ['Smith, Jr', '2']],
    ['doubled quotes', 'a,b\n"say ""hi""",2\n', ['say "hi"', '2']],
    ['an LF line break', 'a,b\n"line 1\nline 2",2\n', ['line 1\nline 2', '2']],
    ['a CRLF line break', 'a,b\r\n"line 1\r\nline 2",2\r\n', ['line 1\r\nline 2', '2']],
    ['an empty quoted field', 'a,b\n"",2\n', ['', '2']],
    ['everything at once', 'a,b\n"x, ""y""\nz",2\n', ['x, "y"\nz', '2']],
  ])('reads a quoted field with %s', async (_name, content, expected) => {
    expect(await cellsOf(content)).toEqual([['a', 'b'], expected])
  })

  it('keeps data row numbers consecutive across a field with embedded line breaks', async () => {
    const rows = await readAll(file('a,b\n"1\n1\n1",x\n2,y\n'))
    expect(rows.map((r) => r.row)).toEqual([0, 1, 2])
    expect(rows[2].cells).toEqual(['2', 'y'])
  })

  it.each([
    ['LF', 'a,b\n\n1,2\n\n\n3,4\n\n'],
    ['CRLF', 'a,b\r\n\r\n1,2\r\n\r\n3,4\r\n\r\n'],
  ])('skips blank lines (%s)', async (_name, content) => {
    const rows = await readAll(file(content))
    expect(rows).toEqual([
      {row: 0, cells: ['a', 'b']},
      {row: 1, cells: ['1', '2']},
      {row: 2, cells: ['3', '4']},
    ])
  })

  it('yields nothing for an empty file', async () => {
    expect(await readAll(file(''))).toEqual([])
  })

  it('yields only the header for a header-only file', async () => {
    expect(await cellsOf('a,b\n')).toEqual([['a', 'b']])
  })

  describe('CSV-MALFORMED', () => {
    it.each([
      ['an unclosed quote', 'a,b\n1,"2\n3,4\n'],
      ['an unclosed quote on the last line', 'a,b\n1,2\n3,"4'],
      ['a stray quote inside a quoted field', 'a,b\n"x"y,1\n'],
      ['a row with more fields than the header', 'a,b\n1,2\n3,4,5\n'],
      ['a row with fewer fields than the header', 'a,b\n1,2\n3\n'],
      ['a ragged CRLF row', 'a,b\r\n1,2\r\n3,4,5\r\n'],
    ])('is thrown for %s, exit 3, with a line number', async (_name, content) => {
      const e = await readError(content)
      expect(e.code).toBe('CSV-MALFORMED')
      expect(e.exit).toBe(3)
      expect(typeof e.details.line).toBe('number')
      expect(e.message).toContain(`line ${e.details.line}`)
    })

    it.each([
      ['LF', 'a,b\n1,2\n3,4\n5,6,7\n8,9\n', 4],
      ['CRLF', 'a,b\r\n1,2\r\n3,4\r\n5,6,7\r\n8,9\r\n', 4],
      ['after a blank line', 'a,b\n1,2\n\n3\n', 4],
    ])('names the physical line of a ragged row (%s)', async (_name, content, line) => {
      const e = await readError(content)
      expect(e.code).toBe('CSV-MALFORMED')
      expect(e.details.line).toBe(line)
    })
  })

  describe('CSV-ENCODING', () => {
    it.each([
      ['0xff 0xfe 0x41 bytes', Buffer.concat([Buffer.from('a,b\n'), Buffer.from([0xff, 0xfe, 0x41]), Buffer.from(',x\n')])],
      ['a UTF-16 LE file', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('a,b\n1,2\n', 'utf16le')])],
      ['a latin-1 "José"', Buffer.from('a,b\nJos\xe9,1\n', 'latin1')],
      ['a latin-1 byte in the header', Buffer.from('caf\xe9,b\n1,2\n', 'latin1')],
      ['a truncated multi-byte character at the end', Buffer.concat([Buffer.from('a,b\nx,'), Buffer.from([0xc3])])],
      ['an overlong encoding', Buffer.concat([Buffer.from('a,b\nx,'), Buffer.from([0xc0, 0xaf]), Buffer.from('\n')])],
    ])('is thrown for %s, exit 3', async (_name, content) => {
      const e = await readError(content)
      expect(e.code).toBe('CSV-ENCODING')
      expect(e.exit).toBe(3)
    })

    it('is thrown for a bad byte far into a large file, naming its line', async () => {
      const big = Buffer.concat([Buffer.from(`a,b\n${'1,2\n'.repeat(400_000)}`), Buffer.from('Jos\xe9,1\n', 'latin1')])
      const e = await readError(big)
      expect(e.code).toBe('CSV-ENCODING')
      expect(e.details.line).toBe(400_002)
      expect(e.message).toMatch(/^The file is not valid UTF-8 at line 400002 \(byte \d+\)/)
    })

    it.each([
      ['a latin-1 "José" on line 2', Buffer.from('a,b\nJos\xe9,1\n', 'latin1'), 2],
      ['a latin-1 byte in the header', Buffer.from('caf\xe9,b\n1,2\n', 'latin1'), 1],
      ['an overlong encoding on line 3', Buffer.concat([Buffer.from('a,b\n1,2\nx,'), Buffer.from([0xc0, 0xaf]), Buffer.from('\n')]), 3],
      ['a surrogate on line 2 after a valid é', Buffer.concat([Buffer.from('a,b\né,'), Buffer.from([0xed, 0xa0, 0x80]), Buffer.from('\n')]), 2],
    ])('names the line: %s', async (_name, content, line) => {
      expect((await readError(content)).details.line).toBe(line)
    })
  })
})

describe('mapHeader', () => {
  const COLUMNS: ColumnSpec[] = [
    {name: 'employee_id', required: true},
    {name: 'last_name', required: true},
    {name: 'email', required: false},
  ]

  it('maps known columns to their index, in any order', () => {
    const m = mapHeader(['email', 'last_name', 'employee_id'], COLUMNS, false)
    expect(Object.fromEntries(m.index)).toEqual({email: 0, last_name: 1, employee_id: 2})
    expect(m.ignored).toEqual([])
    expect(m.header).toEqual(['email', 'last_name', 'employee_id'])
  })

  it('matches names case-insensitively and trimmed', () => {
    const m = mapHeader(['  Employee_ID ', 'LAST_NAME', '\tEmail'], COLUMNS, false)
    expect(Object.fromEntries(m.index)).toEqual({employee_id: 0, last_name: 1, email: 2})
  })

  it('allows optional columns to be absent', () => {
    const m = mapHeader(['employee_id', 'last_name'], COLUMNS, false)
    expect(m.index.has('email')).toBe(false)
  })

  it('tolerates a trailing comma (an empty last header cell)', () => {
    const m = mapHeader(['employee_id', 'last_name', ''], COLUMNS, false)
    expect(Object.fromEntries(m.index)).toEqual({employee_id: 0, last_name: 1})
  })

  describe('CSV-UNKNOWN-COLUMN', () => {
    it.each([
      [['employee_id', 'last_name', 'salary'], ['salary']],
      [['Salary', 'employee_id', 'Notes', 'last_name'], ['Salary', 'Notes']],
      [['employee_id', '', 'last_name'], ['']],
    ])('header %j → unknown %j', (header, unknown) => {
      try {
        mapHeader(header, COLUMNS, false)
        expect.unreachable('mapHeader should throw')
      } catch (error) {
        expect(error).toBeInstanceOf(CustodianError)
        const e = error as CustodianError
        expect(e.code).toBe('CSV-UNKNOWN-COLUMN')
        expect(e.exit).toBe(3)
        expect(e.details.columns).toEqual(unknown)
        for (const u of unknown) if (u !== '') expect(e.message).toContain(u)
      }
    })

    it('skips unknown columns with ignoreUnknown and lists them as ignored', () => {
      const m = mapHeader(['Salary', 'employee_id', 'Notes', 'last_name'], COLUMNS, true)
      expect(Object.fromEntries(m.index)).toEqual({employee_id: 1, last_name: 3})
      expect(m.ignored).toEqual(['Salary', 'Notes'])
    })
  })

  describe('CSV-MISSING-COLUMN', () => {
    it.each([
      [['employee_id', 'email'], ['last_name']],
      [['email'], ['employee_id', 'last_name']],
      [['salary'], ['employee_id', 'last_name']],
    ])('header %j → missing %j', (header, missing) => {
      try {
        mapHeader(header, COLUMNS, true)
        expect.unreachable('mapHeader should throw')
      } catch (error) {
        expect(error).toBeInstanceOf(CustodianError)
        const e = error as CustodianError
        expect(e.code).toBe('CSV-MISSING-COLUMN')
        expect(e.exit).toBe(3)
        expect(e.details.columns).toEqual(missing)
        for (const m of missing) expect(e.message).toContain(m)
      }
    })

    it('reports unknown columns before missing ones when not ignoring', () => {
      expect(() => mapHeader(['salary'], COLUMNS, false)).toThrow(expect.objectContaining({code: 'CSV-UNKNOWN-COLUMN'}))
    })
  })

  describe('a duplicate header column', () => {
    it.each([
      [['employee_id', 'last_name', 'employee_id']],
      [['employee_id', 'last_name', ' EMPLOYEE_ID ']],
      [['email', 'employee_id', 'Email', 'last_name']],
    ])('%j is CSV-MALFORMED on line 1', (header) => {
      try {
        mapHeader(header, COLUMNS, false)
        expect.unreachable('mapHeader should throw')
      } catch (error) {
        expect(error).toBeInstanceOf(CustodianError)
        const e = error as CustodianError
        expect(e.code).toBe('CSV-MALFORMED')
        expect(e.exit).toBe(3)
        expect(e.details.line).toBe(1)
      }
    })
  })
})

describe('sha256File', () => {
  it.each([
    ['an empty file', ''],
    ['a small CSV', 'a,b\n1,2\n'],
    ['UTF-8 text', 'name\nNúñez\n'],
  ])('hashes %s like node:crypto', async (_name, content) => {
    const p = file(content)
    expect(await sha256File(p)).toBe(createHash('sha256').update(Buffer.from(content)).digest('hex'))
  })

  it('gives the known digest of "abc"', async () => {
    expect(await sha256File(file('abc'))).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad')
  })
})
