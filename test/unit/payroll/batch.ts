import type {BatchHeader, DetailRecord} from '../../../src/payroll/nfc.js'

// The small batch of the golden test (nfc.test.ts checks its file line by line against hand-written
// records); verify and CSV tests reuse it.
export const HEADER: BatchHeader = {
  agencyCode: 'AG', batchId: 'B000000001', payPeriodStart: '2026-01-11', payPeriodNumber: '2026-01',
  createdAt: '2026-01-26T14:05:09.123Z',
}
export const nunez = {
  ssn: '123456789', employeeId: 'E1001', lastName: 'Núñez', firstName: 'Zoë', middleName: 'Ángela',
  payPlan: 'GS', grade: '07', step: 3, tour: 'FT', scheduledHours: 8000, correction: false, version: 1,
} as const
export const smith = {
  ssn: null, employeeId: 'E1002', lastName: 'Smith', firstName: 'John', middleName: null,
  payPlan: 'WG', grade: '05', step: 2, tour: 'PT', scheduledHours: 4000, correction: false, version: 1,
} as const
export const vandenberghe = {
  ssn: '987654321', employeeId: 'E1003', lastName: 'Vandenberghe-Castellanos', firstName: 'Maximilian', middleName: 'Rudolf',
  payPlan: 'ES', grade: null, step: null, tour: 'INT', scheduledHours: 0, correction: true, version: 2,
} as const

/** Deliberately not in file order. */
export const DETAILS: DetailRecord[] = [
  {...vandenberghe, transactionCode: '21', hourType: 'OT', hours: 325, accountingCode: 'ACCT-300'},
  {...nunez, transactionCode: '66', hourType: 'HOL', hours: 800, accountingCode: 'ACCT-100'},
  {...smith, transactionCode: '62', hourType: 'SL', hours: 800, accountingCode: 'ACCT-100'},
  {...nunez, transactionCode: '01', hourType: 'REG', hours: 6400, accountingCode: 'ACCT-100'},
  {...vandenberghe, transactionCode: '01', hourType: 'REG', hours: 1250, accountingCode: 'ACCT-300'},
  {...nunez, transactionCode: '66', hourType: 'ADMIN', hours: 800, accountingCode: 'ACCT-200'},
  {...smith, transactionCode: '01', hourType: 'REG', hours: 3200, accountingCode: 'ACCT-100'},
]
