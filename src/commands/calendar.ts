import {BaseCommand} from '../cli/base.js'
import type {CalendarYear} from '../closures/service.js'
import {Flags} from '../cli/oclif.js'

export interface CalendarResult extends CalendarYear {
  added?: {date: string; reason: string}
  removed?: {date: string}
}

export default class Calendar extends BaseCommand<typeof Calendar> {
  static override summary = 'Show a year\'s pay periods, observed federal holidays and closure days; add or remove closure days (admin).'
  static override examples = [
    '<%= config.bin %> calendar --year 2026',
    '<%= config.bin %> calendar --add-closure 2026-12-24 --reason "Executive order: Christmas Eve closure"',
    '<%= config.bin %> calendar --remove-closure 2026-12-24 --json',
  ]
  static override flags = {
    year: Flags.integer({summary: 'The year to show. Default: the year of the closure day given, else this year.'}),
    'add-closure': Flags.string({summary: 'Add a closure day (YYYY-MM-DD); needs --reason.', exclusive: ['remove-closure'], dependsOn: ['reason']}),
    'remove-closure': Flags.string({summary: 'Remove a closure day (YYYY-MM-DD).'}),
    reason: Flags.string({summary: 'Why the agency is closed (with --add-closure).'}),
  }

  public async run(): Promise<CalendarResult> {
    const {calendarYear, addClosure, removeClosure} = await import('../closures/service.js')
    const {table} = await import('../cli/render.js')
    const manage = this.flags['add-closure'] || this.flags['remove-closure']
    const {store, operator} = await this.session(manage ? 'calendar.manage' : 'calendar.show')
    let added
    let removed
    if (this.flags['add-closure']) added = await addClosure(store, operator, this.flags['add-closure'], this.flags.reason ?? '')
    if (this.flags['remove-closure']) removed = await removeClosure(store, operator, this.flags['remove-closure'])
    const year = this.flags.year ?? Number((manage ?? new Date().toISOString()).slice(0, 4))
    const cal = await calendarYear(store, operator, year)
    if (added) this.say(`Added closure day ${added.date}: ${added.reason}`)
    if (removed) this.say(`Removed closure day ${removed.date}.`)
    this.say(this.color.bold(`Pay periods starting in ${year}`))
    this.say(table(['number', 'start', 'end'], cal.payPeriods.map((p) => [p.number, p.start, p.end])))
    this.say(this.color.bold(`\nObserved federal holidays ${year}`))
    this.say(table(['observed', 'holiday', 'date'], cal.holidays.map((h) => [h.observed, h.name, h.date])))
    if (cal.closures.length > 0) {
      this.say(this.color.bold('\nClosure days'))
      this.say(table(['date', 'reason'], cal.closures.map((c) => [c.date, c.reason])))
    }
    return {...cal, ...(added ? {added} : {}), ...(removed ? {removed} : {})}
  }
}
