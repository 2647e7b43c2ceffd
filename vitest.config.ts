import {defineConfig} from 'vitest/config'

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // The PostgreSQL server the suite runs against (started here unless CUSTODIAN_TEST_PG_URL names one).
    globalSetup: ['test/helpers/postgres-server.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    disableConsoleIntercept: true,
  },
})
