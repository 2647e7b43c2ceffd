import {defineConfig} from 'vitest/config'

/**
 * The end-to-end files that run a second time on PostgreSQL (test/helpers/cli.ts: ENGINE): every file that
 * drives the CLI through freshStore(). Files about SQLite's own file (its bytes, its -wal, its permissions,
 * kill -9 in the middle of a write) stay SQLite's, and the PostgreSQL files run once.
 */
const BOTH_ENGINES = [
  'test/e2e/personnel.test.ts',
  'test/e2e/timecards.test.ts',
  'test/e2e/seals.test.ts',
  'test/e2e/payroll.test.ts',
  'test/e2e/payroll-chunks.test.ts',
  'test/e2e/payroll-golden.test.ts',
  'test/e2e/payroll-verify.test.ts',
  'test/e2e/requests.test.ts',
  'test/e2e/retention.test.ts',
  'test/e2e/audit.test.ts',
  'test/e2e/audit-checkpoints.test.ts',
  'test/e2e/contract.test.ts',
  'test/e2e/newcomer.test.ts',
  'test/e2e/requests-intake.test.ts',
  'test/e2e/systems.test.ts',
  'test/e2e/accounts.test.ts',
  'test/e2e/inquiries.test.ts',
  'test/e2e/ssn-at-rest.test.ts',
  'test/e2e/contacts.test.ts',
  'test/e2e/request-subjects.test.ts',
  'test/e2e/retention-review.test.ts',
  'test/e2e/reports.test.ts',
]

export default defineConfig({
  test: {
    testTimeout: 120_000,
    hookTimeout: 120_000,
    disableConsoleIntercept: true,
    projects: [
      // Each project starts the PostgreSQL server its tests use (unless CUSTODIAN_TEST_PG_URL names one); the run's
      // temporary files go in one folder, removed at the end (temp-root.ts).
      {extends: true, test: {name: 'sqlite', include: ['test/**/*.test.ts'], globalSetup: ['test/helpers/postgres-server.ts', 'test/helpers/temp-root.ts'], setupFiles: ['test/helpers/use-temp-root.ts']}},
      {extends: true, test: {name: 'postgres', include: BOTH_ENGINES, env: {CUSTODIAN_TEST_ENGINE: 'postgres'}, globalSetup: ['test/helpers/postgres-server.ts', 'test/helpers/temp-root.ts'], setupFiles: ['test/helpers/use-temp-root.ts']}},
    ],
  },
})
