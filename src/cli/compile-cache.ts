// Start-up speed. The CommonJS code a command start loads (@oclif/core, bundled in dist/vendor; Kysely's
// bundle; better-sqlite3's wrapper) would be compiled by V8 at every start. `npm run build` runs a few
// commands once with CUSTODIAN_COMPILE_CACHE=write and keeps V8's compiled code for each of those files in
// one file; later starts hand it back to V8 instead of compiling again. (Node 22 has
// module.enableCompileCache(); Node 20, which custodian supports, has only vm.Script's cachedData.)
//
// Safety: an entry is used only for a file whose content has the same SHA-1 as when it was cached (V8's
// own check is only the source's length), and only by the V8 version that wrote it; V8 refuses data made
// under other flags. A refused or missing entry means Node's normal compile.
// On Node 20, code compiled from cached data cannot run a dynamic import()
// (ERR_VM_DYNAMIC_IMPORT_CALLBACK_MISSING), so the build keeps no entry for a file that has one
// (scripts/compile-cache.mjs parses each file to find out).
import {createHash} from 'node:crypto'
import fs from 'node:fs'
import Module from 'node:module'
import path from 'node:path'
import vm from 'node:vm'

export interface CacheEntry {
  sha1: string
  data: Buffer
}

interface Header {
  v8: string
  entries: Array<{file: string; sha1: string; bytes: number}>
}

type Compile = (this: Module, content: string, filename: string) => unknown

const sha1Of = (content: string) => createHash('sha1').update(content).digest('base64')

/** Reads a cache file: a 4-byte header length, the JSON header, then each entry's bytes in order. */
export function readCompileCache(file: string): Map<string, CacheEntry> {
  const cache = new Map<string, CacheEntry>()
  let blob: Buffer
  try {
    blob = fs.readFileSync(file)
  } catch {
    return cache
  }
  try {
    const headerBytes = blob.readUInt32LE(0)
    const header = JSON.parse(blob.subarray(4, 4 + headerBytes).toString('utf8')) as Header
    if (header.v8 !== process.versions.v8) return cache
    let offset = 4 + headerBytes
    for (const {file: name, sha1, bytes} of header.entries) {
      cache.set(name, {sha1, data: blob.subarray(offset, offset + bytes)})
      offset += bytes
    }
  } catch {
    cache.clear() // a damaged cache is no cache
  }
  return cache
}

/** Writes the cache atomically (temp file + rename), entries in file-name order. */
export function writeCompileCache(file: string, entries: Map<string, CacheEntry>): void {
  const list = [...entries].sort(([a], [b]) => (a < b ? -1 : 1))
  const header: Header = {v8: process.versions.v8, entries: list.map(([name, e]) => ({file: name, sha1: e.sha1, bytes: e.data.length}))}
  const headerBuffer = Buffer.from(JSON.stringify(header))
  const length = Buffer.alloc(4)
  length.writeUInt32LE(headerBuffer.length)
  const temp = `${file}.${process.pid}.tmp`
  fs.mkdirSync(path.dirname(file), {recursive: true})
  fs.writeFileSync(temp, Buffer.concat([length, headerBuffer, ...list.map(([, e]) => e.data)]))
  fs.renameSync(temp, file)
}

/** What the cache did in this process: modules whose cached code V8 took, and modules compiled anew. */
export interface CompileCacheStats {
  fromCache: number
  compiled: number
}

/**
 * Compiles CommonJS modules with V8 code from `file`. With write=true (build time only) it compiles every
 * module itself, records its code, and merges that into `file` when the process exits.
 */
export function installCompileCache(file: string, write = false): CompileCacheStats {
  const stats: CompileCacheStats = {fromCache: 0, compiled: 0}
  const cache = readCompileCache(file)
  if (cache.size === 0 && !write) return stats
  const compiled: Array<{file: string; sha1: string; script: vm.Script}> = []
  const proto = Module.prototype as unknown as {_compile: Compile}
  const compile = proto._compile
  proto._compile = function (this: Module, content: string, filename: string) {
    const sha1 = sha1Of(content)
    // While writing, everything is compiled anew (and may run import()); the build prunes afterwards.
    let cachedData: Buffer | undefined
    if (!write) {
      const hit = cache.get(filename)
      if (hit?.sha1 !== sha1) {
        stats.compiled++
        return compile.call(this, content, filename)
      }
      cachedData = hit.data
    }
    const script = new vm.Script(Module.wrap(content), {
      filename,
      cachedData,
      // Lets a module that has an import() run it while the build records (the build then drops its entry).
      ...(write ? {importModuleDynamically: vm.constants.USE_MAIN_CONTEXT_DEFAULT_LOADER} : {}),
    })
    if (cachedData && !script.cachedDataRejected) stats.fromCache++
    else stats.compiled++
    if (write) compiled.push({file: filename, sha1, script})
    const wrapper = script.runInThisContext({displayErrors: true}) as (...args: unknown[]) => unknown
    // What Node's own _compile then does: call the wrapper with this module's exports, require and paths.
    return wrapper.call(this.exports, this.exports, Module.createRequire(filename), this, filename, path.dirname(filename))
  }
  if (write) {
    process.once('exit', () => {
      for (const {file: name, sha1, script} of compiled) cache.set(name, {sha1, data: script.createCachedData()})
      writeCompileCache(file, cache)
    })
  }
  return stats
}
