import {type Operator, authorize} from '../auth/roles.js'
import {appendAudit, sha256} from '../audit/chain.js'
import {type CivilDate, parseDateFlag} from '../calendar/dates.js'
import {closureDays} from '../closures/service.js'
import {usage} from '../errors.js'
import {REQUEST_TYPES} from '../requests/clocks.js'
import {REGISTRY} from '../records/registry.js'
import {activeHolds, openRequestSubjects, readSchedules} from '../retention/service.js'
import {type Output, prepareOutput} from '../store/outputs.js'
import {type Store, inTransaction} from '../store/index.js'
import {
  AGING_BUCKETS, INQUIRY_STATUSES, type ImportsReport, type InquiriesReport, type RequestsReport, type RetentionReport,
  defaultFrom, forecastWindow, importsReport, inquiriesFromGroups, monthsBetween, requestsFromGroups, retentionTally,
} from './figures.js'
import type {ChartSpec} from './html.js'
import {inquiryGroups, rejectCounts, requestGroups} from './queries.js'
import {type ReportTable, csvLayout, importsTables, inquiriesTables, requestsTables, retentionTables} from './tables.js'

/**
 * `custodian reports`: reads the figures (queries.ts), computes them (figures.ts, pure), and writes the
 * optional CSV and HTML files through the store's output protocol (0600 temp, rename; never the store).
 * The reading is audited as `reports.<name>` with a digest of the JSON document.
 */
export const REPORT_NAMES = ['requests', 'retention', 'inquiries', 'imports'] as const
export type ReportName = (typeof REPORT_NAMES)[number]

/** The JSON documents of CLI.md "Reports", exactly. */
export type RequestsJson = Omit<RequestsReport, 'aging'>
export type RetentionJson = Omit<RetentionReport, 'alreadyDue'>
export type InquiriesJson = Omit<InquiriesReport, 'total' | 'answered'>
export type ImportsJson = ImportsReport
export type ReportJson = RequestsJson | RetentionJson | InquiriesJson | ImportsJson

export interface ReportOptions {
  from?: string
  to?: string
  asOf: CivilDate
  html?: string
  csv?: string
  now?: Date
}

export interface ReportOutcome {
  name: ReportName
  json: ReportJson
  tables: ReportTable[]
  /** The period in words, for people. */
  period: string
  files: {html: string | null; csv: string | null}
}

const TITLES: Record<ReportName, string> = {
  requests: 'Privacy Act requests: workload and response times',
  retention: 'Retention forecast: records coming due',
  inquiries: 'Public inquiries',
  imports: 'Import quality: rejected rows by code',
}

interface Computed {
  json: ReportJson
  tables: ReportTable[]
  charts: ChartSpec[]
  period: string
}

function period(opts: ReportOptions): {from: CivilDate; to: CivilDate; asOf: CivilDate} {
  const to = opts.to === undefined ? opts.asOf : parseDateFlag('to', opts.to)
  const from = opts.from === undefined ? defaultFrom(to) : parseDateFlag('from', opts.from)
  if (from > to) throw usage(`--from ${from} is after --to ${to}; the period runs from --from to --to.`, {from, to})
  return {from, to, asOf: opts.asOf}
}

async function computeRequests(store: Store, opts: ReportOptions, withCharts: boolean): Promise<Computed> {
  const p = period(opts)
  const closures = new Set((await closureDays(store)).keys())
  const report = requestsFromGroups(await requestGroups(store, p), p, closures)
  const {aging, ...json} = report
  const charts: ChartSpec[] = []
  if (withCharts) {
    const {stackedBars} = await import('./html.js')
    const months = monthsBetween(p.from, p.to)
    const series = {field: 'type', title: 'Type', domain: REQUEST_TYPES}
    charts.push(
      stackedBars({title: 'Requests received by month', values: report.byMonth, x: {field: 'month', title: 'Month received', domain: months}, y: {field: 'received', title: 'Requests'}, series}),
      stackedBars({title: 'Requests processed (closed) by month', values: report.byMonth, x: {field: 'month', title: 'Month closed', domain: months}, y: {field: 'processed', title: 'Requests'}, series}),
      stackedBars({
        title: `Pending requests by working days open, as of ${p.asOf}`, values: aging,
        x: {field: 'bucket', title: 'Working days open', domain: AGING_BUCKETS.map((b) => b.label)}, y: {field: 'count', title: 'Requests'}, series,
      }),
    )
  }
  return {json, tables: requestsTables(report), charts, period: `${p.from} to ${p.to}; pending and overdue as of ${p.asOf}`}
}

async function computeRetention(store: Store, opts: ReportOptions, withCharts: boolean): Promise<Computed> {
  const from = opts.from === undefined ? undefined : parseDateFlag('from', opts.from)
  const to = opts.to === undefined ? undefined : parseDateFlag('to', opts.to)
  const window = forecastWindow(opts.asOf, from, to)
  if (window.first > window.last) throw usage(`--from ${from ?? opts.asOf} is after --to ${to}; the forecast runs from the month of --from to the month of --to.`)
  const schedules = new Map((await readSchedules(store)).map((s) => [s.code, s]))
  // Counted as the records are read, one type after another: none is kept (a million sign-ins included).
  const tally = retentionTally(await activeHolds(store), await openRequestSubjects(store), opts.asOf, window)
  for (const entry of REGISTRY) {
    const schedule = schedules.get(entry.schedule)
    if (!schedule) throw new Error(`retention schedule ${entry.schedule} of ${entry.type} is missing from the store`)
    const meta = {type: entry.type, system: entry.system, schedule: schedule.code, retainMonths: schedule.retainMonths}
    await entry.candidates(store, (c) => tally.add(meta, c))
  }
  const report = tally.report()
  const {alreadyDue: _backlog, ...json} = report
  const charts: ChartSpec[] = []
  if (withCharts) {
    const {stackedBars} = await import('./html.js')
    const systems = [...new Set(REGISTRY.map((e) => e.system))].sort()
    charts.push(stackedBars({
      title: 'Records coming due per month, by system of records', values: report.months,
      x: {field: 'month', title: 'Month of eligibility', domain: monthsBetween(`${window.first}-01`, `${window.last}-01`)}, y: {field: 'due', title: 'Records'},
      series: {field: 'system', title: 'System', domain: systems},
    }))
  }
  return {json, tables: retentionTables(report), charts, period: `${window.first} to ${window.last}; holds and open requests as of ${opts.asOf}`}
}

