// Preload for benchmarks: NODE_OPTIONS="--require /abs/path/bench/rss.cjs" BENCH_RSS_FILE=/tmp/x node ...
// At 'exit' writes the process's peak resident set size (process.resourceUsage().maxRSS, in KB) to
// $BENCH_RSS_FILE, and its CPU time (user + system, microseconds) to $BENCH_RSS_FILE.cpu. Does nothing when BENCH_RSS_FILE is unset. Only synchronous work is allowed in 'exit'.
'use strict'
const fs = require('node:fs')

const file = process.env.BENCH_RSS_FILE
if (file) {
  process.on('exit', () => {
    try {
      const usage = process.resourceUsage()
      fs.writeFileSync(file, `${usage.maxRSS}\n`)
      // CPU seconds (user + system, in microseconds) beside it: on a loaded machine they compare better than wall time.
      fs.writeFileSync(`${file}.cpu`, `${usage.userCPUTime + usage.systemCPUTime}\n`)
    } catch {
      // never change the measured process's exit status
    }
  })
}
