import {BaseCommand} from '../../cli/base.js'
import {Flags} from '../../cli/oclif.js'
import type {RecordDisclosureResult} from '../../requests/disclosures.js'

export type DisclosuresRecordResult = RecordDisclosureResult

export default class DisclosuresRecord extends BaseCommand<typeof DisclosuresRecord> {
  static override summary = 'Account a disclosure of an employee\'s records outside the agency (5 U.S.C. 552a(c)).'
  static override description = 'Keeps date, nature (the record), purpose, and the recipient\'s name and address. If the individual filed a statement of disagreement on the disclosed record, it is shown: send it with the record.'
  static override examples = [
    '<%= config.bin %> disclosures record --employee E1001 --recipient "USDA National Finance Center" --address "P.O. Box 60000, New Orleans, LA 70160" --purpose "Leave balance correction" --routine-use OPM/GOVT-1-PAY --date 2026-11-20',
  ]
  static override flags = {
    employee: Flags.string({required: true, summary: 'employee_id of the subject.'}),
    recipient: Flags.string({required: true, summary: 'Who received the record.'}),
    address: Flags.string({required: true, summary: 'The recipient\'s address.'}),
    purpose: Flags.string({required: true, summary: 'Why it was disclosed.'}),
    'routine-use': Flags.string({summary: 'The routine use it was disclosed under: a code of the system that holds the record (custodian systems show <id>).'}),
    date: Flags.string({summary: 'Date of the disclosure (YYYY-MM-DD). Default: today (UTC).'}),
    record: Flags.string({summary: 'The record disclosed, <recordType>[:<id>]. Default: employee:<employee>.'}),
  }

  public async run(): Promise<DisclosuresRecordResult> {
    const {recordDisclosure} = await import('../../requests/disclosures.js')
    const {store, operator} = await this.session('disclosures.record')
    const f = this.flags
    const result = await recordDisclosure(store, operator, {employeeId: f.employee, recipient: f.recipient, address: f.address, purpose: f.purpose, routineUse: f['routine-use'], date: f.date, record: f.record})
    this.say(`Disclosure ${result.disclosureId} of ${result.recordType} ${result.recordRef ?? ''} to ${result.recipient} on ${result.date} accounted.`)
    for (const s of result.statements) {
      this.note(`${s.record} carries a statement of disagreement (request ${s.requestId}, filed ${s.filedAt.slice(0, 10)}); send it with the record:\n${s.statement}`)
    }
    return result
  }
}
