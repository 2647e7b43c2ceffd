// Writes dist/compile-cache.bin (see src/cli/compile-cache.ts): runs the commands whose start-up matters
// once each with CUSTODIAN_COMPILE_CACHE=write, against a throwaway store, then drops the entry of any
// file that contains a dynamic import(), which code compiled from cached data cannot run on Node 20.
import {execFileSync} from 'node:child_process'
import fs from 'node:fs'
import Module from 'node:module'
import os from 'node:os'
import path from 'node:path'
import {fileURLToPath, pathToFileURL} from 'node:url'
import {parseAst} from 'rolldown/parseAst'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')

/** True when the CommonJS source has an import() expression (strings and comments that say so do not count). */
export function hasDynamicImport(source) {
  let ast
  try {
    ast = parseAst(Module.wrap(source), {sourceType: 'script'})
  } catch {
    return true // cannot tell: keep the file out of the cache
  }
  const pending = [ast]
  while (pending.length > 0) {
    const node = pending.pop()
    if (Array.isArray(node)) pending.push(...node)
    else if (node && typeof node === 'object') {
      if (node.type === 'ImportExpression') return true
      for (const value of Object.values(node)) if (value && typeof value === 'object') pending.push(value)
    }
  }
  return false
}

/** Removes from the cache file every entry whose file has a dynamic import(); returns the files removed. */
export async function dropDynamicImports(cacheFile) {
  const {readCompileCache, writeCompileCache} = await import(pathToFileURL(path.join(root, 'dist', 'src', 'cli', 'compile-cache.js')).href)
  const cache = readCompileCache(cacheFile)
  const dropped = []
  for (const file of cache.keys()) {
    let source
    try {
      source = fs.readFileSync(file, 'utf8')
    } catch {
      source = undefined
    }
    if (source === undefined || hasDynamicImport(source)) dropped.push(file)
  }
  for (const file of dropped) cache.delete(file)
  writeCompileCache(cacheFile, cache)
  return dropped
}

async function main() {
  const bin = path.join(root, 'bin', 'run.js')
  const cacheFile = path.join(root, 'dist', 'compile-cache.bin')
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'custodian-cache-'))
  const env = {...process.env, CUSTODIAN_COMPILE_CACHE: 'write', CUSTODIAN_OPERATOR: 'build', CUSTODIAN_DB: path.join(dir, 'custodian.db'), NO_COLOR: '1'}
  fs.rmSync(cacheFile, {force: true})
  try {
    const runs = [['--help'], ['operators', '--help'], ['init', '--admin', 'build', '--json'], ['operators', 'list', '--json'], ['audit', 'verify', '--json']]
    for (const args of runs) {
      // The build compiles with vm.constants.USE_MAIN_CONTEXT_DEFAULT_LOADER, which Node 20 calls experimental.
      execFileSync(process.execPath, ['--disable-warning=ExperimentalWarning', bin, ...args], {env, stdio: ['ignore', 'ignore', 'inherit']})
    }
  } finally {
    fs.rmSync(dir, {recursive: true, force: true})
  }
  const dropped = await dropDynamicImports(cacheFile)
  const kept = (fs.statSync(cacheFile).size / 1024).toFixed(0)
  console.log(`dist/compile-cache.bin: ${kept} KiB of compiled code; compiled at every start (they use import()): ${dropped.map((f) => path.relative(root, f)).join(', ') || 'none'}`)
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) await main()
