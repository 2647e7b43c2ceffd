// Run by test/helpers/cli.ts (synchronously, as a child process) to do what a DBA would on the test server:
//   node pg-admin.mjs <adminUrl> createdb <name>    a new, empty database
//   node pg-admin.mjs <adminUrl> login <name>...    login roles (no password), when they do not exist
import pg from 'pg'

const [url, what, ...names] = process.argv.slice(2)
const client = new pg.Client({connectionString: url})
await client.connect()
try {
  for (const name of names) {
    const ident = client.escapeIdentifier(name)
    if (what === 'createdb') await client.query(`CREATE DATABASE ${ident}`)
    else if (what === 'login') {
      const {rows} = await client.query('SELECT 1 FROM pg_roles WHERE rolname = $1', [name])
      if (rows.length === 0) await client.query(`CREATE ROLE ${ident} LOGIN`).catch((e) => { if (e.code !== '42710') throw e })
    } else throw new Error(`unknown command ${what}`)
  }
} finally {
  await client.end()
}
