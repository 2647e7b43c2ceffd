// Run by test/helpers/cli.ts (synchronously, as a child process) to do what a DBA would on the test server:
//   node pg-admin.mjs <adminUrl> createdb <name>     a new, empty database
//   node pg-admin.mjs <adminUrl> login <name>...     login roles (no password), when they do not exist
//   node pg-admin.mjs <dbUrl> query <json>           {text, params}: the rows, as JSON on stdout
//   node pg-admin.mjs <dbUrl> exec <sql>             statements, as the superuser with triggers off (a hostile DBA)
import pg from 'pg'

const [url, what, ...args] = process.argv.slice(2)
// Dates and 64-bit integers as the CLI's own connection reads them.
const types = {getTypeParser: (oid, format) => (oid === 20 ? Number : [1082, 1114, 1184].includes(oid) ? (v) => v : pg.types.getTypeParser(oid, format))}
const client = new pg.Client({connectionString: url, types})
await client.connect()
try {
  if (what === 'query') {
    const {text, params} = JSON.parse(args[0])
    const {rows} = await client.query(text, params)
    process.stdout.write(JSON.stringify(rows))
  } else if (what === 'exec') {
    await client.query('SET session_replication_role = replica')
    await client.query(args[0])
  } else {
    for (const name of args) {
      const ident = client.escapeIdentifier(name)
      if (what === 'createdb') await client.query(`CREATE DATABASE ${ident}`)
      else if (what === 'login') {
        const {rows} = await client.query('SELECT 1 FROM pg_roles WHERE rolname = $1', [name])
        if (rows.length === 0) await client.query(`CREATE ROLE ${ident} LOGIN`).catch((e) => { if (e.code !== '42710') throw e })
      } else throw new Error(`unknown command ${what}`)
    }
  }
} finally {
  await client.end()
}
