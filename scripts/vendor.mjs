// Start-up speed: Kysely ships as ~280 small ES modules, and Node 20 spends ~90 ms resolving and
// linking them at every command start (more than node itself takes to start). This step bundles the part
// of Kysely that the compiled code imports into one minified CommonJS file, dist/vendor/kysely.cjs, and
// points the compiled files' `kysely` imports at dist/vendor/kysely.js, a module that requires the bundle
// and exports those names. CommonJS, so that V8's compiled code for it can be cached
// (src/cli/compile-cache.ts); required, because an ES module importing a CommonJS one makes Node scan its
// source for export names first (10 ms for this one); only the names imported, so that the bundle leaves
// out Kysely's FileMigrationProvider, whose import() would keep it out of that cache.
// Sources and tests keep importing 'kysely' from node_modules, unchanged.
import fs from 'node:fs'
import path from 'node:path'
import {fileURLToPath} from 'node:url'
import {build} from 'rolldown'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const dist = path.join(root, 'dist')
const bundle = path.join(dist, 'vendor', 'kysely.cjs')
const vendored = path.join(dist, 'vendor', 'kysely.js')
const entry = path.join(dist, 'vendor', 'kysely-entry.mjs')

const compiled = fs
  .readdirSync(dist, {recursive: true, withFileTypes: false})
  .map((file) => path.join(dist, String(file)))
  .filter((file) => file.endsWith('.js'))

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

fs.mkdirSync(path.dirname(entry), {recursive: true})
fs.writeFileSync(entry, `export {${[...names].sort().join(', ')}} from 'kysely'\n`)
try {
  await build({
    input: entry,
    platform: 'node',
    logLevel: 'warn',
    cwd: root,
    output: {file: bundle, format: 'cjs', minify: true},
  })
} finally {
  fs.rmSync(entry, {force: true})
}
const exported = [...names].sort().join(', ')
fs.writeFileSync(
  vendored,
  `import {createRequire} from 'node:module'\nexport const {${exported}} = createRequire(import.meta.url)('./kysely.cjs')\n`,
)

// Every compiled `from 'kysely'` becomes a relative import of the bundle.
const specifier = /(\bfrom\s*)(['"])kysely\2/g
let rewritten = 0
for (const full of compiled) {
  const text = fs.readFileSync(full, 'utf8')
  let relative = path.relative(path.dirname(full), vendored).split(path.sep).join('/')
  if (!relative.startsWith('.')) relative = `./${relative}`
  const changed = text.replace(specifier, (_m, lead, quote) => `${lead}${quote}${relative}${quote}`)
  if (changed === text) continue
  fs.writeFileSync(full, changed)
  rewritten++
}
console.log(`dist/vendor/kysely.cjs: ${exported} bundled; ${rewritten} compiled files point at it`)
