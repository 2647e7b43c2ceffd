import type {ImportsReport, InquiriesReport, RequestsReport, RetentionReport} from './figures.js'

/**
 * A report as tables: what the terminal prints, the CSV file holds and the HTML page shows, one source for
 * all three. Column keys are the JSON document's keys.
 */
export type Cell = string | number | null

export interface ReportTable {
  /** The JSON key the table comes from (the CSV's `table` column). */
  name: string
  title: string
  columns: {key: string; label: string}[]
  rows: Record<string, Cell>[]
  /** Shown when the table has no rows. */
  empty: string
}

const col = (key: string, label = key) => ({key, label})

export function requestsTables(r: RequestsReport): ReportTable[] {
  return [
    {
      name: 'byType', title: 'Requests by type', empty: 'No requests.',
      columns: [col('type'), col('received'), col('processed'), col('pending'), col('overdue'), col('medianWorkingDays', 'median working days'), col('p90WorkingDays', '90th pct working days')],
      rows: r.byType.map((t) => ({...t})),
    },
    {
      name: 'byMonth', title: 'Received and processed by month', empty: 'No months.',
      columns: [col('month'), col('type'), col('received'), col('processed')],
      rows: r.byMonth.map((m) => ({...m})),
    },
    {
      name: 'oldestPending', title: `Oldest pending request as of ${r.asOf}`, empty: 'No request is pending.',
      // The date is `receivedOn` here: in a CSV holding every table, `received` is a count.
      columns: [col('requestId', 'request id'), col('receivedOn', 'received'), col('workingDaysOpen', 'working days open')],
      rows: r.oldestPending === null ? [] : [{requestId: r.oldestPending.requestId, receivedOn: r.oldestPending.received, workingDaysOpen: r.oldestPending.workingDaysOpen}],
    },
  ]
}

export function retentionTables(r: RetentionReport): ReportTable[] {
  return [
    {
      name: 'months', title: 'Records coming due by month', empty: 'Nothing comes due in these months.',
      columns: [col('month'), col('system'), col('schedule'), col('recordType', 'record type'), col('due'), col('held'), col('blockedByRequest', 'blocked by request')],
      rows: r.months.map((m) => ({...m})),
    },
    {
      name: 'alreadyDue', title: 'Already due before these months (eligible now)', empty: 'No records were due earlier.',
      columns: [col('system'), col('schedule'), col('recordType', 'record type'), col('due'), col('held'), col('blockedByRequest', 'blocked by request')],
      rows: r.alreadyDue.map((m) => ({...m})),
    },
  ]
}

export function inquiriesTables(r: InquiriesReport): ReportTable[] {
  return [
    {name: 'byStatus', title: 'Inquiries by status', empty: 'No inquiries.', columns: [col('status'), col('count')], rows: r.byStatus.map((x) => ({...x}))},
    {name: 'byCategory', title: 'Inquiries by category', empty: 'No inquiries.', columns: [col('category'), col('count')], rows: r.byCategory.map((x) => ({...x}))},
    {name: 'byAgency', title: 'Inquiries by agency routed to', empty: 'No inquiries.', columns: [col('agency'), col('count')], rows: r.byAgency.map((x) => ({...x}))},
    {
      name: 'summary', title: 'Days to answer', empty: '',
      columns: [col('received'), col('answered'), col('medianDaysToAnswer', 'median days to answer')],
      rows: [{received: r.total, answered: r.answered, medianDaysToAnswer: r.medianDaysToAnswer}],
    },
  ]
}

export function importsTables(r: ImportsReport): ReportTable[] {
  return [{
    name: 'months', title: 'Rejected rows by month, import kind and reject code', empty: 'No rows were rejected.',
    columns: [col('month'), col('kind'), col('code'), col('count')],
    rows: r.months.map((m) => ({...m})),
  }]
}

/**
 * Every table in one CSV: a first column `table` names the table a row belongs to (its JSON key), then the
 * union of the tables' columns in order of first appearance; a cell of a column the row's table lacks is empty.
 */
export function csvLayout(tables: readonly ReportTable[]): {header: string[]; rows: Cell[][]} {
  const keys: string[] = []
  for (const t of tables) for (const c of t.columns) if (!keys.includes(c.key)) keys.push(c.key)
  const rows: Cell[][] = []
  for (const t of tables) for (const r of t.rows) rows.push([t.name, ...keys.map((k) => (k in r ? r[k]! : null))])
  return {header: ['table', ...keys], rows}
}
