import {BaseCommand} from '../../cli/base.js'
import {ExitCode} from '../../errors.js'
import {Flags} from '../../cli/oclif.js'
import type {ValidateResult} from '../../timecards/service.js'

export type TimecardsValidateResult = ValidateResult

export default class TimecardsValidate extends BaseCommand<typeof TimecardsValidate> {
  static override summary = 'Run the timecard edit checks on draft cards; cards without errors become validated.'
  static override description = 'Exit 3 when any card fails (its findings say the value found and what is expected).'
  static override examples = [
    '<%= config.bin %> timecards validate --pay-period 2026-11-01',
    '<%= config.bin %> timecards validate --pay-period 2026-11-01 --employee E1002 --json',
  ]
  static override flags = {
    'pay-period': Flags.string({summary: 'Start date of the pay period. Default: every pay period.'}),
    employee: Flags.string({summary: 'Only this employee\'s card.'}),
  }

  public async run(): Promise<TimecardsValidateResult> {
    const {validateCards, parsePayPeriod} = await import('../../timecards/service.js')
    const {store, operator} = await this.session('timecards.validate')
    const payPeriod = this.flags['pay-period'] ? await parsePayPeriod(store, this.flags['pay-period']) : undefined
    const result = await validateCards(store, operator, {payPeriod, employeeId: this.flags.employee})
    const c = this.color
    this.say(`Checked ${result.checked} draft card${result.checked === 1 ? '' : 's'}: ${c.green(`${result.validated} validated`)}, ${result.failed > 0 ? c.red(`${result.failed} failed`) : '0 failed'}.`)
    for (const f of result.findings) {
      this.say(`  ${f.employeeId} ${f.payPeriod} v${f.version}  ${f.severity === 'error' ? c.red(f.code) : c.yellow(f.code)}  ${f.message}`)
    }
    if (result.failed > 0) process.exitCode = ExitCode.checksFailed
    return result
  }
}
