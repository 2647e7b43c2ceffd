#!/usr/bin/env node
// Every file custodian writes (store, -wal/-shm, exports, rejects) is private to its owner.
process.umask(0o077)
const {execute} = await import('@oclif/core/execute')
await execute({dir: import.meta.url})
