import {parse} from 'csv-parse/sync'
import {describe, expect, it} from 'vitest'

import {CustodianError} from '../../../src/errors.js'
import {CsvParser, MAX_RECORD_CHARS, parseRecord} from '../../../src/csv/parse.js'
import {prng} from '../../helpers/prng.js'

/** Every record the parser gives for text fed in the given chunk sizes (cycled). */
function records(text: string, chunks: number[] = [text.length || 1]): string[][] {
  const out: string[][] = []
  const p = new CsvParser((cells, t, start, end) => {
    // The record's text, parsed on its own, gives the same cells.
    expect(parseRecord(t.slice(start, end))).toEqual(cells)
    out.push(cells)
  })
  let i = 0
  let k = 0
  while (i < text.length) {
    const n = chunks[k++ % chunks.length]
    p.push(text.slice(i, i + n))
    i += n
  }
  p.end()
  return out
}

function malformedLine(text: string, chunks?: number[]): number {
  try {
    records(text, chunks)
  } catch (error) {
    expect(error).toBeInstanceOf(CustodianError)
    expect((error as CustodianError).code).toBe('CSV-MALFORMED')
    return (error as CustodianError).details.line as number
  }
  throw new Error('expected CSV-MALFORMED')
}


describe('CsvParser', () => {
  it('reads CR (classic Mac) line breaks', () => {
    expect(records('a,b\r1,2\r"x\ry",4\r')).toEqual([['a', 'b'], ['1', '2'], ['x\ry', '4']])
  })

  it('keeps a lone CR inside a field of an LF file, and accepts CRLF and LF mixed', () => {
    expect(records('a,b\n1\r2,3\r\n4,5\n')).toEqual([['a', 'b'], ['1\r2', '3'], ['4', '5']])
  })

  it('reads an empty last field, at the end of a line and at the end of the text', () => {
    expect(records('a,b\n1,\n2,')).toEqual([['a', 'b'], ['1', ''], ['2', '']])
    expect(records('a,b\n"1",\n"2",')).toEqual([['a', 'b'], ['1', ''], ['2', '']])
  })

  it('gives the same records whatever the chunk boundaries (CRLF, quotes and doubled quotes split)', () => {
    const text = 'id,note\r\n1,"a ""b"", c\r\nd"\r\n\r\n2,plain\r\n3,""\r\n4,"x"\r\n'
    const whole = records(text)
    expect(whole).toEqual([['id', 'note'], ['1', 'a "b", c\r\nd'], ['2', 'plain'], ['3', ''], ['4', 'x']])
    for (const size of [1, 2, 3, 5, 7, 11]) expect(records(text, [size])).toEqual(whole)
    expect(records(text, [1, 4, 2, 9])).toEqual(whole)
  })

  it('agrees with csv-parse on generated files, in any chunking', () => {
    const next = prng(7)
    const pick = <T>(xs: T[]) => xs[Math.floor(next() * xs.length)]
    const pieces = ['a', 'Zoë', ' x ', '1.5', '', ',', '"', '\n', '\r\n', 'O’Brien', '=SUM(A1)']
    for (let f = 0; f < 200; f++) {
      const width = 1 + Math.floor(next() * 4)
      const eol = pick(['\n', '\r\n'])
      const rows: string[][] = []
      for (let r = 0; r < 1 + Math.floor(next() * 6); r++) {
        rows.push(Array.from({length: width}, () => Array.from({length: Math.floor(next() * 3)}, () => pick(pieces)).join('')))
      }
      const cell = (c: string) => (/[",\r\n]/.test(c) || c === '' || next() < 0.2 ? `"${c.replace(/"/g, '""')}"` : c)
      // A one-column row holding '' must be quoted, or it would be a blank line.
      const text = rows.map((row) => row.map((c) => (width === 1 && c === '' ? '""' : cell(c))).join(',')).join(eol) + (next() < 0.5 ? eol : '')
      const expected = parse(text, {bom: true, skip_empty_lines: true, relax_column_count: false}) as string[][]
      expect(records(text)).toEqual(expected)
      expect(records(text, [1 + Math.floor(next() * 5), 1 + Math.floor(next() * 17)])).toEqual(expected)
    }
  })

  describe('CSV-MALFORMED with the physical line', () => {
    it.each([
      ['a quote inside an unquoted field', 'a,b\n1,2\nx"y,3\n', 3],
      ['a quote after a closing quote', 'a,b\n1,2\n"x"y,3\n', 3],
      ['a quoted field never closed (named where it opens), after a multi-line field', 'a,b\n"1\n2",3\n4,"5\n6\n', 4],
      ['the same with CRLF line breaks', 'a,b\r\n"1\r\n2",3\r\n4,"5\r\n6\r\n', 4],
      ['a ragged row after a multi-line field', 'a,b\n"1\n\n2",3\n4\n', 5],
      ['a ragged CR row', 'a,b\r1,2\r3\r', 3],
    ])('%s', (_name, text, line) => {
      expect(malformedLine(text)).toBe(line)
      expect(malformedLine(text, [3])).toBe(line)
    })

    it('refuses a row longer than the limit instead of buffering the rest of the file', () => {
      const long = `a,b\n1,"${'x'.repeat(MAX_RECORD_CHARS + 10)}\n`
      expect(malformedLine(long, [1 << 16])).toBe(2)
      expect(malformedLine(`a,b\n1,${'x'.repeat(MAX_RECORD_CHARS + 10)}\n`, [1 << 16])).toBe(2)
    })
  })
})
