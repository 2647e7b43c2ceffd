import {execFileSync} from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {pathToFileURL} from 'node:url'
import {afterEach, beforeEach, describe, expect, it} from 'vitest'

import {dropDynamicImports, hasDynamicImport} from '../../../scripts/compile-cache.mjs'
import {readCompileCache} from '../../../src/cli/compile-cache.js'
import {ROOT} from '../../helpers/cli.js'

// The cache patches Node's CommonJS loader, so each case runs in its own node process, with the built
// module (npm test builds first), requiring small CommonJS files from a temporary folder.
const built = pathToFileURL(path.join(ROOT, 'dist', 'src', 'cli', 'compile-cache.js')).href

let dir: string
let cacheFile: string

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'custodian-compile-cache-'))
  cacheFile = path.join(dir, 'cache.bin')
})
afterEach(() => fs.rmSync(dir, {recursive: true, force: true}))

/** Requires each module in a fresh node with the cache installed; returns their values and the cache's stats. */
function run(modules: string[], write = false): {values: unknown[]; stats: {fromCache: number; compiled: number}} {
  const script = `
    const {installCompileCache} = await import(${JSON.stringify(built)})
    const {createRequire} = await import('node:module')
    const stats = installCompileCache(${JSON.stringify(cacheFile)}, ${write})
    const require = createRequire(${JSON.stringify(path.join(dir, 'x.js'))})
    const values = []
    for (const m of ${JSON.stringify(modules)}) {
      const exported = require(m)
      values.push(typeof exported === 'function' ? await exported() : exported)
    }
    process.stdout.write(JSON.stringify({values, stats}))`
  const out = execFileSync(process.execPath, ['--disable-warning=ExperimentalWarning', '--input-type=module', '-e', script], {encoding: 'utf8'})
  return JSON.parse(out)
}

const write = (name: string, source: string) => fs.writeFileSync(path.join(dir, name), source)

describe('compile cache', () => {
  it('gives V8 the code cached at build time, and the module behaves as compiled from source', () => {
    write('a.js', "const b = require('./b.js'); module.exports = {sum: b.add(2, 3), file: __filename, dir: __dirname}")
    write('b.js', 'exports.add = (x, y) => x + y')
    const first = run(['./a.js'], true)
    expect(first.values).toEqual([{sum: 5, file: path.join(dir, 'a.js'), dir}])
    expect([...readCompileCache(cacheFile).keys()].sort()).toEqual([path.join(dir, 'a.js'), path.join(dir, 'b.js')])

    const second = run(['./a.js'])
    expect(second.values).toEqual(first.values)
    expect(second.stats).toEqual({fromCache: 2, compiled: 0})
  })

  it('compiles a file whose content changed since it was cached, even at the same length', () => {
    write('a.js', 'module.exports = 1')
    run(['./a.js'], true)
    write('a.js', 'module.exports = 2')
    expect(run(['./a.js'])).toEqual({values: [2], stats: {fromCache: 0, compiled: 1}})
  })

  it('keeps no entry for a file that calls import(), which cached code could not run on Node 20', async () => {
    write('dynamic.js', "module.exports = async () => (await import('node:path')).sep")
    write('plain.js', "module.exports = () => 'import() in a string, ' + /* import('x') in a comment */ 'not a call'")
    // While the build records, the import() runs.
    expect(run(['./dynamic.js', './plain.js'], true).values).toEqual(['/', 'import() in a string, not a call'])
    expect(await dropDynamicImports(cacheFile)).toEqual([path.join(dir, 'dynamic.js')])
    expect([...readCompileCache(cacheFile).keys()]).toEqual([path.join(dir, 'plain.js')])
    expect(run(['./dynamic.js', './plain.js'])).toEqual({values: ['/', 'import() in a string, not a call'], stats: {fromCache: 1, compiled: 1}})
  })

  it('tells an import() call from the same words in strings, comments and other calls', () => {
    expect(hasDynamicImport('module.exports = (p) => import(p)')).toBe(true)
    expect(hasDynamicImport('async function f() { return (await import ( "x" )).default }')).toBe(true)
    expect(hasDynamicImport('const s = `${a ? `import()` : `require`} failed`; // import(x)')).toBe(false)
    expect(hasDynamicImport('obj.import(x); myimport(y)')).toBe(false)
    expect(hasDynamicImport('this is not JavaScript (')).toBe(true) // cannot tell: not cached
  })

  it('treats a damaged or foreign cache file as no cache', () => {
    write('a.js', 'module.exports = 41 + 1')
    run(['./a.js'], true)
    const intact = fs.readFileSync(cacheFile)
    for (const damaged of [Buffer.from('not a cache'), intact.subarray(0, intact.length >> 1), Buffer.alloc(0)]) {
      fs.writeFileSync(cacheFile, damaged)
      expect(run(['./a.js']).values).toEqual([42])
    }
    // Data from another V8 version is never offered to this one.
    const headerBytes = intact.readUInt32LE(0)
    const header = JSON.parse(intact.subarray(4, 4 + headerBytes).toString('utf8'))
    const foreign = Buffer.from(JSON.stringify({...header, v8: '1.0.0'}))
    const length = Buffer.alloc(4)
    length.writeUInt32LE(foreign.length)
    fs.writeFileSync(cacheFile, Buffer.concat([length, foreign, intact.subarray(4 + headerBytes)]))
    expect(readCompileCache(cacheFile).size).toBe(0)
    expect(run(['./a.js'])).toEqual({values: [42], stats: {fromCache: 0, compiled: 0}})
  })

  it('merges what later build runs compile into the same file', () => {
    write('a.js', 'module.exports = 1')
    write('b.js', 'module.exports = 2')
    run(['./a.js'], true)
    run(['./b.js'], true)
    expect(readCompileCache(cacheFile).size).toBe(2)
    expect(run(['./a.js', './b.js'])).toEqual({values: [1, 2], stats: {fromCache: 2, compiled: 0}})
  })
})
