// Start-up speed: Kysely ships as ~280 small ES modules, and Node 20 spends ~90 ms resolving and
// linking them at every command start (more than node itself takes to start). Bundled into one file with
// rolldown it loads in ~10 ms. This step writes dist/vendor/kysely.js and points the compiled files'
// `kysely` imports at it. Sources and tests keep importing 'kysely' from node_modules, unchanged.
import fs from 'node:fs'
import path from 'node:path'
import {fileURLToPath} from 'node:url'
import {build} from 'rolldown'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const dist = path.join(root, 'dist')
const vendored = path.join(dist, 'vendor', 'kysely.js')

await build({
  input: path.join(root, 'node_modules', 'kysely', 'dist', 'esm', 'index.js'),
  platform: 'node',
  logLevel: 'warn',
  output: {file: vendored, format: 'esm', minify: true},
})

// Every compiled `from 'kysely'` / `import('kysely')` becomes a relative import of the bundle.
const specifier = /(\bfrom\s*|\bimport\s*\(\s*)(['"])kysely\2/g
let rewritten = 0
for (const file of fs.readdirSync(dist, {recursive: true, withFileTypes: false})) {
  const full = path.join(dist, String(file))
  if (!full.endsWith('.js') || full === vendored) continue
  const text = fs.readFileSync(full, 'utf8')
  let relative = path.relative(path.dirname(full), vendored).split(path.sep).join('/')
  if (!relative.startsWith('.')) relative = `./${relative}`
  const changed = text.replace(specifier, (_m, lead, quote) => `${lead}${quote}${relative}${quote}`)
  if (changed === text) continue
  fs.writeFileSync(full, changed)
  rewritten++
}
console.log(`dist/vendor/kysely.js: bundled; ${rewritten} compiled files point at it`)
