#!/usr/bin/env node
// Every file custodian writes (store, -wal/-shm, exports, rejects) is private to its owner.
process.umask(0o077)
const {main} = await import('../dist/src/cli/main.js')
await main()
