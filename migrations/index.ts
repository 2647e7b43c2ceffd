import type {Migration} from 'kysely'

import * as m0001 from './0001_init.js'
import * as m0002 from './0002_timecards.js'
import * as m0003 from './0003_payroll.js'
import * as m0004 from './0004_records.js'
import * as m0005 from './0005_retention.js'

/**
 * The static, ordered record of migrations (a packaged CLI cannot scan a folder). Append only.
 * Each migration's `up` opens its own transaction: Kysely does not wrap SQLite DDL in one.
 */
export const migrations: Record<string, Migration> = {
  '0001_init': m0001,
  '0002_timecards': m0002,
  '0003_payroll': m0003,
  '0004_records': m0004,
  '0005_retention': m0005,
}
