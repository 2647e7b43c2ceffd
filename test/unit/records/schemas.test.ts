import fs from 'node:fs'
import path from 'node:path'
import {describe, expect, it} from 'vitest'

// @ts-expect-error: a plain ES module script, without types
import {MARK, withRecordTypes} from '../../../scripts/schemas.mjs'
import {RECORD_TYPES, REGISTRY, isRecordType} from '../../../src/records/registry.js'

const dir = path.resolve(__dirname, '../../../schemas')

describe('record types in the JSON schemas', () => {
  it('every schema lists exactly the registered record types (run `npm run schemas` after adding one)', () => {
    let marked = 0
    for (const name of fs.readdirSync(dir).filter((n) => n.endsWith('.json'))) {
      const text = fs.readFileSync(path.join(dir, name), 'utf8')
      marked += text.split(MARK).length - 1
      const schema = JSON.parse(text)
      expect(schema, `${name} is out of date: run npm run schemas`).toEqual(withRecordTypes(schema, RECORD_TYPES))
    }
    expect(marked).toBeGreaterThanOrEqual(10)
  })

  it('no schema names a record type outside a generated list', () => {
    for (const name of fs.readdirSync(dir).filter((n) => n.endsWith('.json'))) {
      const schema = JSON.parse(fs.readFileSync(path.join(dir, name), 'utf8'))
      const strip = (node: unknown): unknown => {
        if (Array.isArray(node)) return node.map(strip)
        if (node === null || typeof node !== 'object') return node
        if ((node as {$comment?: string}).$comment === MARK) return null
        return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, strip(v)]))
      }
      const rest = JSON.stringify(strip(schema))
      for (const type of RECORD_TYPES) expect(rest, `${name} names ${type} by hand`).not.toContain(`"${type}"`)
    }
  })

  it('the generator makes lists from the registry, keeping null where the list allowed it', () => {
    const schema = {properties: {a: {$comment: MARK, enum: ['x', null]}, b: {$comment: MARK, type: 'object', required: ['x'], properties: {x: {type: 'integer'}}}}}
    expect(withRecordTypes(schema, ['p', 'q'])).toEqual({properties: {
      a: {$comment: MARK, enum: ['p', 'q', null]},
      b: {$comment: MARK, type: 'object', required: ['p', 'q'], properties: {p: {type: 'integer'}, q: {type: 'integer'}}},
    }})
  })
})

describe('the registry', () => {
  it('names in afterGone and carries are registered types, and each waits only for types decided before it', () => {
    REGISTRY.forEach((entry, i) => {
      for (const name of entry.afterGone) {
        expect(isRecordType(name), `${entry.type}.afterGone names ${name}`).toBe(true)
        expect(REGISTRY.findIndex((e) => e.type === name), `${entry.type} must come after ${name}`).toBeLessThan(i)
      }
      for (const name of entry.carries ?? []) expect(isRecordType(name), `${entry.type}.carries names ${name}`).toBe(true)
    })
  })

  it('exactly one type is the subject\'s profile, and type names are unique', () => {
    expect(REGISTRY.filter((e) => e.idIsSubject)).toHaveLength(1)
    expect(new Set(RECORD_TYPES).size).toBe(RECORD_TYPES.length)
  })
})
