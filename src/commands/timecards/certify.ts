import {BaseCommand} from '../../cli/base.js'
import {Flags} from '../../cli/oclif.js'
import type {CertifyResult} from '../../timecards/service.js'

export type TimecardsCertifyResult = CertifyResult

export default class TimecardsCertify extends BaseCommand<typeof TimecardsCertify> {
  static override summary = 'Certify validated cards of a pay period in your scope (supervisor; never your own card).'
  static override description = 'Each card certified is sealed with the digest of its content (its lines, identity and version): payroll export refuses a card changed since (exit 3, SEAL_BROKEN), and audit verify lists broken seals.'
  static override examples = [
    '<%= config.bin %> timecards certify --pay-period 2026-11-01',
    '<%= config.bin %> timecards certify --pay-period 2026-11-01 --employee E1002 --employee E1003 --json',
  ]
  static override flags = {
    'pay-period': Flags.string({required: true, summary: 'Start date of the pay period.'}),
    employee: Flags.string({multiple: true, summary: 'Only these employees\' cards (repeatable).'}),
  }

  public async run(): Promise<TimecardsCertifyResult> {
    const {certifyCards, parsePayPeriod} = await import('../../timecards/service.js')
    const {store, operator} = await this.session('timecards.certify')
    const payPeriod = await parsePayPeriod(store, this.flags['pay-period'])
    const result = await certifyCards(store, operator, {payPeriod, employeeIds: this.flags.employee})
    this.say(`Certified ${result.certified} card${result.certified === 1 ? '' : 's'}.`)
    for (const s of result.skipped) this.say(`  skipped ${s.employeeId}: ${s.reason}`)
    return result
  }
}
