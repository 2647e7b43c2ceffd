import {BaseCommand} from '../../cli/base.js'
import {Args, Flags} from '../../cli/oclif.js'
import type {BatchView} from '../../payroll/service.js'

export type PayrollReexportResult = BatchView & {file: string}

export default class PayrollReexport extends BaseCommand<typeof PayrollReexport> {
  static override summary = 'Write a payroll batch again, byte for byte identical to the first time.'
  static override examples = ['<%= config.bin %> payroll reexport B000000001 --out pp22-again.nfc']
  static override args = {batchId: Args.string({required: true, description: 'Batch id, e.g. B000000001.'})}
  static override flags = {out: Flags.string({required: true, summary: 'File to write.'})}

  public async run(): Promise<PayrollReexportResult> {
    const {reexportBatch} = await import('../../payroll/service.js')
    const {store, operator} = await this.session('payroll.reexport')
    const r = await reexportBatch(store, operator, this.args.batchId, this.flags.out)
    this.say(`Wrote batch ${r.batchId} to ${r.file} (sha256 ${r.sha256}).`)
    return r
  }
}