async function computeInquiries(store: Store, opts: ReportOptions, withCharts: boolean): Promise<Computed> {
  const p = period(opts)
  const report = inquiriesFromGroups(await inquiryGroups(store, p), p)
  const {total: _total, answered: _answered, ...json} = report
  const charts: ChartSpec[] = []
  if (withCharts) {
    const {stackedBars} = await import('./html.js')
    charts.push(
      stackedBars({title: 'Inquiries by status', values: report.byStatus, x: {field: 'status', title: 'Status', domain: INQUIRY_STATUSES}, y: {field: 'count', title: 'Inquiries'}}),
      stackedBars({title: 'Inquiries by category', values: report.byCategory, x: {field: 'category', title: 'Category', domain: report.byCategory.map((c) => c.category)}, y: {field: 'count', title: 'Inquiries'}, horizontal: true}),
      stackedBars({title: 'Inquiries by agency routed to', values: report.byAgency, x: {field: 'agency', title: 'Agency', domain: report.byAgency.map((c) => c.agency)}, y: {field: 'count', title: 'Inquiries'}, horizontal: true}),
    )
  }
  return {json, tables: inquiriesTables(report), charts, period: `received ${p.from} to ${p.to}`}
}

async function computeImports(store: Store, opts: ReportOptions, withCharts: boolean): Promise<Computed> {
  const p = period(opts)
  const report = importsReport(await rejectCounts(store, p), p)
  const charts: ChartSpec[] = []
  if (withCharts) {
    const {stackedBars} = await import('./html.js')
    const totals = new Map<string, number>()
    for (const m of report.months) totals.set(m.code, (totals.get(m.code) ?? 0) + m.count)
    const codes = [...totals].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).map(([c]) => c)
    charts.push(stackedBars({
      title: 'Rejected rows by month of import and reject code', values: report.months,
      x: {field: 'month', title: 'Month imported', domain: monthsBetween(p.from, p.to)}, y: {field: 'count', title: 'Rejected rows'},
      series: {field: 'code', title: 'Reject code', domain: codes},
    }))
  }
  return {json: report, tables: importsTables(report), charts, period: `imported ${p.from} to ${p.to} (UTC days)`}
}

const COMPUTE: Record<ReportName, (store: Store, opts: ReportOptions, withCharts: boolean) => Promise<Computed>> = {
  requests: computeRequests, retention: computeRetention, inquiries: computeInquiries, imports: computeImports,
}

async function writeCsv(file: string, tables: readonly ReportTable[]): Promise<void> {
  const {CsvFileWriter} = await import('../csv/write.js')
  const {header, rows} = csvLayout(tables)
  const writer = new CsvFileWriter(file, header)
  for (const r of rows) writer.write(r)
  await writer.close()
}

async function writeHtml(store: Store, operator: Operator, name: ReportName, c: Computed, file: string, madeAt: string): Promise<void> {
  const [{pageHtml, renderSvg}, {writeDurable}] = await Promise.all([import('./html.js'), import('../store/outputs.js')])
  const svgs: string[] = []
  for (const chart of c.charts) svgs.push(await renderSvg(chart.spec))
  writeDurable(file, pageHtml({title: TITLES[name], store: store.path, period: c.period, madeAt, operator: operator.name, charts: c.charts, tables: c.tables}, svgs))
}

export async function makeReport(store: Store, operator: Operator, name: ReportName, opts: ReportOptions): Promise<ReportOutcome> {
  authorize(operator, `reports.${name}`)
  if (opts.html !== undefined && opts.csv !== undefined) {
    const path = await import('node:path')
    if (path.resolve(opts.html) === path.resolve(opts.csv)) throw usage('--html and --csv name the same file; give each its own.')
  }
  // Checked before any work: a bad period or a bad target changes nothing.
  const computed = await COMPUTE[name](store, opts, opts.html !== undefined)
  const madeAt = (opts.now ?? new Date()).toISOString()
  const outputs: Output[] = []
  try {
    const csv = opts.csv === undefined ? undefined : await prepareOutput(store, opts.csv, {label: '--csv', kind: 'file', replace: true, purpose: `reports.${name}`})
    if (csv) outputs.push(csv)
    const html = opts.html === undefined ? undefined : await prepareOutput(store, opts.html, {label: '--html', kind: 'file', replace: true, purpose: `reports.${name}`})
    if (html) outputs.push(html)
    if (csv) await writeCsv(csv.tmp, computed.tables)
    if (html) await writeHtml(store, operator, name, computed, html.tmp, madeAt)
    await inTransaction(store, async () => {
      await appendAudit(store, operator.name, {action: `reports.${name}`, recordType: 'report', recordId: name, digest: sha256(JSON.stringify(computed.json))})
      for (const o of outputs) await o.commitWith()
    })
    for (const o of outputs) await o.publish()
    return {name, json: computed.json, tables: computed.tables, period: computed.period, files: {html: html?.target ?? null, csv: csv?.target ?? null}}
  } catch (error) {
    for (const o of outputs) await o.discard()
    throw error
  }
}
