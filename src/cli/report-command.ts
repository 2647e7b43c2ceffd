import type {ReportName, ReportJson} from '../reports/service.js'
import {BaseCommand} from './base.js'
import {Flags} from './oclif.js'

/**
 * What the four `reports` commands share: the period flags, the optional CSV and HTML files, the tables on
 * the terminal and the JSON document of CLI.md "Reports". A concrete command names its report.
 */
export abstract class ReportCommand extends BaseCommand<typeof ReportCommand> {
  static override flags = {
    from: Flags.string({summary: 'First day of the period (YYYY-MM-DD). Default: the day after the same date a year before --to.'}),
    to: Flags.string({summary: 'Last day of the period (YYYY-MM-DD). Default: --as-of.'}),
    'as-of': Flags.string({summary: 'Date the report is made for: what is pending, overdue, held (YYYY-MM-DD). Default: today (UTC).'}),
    html: Flags.string({summary: 'Also write the report as one self-contained HTML page (tables and charts) to this file (mode 0600, replaced).'}),
    csv: Flags.string({summary: 'Also write the report\'s tables to this CSV file, a first column `table` naming each row\'s table (mode 0600, replaced).'}),
  }

  protected abstract readonly report: ReportName

  public async run(): Promise<ReportJson> {
    const [{makeReport}, {asOfDate}, {table}] = await Promise.all([import('../reports/service.js'), import('../calendar/dates.js'), import('./render.js')])
    const asOf = asOfDate(this.flags['as-of'])
    const {store, operator} = await this.session(`reports.${this.report}`)
    const r = await makeReport(store, operator, this.report, {from: this.flags.from, to: this.flags.to, asOf, html: this.flags.html, csv: this.flags.csv})
    this.say(this.color.bold(`Report: ${this.report} (${r.period})`))
    for (const t of r.tables) {
      this.say()
      this.say(this.color.bold(t.title))
      this.say(t.rows.length === 0 ? t.empty : table(t.columns.map((c) => c.label), t.rows.map((row) => t.columns.map((c) => row[c.key] ?? '–'))))
    }
    if (r.files.csv) this.say(`\nWrote the tables to ${r.files.csv}.`)
    if (r.files.html) this.say(`${r.files.csv ? '' : '\n'}Wrote the page to ${r.files.html}.`)
    return r.json
  }
}
