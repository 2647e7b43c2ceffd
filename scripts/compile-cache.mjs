// Writes dist/compile-cache.bin (see src/cli/compile-cache.ts): runs the commands whose start-up matters
// once each with CUSTODIAN_COMPILE_CACHE=write, against a throwaway store.
import {execFileSync} from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {fileURLToPath} from 'node:url'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const bin = path.join(root, 'bin', 'run.js')
const cacheFile = path.join(root, 'dist', 'compile-cache.bin')
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'custodian-cache-'))
const db = path.join(dir, 'custodian.db')
const env = {...process.env, CUSTODIAN_COMPILE_CACHE: 'write', CUSTODIAN_OPERATOR: 'build', CUSTODIAN_DB: db, NO_COLOR: '1'}
fs.rmSync(cacheFile, {force: true})
try {
  for (const args of [['--help'], ['operators', '--help'], ['init', '--admin', 'build', '--json'], ['operators', 'list', '--json'], ['audit', 'verify', '--json']]) {
    execFileSync(process.execPath, [bin, ...args], {env, stdio: 'ignore'})
  }
} finally {
  fs.rmSync(dir, {recursive: true, force: true})
}
console.log(`dist/compile-cache.bin: ${(fs.statSync(cacheFile).size / 1024).toFixed(0)} KiB of compiled code`)
