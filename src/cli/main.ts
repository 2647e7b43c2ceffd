// What bin/run.js runs: load oclif's configuration and execute the command line, as fast as Node 20 allows.
import {createRequire} from 'node:module'
import path from 'node:path'
import {fileURLToPath} from 'node:url'

import {installCompileCache} from './compile-cache.js'

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..')

/** Where `npm run build` leaves V8's compiled code for the CommonJS files a command start loads. */
export const COMPILE_CACHE = path.join(ROOT, 'dist', 'compile-cache.bin')

export async function main(): Promise<void> {
  // CUSTODIAN_COMPILE_CACHE: unset = use the cache; off = compile everything (bench); write = build time.
  const mode = process.env.CUSTODIAN_COMPILE_CACHE
  if (mode !== 'off') installCompileCache(COMPILE_CACHE, mode === 'write')
  // Required only now, so that oclif's files are compiled through the cache; and only the parts that
  // load the configuration and run a command (`--help` never needs the command class or the flags).
  const require = createRequire(import.meta.url)
  const {Config} = require('@oclif/core/config') as typeof import('@oclif/core/config')
  const {execute} = require('@oclif/core/execute') as typeof import('@oclif/core/execute')
  const {handle} = require('@oclif/core/handle') as typeof import('@oclif/core/handle')
  // oclif sorts the command ids with localeCompare, whose first call costs Node 5-10 ms to set up ICU
  // collation. Our ids are lowercase ASCII, where code-unit order is the same order, so it is swapped
  // for a plain comparison while the configuration loads, and put back.
  const localeCompare = String.prototype.localeCompare
  String.prototype.localeCompare = function (this: string, that: string) {
    const self = String(this)
    return self < that ? -1 : self > that ? 1 : 0
  }
  let config
  try {
    config = await Config.load({root: ROOT})
  } catch (error) {
    return handle(error as Error)
  } finally {
    String.prototype.localeCompare = localeCompare
  }
  await execute({dir: ROOT, loadOptions: config})
}
