import {BaseCommand} from '../../cli/base.js'
import {ExitCode} from '../../errors.js'
import {Args} from '../../cli/oclif.js'
import type {VerifyReport} from '../../payroll/verify.js'

export type PayrollVerifyResult = VerifyReport & {file: string; format: 'nfc' | 'csv'}

export default class PayrollVerify extends BaseCommand<typeof PayrollVerify> {
  static override summary = 'Check an interchange file: record lengths, types, field formats, order, counts, totals, hash total and digest.'
  static override description = 'An NFC file is checked from its bytes alone; a --format csv file with its <file>.control.json (rows, totals and digest recomputed). Every problem is reported with its line number (0: the control file). Exit 3 when the file does not verify.'
  static override examples = ['<%= config.bin %> payroll verify pp22.nfc', '<%= config.bin %> payroll verify pp22.csv --json']
  static override args = {file: Args.string({required: true, description: 'Interchange file (nfc, or csv with its control file beside it).'})}

  public async run(): Promise<PayrollVerifyResult> {
    const {verifyFile} = await import('../../payroll/verify-file.js')
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
