import {BaseCommand} from '../../cli/base.js'
import {ExitCode} from '../../cli/errors.js'
import {Args} from '../../cli/oclif.js'
import type {VerifyReport} from '../../payroll/verify.js'

export type PayrollVerifyResult = VerifyReport & {file: string}

export default class PayrollVerify extends BaseCommand<typeof PayrollVerify> {
  static override summary = 'Check an interchange file: record lengths, types, field formats, order, counts, totals, hash total and digest.'
  static override description = 'Every problem is reported with its line number. Exit 3 when the file does not verify.'
  static override examples = ['<%= config.bin %> payroll verify pp22.nfc', '<%= config.bin %> payroll verify pp22.nfc --json']
  static override args = {file: Args.string({required: true, description: 'Interchange file (nfc format).'})}

  public async run(): Promise<PayrollVerifyResult> {
    const {verifyFile} = await import('../../payroll/service.js')
    const {operator} = await this.session('payroll.verify')
    const r = await verifyFile(operator, this.args.file)
    if (r.ok) this.say(`${this.color.green('OK')}: ${r.records} records, ${r.totalHours} hours, hash total ${r.hashTotal}.`)
    else {
      this.say(`${this.color.red('NOT OK')}: ${r.problems.length} problem${r.problems.length === 1 ? '' : 's'} in ${r.file}`)
      for (const p of r.problems) this.say(`  line ${p.line}: ${p.message}`)
      process.exitCode = ExitCode.checksFailed
    }
    return r
  }
}
