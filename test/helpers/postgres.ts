import {randomBytes} from 'node:crypto'
import pg from 'pg'
import {inject} from 'vitest'

/** The admin URL of the run's PostgreSQL server (test/helpers/postgres-server.ts). */
export const pgAdminUrl = (): string => inject('pgAdminUrl')

/** Runs SQL as the server's admin login, on the given database (default: the admin URL's). */
export async function adminQuery<R extends pg.QueryResultRow = pg.QueryResultRow>(text: string, database?: string): Promise<R[]> {
  const url = new URL(pgAdminUrl())
  if (database) url.pathname = `/${database}`
  const client = new pg.Client({connectionString: url.toString()})
  await client.connect()
  try {
    return (await client.query<R>(text)).rows
  } finally {
    await client.end()
  }
}

/** A new, empty database on the server; its URL (as the admin login) and name. */
export async function freshDatabase(): Promise<{url: string; name: string}> {
  const name = `custodian_${randomBytes(6).toString('hex')}`
  await adminQuery(`CREATE DATABASE ${name}`)
  const url = new URL(pgAdminUrl())
  url.pathname = `/${name}`
  return {url: url.toString(), name}
}
