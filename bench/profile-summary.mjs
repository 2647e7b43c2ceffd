// Self time of a V8 CPU profile, by function and by file: `node bench/profile-summary.mjs <file.cpuprofile> [top]`.
// Make the profile with `node --cpu-prof --cpu-prof-dir=DIR bin/run.js <command> ...` (for example against the
// store and .nfc that `BENCH_KEEP=1 node bench/run.mjs cycle` keeps). SQL run by better-sqlite3 counts as the
// self time of the JavaScript function that ran the statement.
import fs from 'node:fs'

const [file, top = '30'] = process.argv.slice(2)
if (!file) {
  console.error('usage: node bench/profile-summary.mjs <file.cpuprofile> [top]')
  process.exit(2)
}
const profile = JSON.parse(fs.readFileSync(file, 'utf8'))
const nodes = new Map(profile.nodes.map((n) => [n.id, n]))
const self = new Map()
profile.samples.forEach((id, i) => self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)))
const byFunction = new Map()
const byFile = new Map()
for (const [id, us] of self) {
  const {functionName, url, lineNumber} = nodes.get(id).callFrame
  const where = (url || '(native)').replace(/^.*\/(node_modules|dist)\//, '$1/')
  const name = `${functionName || '(anonymous)'}  ${where}${url ? `:${lineNumber + 1}` : ''}`
  byFunction.set(name, (byFunction.get(name) ?? 0) + us)
  byFile.set(where, (byFile.get(where) ?? 0) + us)
}
const print = (title, m) => {
  console.log(`\n${title} (profile ${((profile.endTime - profile.startTime) / 1e6).toFixed(2)} s)`)
  for (const [k, us] of [...m].sort((a, b) => b[1] - a[1]).slice(0, Number(top))) console.log(`${(us / 1000).toFixed(0).padStart(7)} ms  ${k}`)
}
print('self time by function', byFunction)
print('self time by file', byFile)
