// Start-up speed: bundles the two libraries every command start loads, so Node 20 resolves and reads a
// handful of files instead of hundreds, and points the compiled code at the bundles. Both bundles are
// CommonJS, so that V8's compiled code for them can be cached (src/cli/compile-cache.ts), and are
// required, not imported: an ES module importing a CommonJS one makes Node scan its source for export
// names first (10 ms for Kysely's). Sources and tests keep using node_modules, unchanged.
//
// - Kysely (~280 ES modules; ~90 ms to link at every start): only the names the compiled code imports go
//   into dist/vendor/kysely.cjs, which leaves out FileMigrationProvider and its import(). The compiled
//   `from 'kysely'` imports point at dist/vendor/kysely.js, which requires the bundle and exports them.
// - @oclif/core (~110 CommonJS files with its dependencies): every `require('@oclif/core/...')` in the
//   compiled code (src/cli/oclif.ts, src/cli/main.ts) gets the same module from dist/vendor/oclif.cjs.
//   The files that call import() (oclif's module loader, which loads the commands that way; lilconfig)
//   go into a chunk of their own, oclif-loader.cjs, so that the main bundle has none and can be cached.
import fs from 'node:fs'
import path from 'node:path'
import {fileURLToPath} from 'node:url'
import {build} from 'rolldown'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const dist = path.join(root, 'dist')
const vendor = path.join(dist, 'vendor')

const compiled = fs
  .readdirSync(dist, {recursive: true, withFileTypes: false})
  .map((file) => path.join(dist, String(file)))
  .filter((file) => file.endsWith('.js'))

/** `target` relative to the compiled file `from`, as an import specifier. */
function specifierFor(from, target) {
  const relative = path.relative(path.dirname(from), target).split(path.sep).join('/')
  return relative.startsWith('.') ? relative : `./${relative}`
}

/** Applies `rewrite` to every compiled file; returns how many changed. */
function rewriteCompiled(rewrite) {
  let changed = 0
  for (const file of compiled) {
    const text = fs.readFileSync(file, 'utf8')
    const next = rewrite(text, file)
    if (next === text) continue
    fs.writeFileSync(file, next)
    changed++
  }
  return changed
}

/** Bundles `entrySource` (written to a temporary entry file) with rolldown into dist/vendor. */
async function bundle(entryName, entrySource, output, external = []) {
  const entry = path.join(vendor, entryName)
  fs.mkdirSync(vendor, {recursive: true})
  fs.writeFileSync(entry, entrySource)
  try {
    await build({input: entry, platform: 'node', logLevel: 'warn', cwd: root, external, output: {dir: vendor, format: 'cjs', minify: true, ...output}})
  } finally {
    fs.rmSync(entry, {force: true})
  }
}

async function vendorKysely() {
  // The value names compiled code takes from kysely (type-only imports are gone after tsc).
  const namedImport = /\bimport\s*\{([^}]*)\}\s*from\s*(['"])kysely\2/g
  const names = new Set()
  for (const file of compiled) {
    const text = fs.readFileSync(file, 'utf8')
    if (/\bimport\s*\(\s*['"]kysely['"]|\bimport\s+\*\s+as\s+\w+\s+from\s*['"]kysely['"]|\bimport\s+\w+\s*(,|from)\s*['"]kysely['"]/.test(text)) {
      throw new Error(`${path.relative(root, file)}: import kysely by name ({Kysely, sql}) so that the bundle can hold just those names`)
    }
    for (const [, list] of text.matchAll(namedImport)) {
      for (const name of list.split(',')) if (name.trim()) names.add(name.trim().split(/\s+as\s+/)[0])
    }
  }
  const exported = [...names].sort().join(', ')
  await bundle('kysely-entry.mjs', `export {${exported}} from 'kysely'\n`, {entryFileNames: 'kysely.cjs', codeSplitting: false})
  const shim = path.join(vendor, 'kysely.js')
  fs.writeFileSync(shim, `import {createRequire} from 'node:module'\nexport const {${exported}} = createRequire(import.meta.url)('./kysely.cjs')\n`)
  const rewritten = rewriteCompiled((text, file) => (file === shim ? text : text.replace(/(\bfrom\s*)(['"])kysely\2/g, (_m, lead, q) => `${lead}${q}${specifierFor(file, shim)}${q}`)))
  console.log(`dist/vendor/kysely.cjs: ${exported} bundled; ${rewritten} compiled files point at it`)
}

async function vendorOclif() {
  const required = /\brequire\(\s*(['"])(@oclif\/core(?:\/[\w-]+)?)\1\s*\)/g
  // The in-process test runner (test/helpers/inprocess.ts) runs commands with oclif's run(), from this
  // same bundle, so that tests and the CLI share one copy of oclif.
  const specifiers = new Set(['@oclif/core/run'])
  for (const file of compiled) {
    const text = fs.readFileSync(file, 'utf8')
    if (/\bfrom\s*['"]@oclif\/core|\bimport\s*\(\s*['"]@oclif\/core/.test(text)) {
      throw new Error(`${path.relative(root, file)}: get @oclif/core from src/cli/oclif.ts (required, so that it can be bundled)`)
    }
    for (const [, , specifier] of text.matchAll(required)) specifiers.add(specifier)
  }
  const entrySource = `module.exports = {\n${[...specifiers].sort().map((s) => `  '${s}': require('${s}'),\n`).join('')}}\n`
  await bundle('oclif-entry.cjs', entrySource, {
    entryFileNames: 'oclif.cjs',
    chunkFileNames: 'oclif-[name].cjs',
    // Every file that calls import() (checked at build: scripts/compile-cache.mjs names any left).
    codeSplitting: {groups: [{name: 'loader', test: /@oclif[\\/]core[\\/]lib[\\/](module-loader|config[\\/]ts-path)\.js$|[\\/]lilconfig[\\/]/}]},
  },
  // What oclif loads only to run TypeScript sources in development, never in a built CLI.
  ['typescript', 'ts-node', 'tsx', /^tsx\//])
  const oclif = path.join(vendor, 'oclif.cjs')
  const rewritten = rewriteCompiled((text, file) =>
    text.replace(required, (_m, _q, specifier) => `require('${specifierFor(file, oclif)}')['${specifier}']`),
  )
  console.log(`dist/vendor/oclif.cjs: ${[...specifiers].sort().join(', ')} bundled; ${rewritten} compiled files point at it`)
}

await vendorKysely()
await vendorOclif()
