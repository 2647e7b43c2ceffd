import type {Migration} from 'kysely'

/**
 * The static, ordered record of migrations (a packaged CLI cannot scan a folder). Append only.
 * Each migration's `up` opens its own transaction: Kysely does not wrap SQLite DDL in one.
 * A migration's module loads only when the store is migrated: every other command start needs only to
 * know how many there are.
 */
export const migrations: Record<string, () => Promise<Migration>> = {
  '0001_init': () => import('./0001_init.js'),
  '0002_timecards': () => import('./0002_timecards.js'),
  '0003_payroll': () => import('./0003_payroll.js'),
  '0004_records': () => import('./0004_records.js'),
  '0005_retention': () => import('./0005_retention.js'),
  '0006_outputs': () => import('./0006_outputs.js'),
  '0007_letters': () => import('./0007_letters.js'),
  '0008_systems': () => import('./0008_systems.js'),
  '0009_accounts': () => import('./0009_accounts.js'),
  '0010_contacts': () => import('./0010_contacts.js'),
  '0011_inquiries': () => import('./0011_inquiries.js'),
  '0012_request_subjects': () => import('./0012_request_subjects.js'),
  '0013_postgres_lines_fk': () => import('./0013_postgres_lines_fk.js'),
  '0014_disposition_reviews': () => import('./0014_disposition_reviews.js'),
  '0015_audit': () => import('./0015_audit.js'),
  '0016_ssn_at_rest': () => import('./0016_ssn_at_rest.js'),
  '0017_import_rejects': () => import('./0017_import_rejects.js'),
  '0018_timecard_seals': () => import('./0018_timecard_seals.js'),
  '0019_postgres_batch_totals': () => import('./0019_postgres_batch_totals.js'),
  '0020_payroll_batch_chunks': () => import('./0020_payroll_batch_chunks.js'),
  '0021_postgres_timecard_fks': () => import('./0021_postgres_timecard_fks.js'),
}
