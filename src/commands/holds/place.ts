import {BaseCommand} from '../../cli/base.js'
import {Flags} from '../../cli/oclif.js'
import {RECORD_TYPES} from '../../records/registry.js'
import type {HoldView} from '../../retention/service.js'

export type HoldsPlaceResult = HoldView

export default class HoldsPlace extends BaseCommand<typeof HoldsPlace> {
  static override summary = 'Place a legal hold on employees\' records, on a record type, or both (one type of their records).'
  static override description = 'Held records are never destroyed by a sweep until the hold is released. Every employee must exist (exit 5 otherwise, and nothing is placed). The reason is kept with the hold for good: cite the matter, not a person\'s name.'
  static override examples = [
    '<%= config.bin %> holds place --reason "Litigation hold, case 26-0142" --employee E1003',
    '<%= config.bin %> holds place --reason "GAO audit FY2026" --record-type timecard --json',
  ]
  static override flags = {
    reason: Flags.string({required: true, summary: 'Why the records are held (matter or case number).'}),
    employee: Flags.string({multiple: true, summary: 'Hold this employee\'s records (repeatable).'}),
    'record-type': Flags.string({summary: `Hold every record of this type (${RECORD_TYPES.join(', ')}).`}),
  }

  public async run(): Promise<HoldsPlaceResult> {
    const {placeHold} = await import('../../retention/service.js')
    const {store, operator} = await this.session('holds.place')
    const h = await placeHold(store, operator, {reason: this.flags.reason, employeeIds: this.flags.employee, recordType: this.flags['record-type']})
    const what = [h.recordType ? `${h.recordType} records` : 'records', h.employees.length > 0 ? `of ${h.employees.join(', ')}` : ''].filter(Boolean).join(' ')
    this.say(`Hold ${h.holdId} placed on ${what}.`)
    return h
  }
}
