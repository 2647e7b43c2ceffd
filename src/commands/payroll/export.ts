import {BaseCommand} from '../../cli/base.js'
import {Flags} from '../../cli/oclif.js'
import type {ExportResult} from '../../payroll/service.js'

export type PayrollExportResult = ExportResult

export default class PayrollExport extends BaseCommand<typeof PayrollExport> {
  static override summary = 'Export the certified cards of a pay period to the payroll provider, exactly once per card version.'
  static override description = 'Originals are O records; certified amendments of exported cards are C corrections carrying the whole card. In one transaction: the file (0600, written atomically), the batch, the cards marked exported, leave posted, and one disclosure per employee in the accounting of disclosures. Nothing to export: exit 5 and no file. A card changed since it was certified (its content no longer matches the seal certify put on it): exit 3, SEAL_BROKEN, nothing exported.'
  static override examples = [
    '<%= config.bin %> payroll export --pay-period 2026-11-01 --out pp22.nfc',
    '<%= config.bin %> payroll export --pay-period 2026-11-01 --out pp22.csv --format csv --json',
  ]
  static override flags = {
    'pay-period': Flags.string({required: true, summary: 'Start date of the pay period.'}),
    out: Flags.string({required: true, summary: 'The interchange file to write.'}),
    format: Flags.string({options: ['nfc', 'csv'], default: 'nfc', summary: 'nfc: fixed-width 120-character records; csv: CSV with a .control.json sidecar.'}),
  }

  public async run(): Promise<PayrollExportResult> {
    const {exportPayPeriod} = await import('../../payroll/service.js')
    const {parsePayPeriod} = await import('../../timecards/service.js')
    const {store, operator} = await this.session('payroll.export')
    const r = await exportPayPeriod(store, operator, {payPeriod: await parsePayPeriod(store, this.flags['pay-period']), out: this.flags.out, format: this.flags.format as 'nfc' | 'csv'})
    this.say(`Exported batch ${r.batchId} to ${r.file}: ${r.records} records, ${r.employees} employees, ${r.totalHours} hours, ${r.corrections} corrections.`)
    this.say(`  hash total ${r.hashTotal}   sha256 ${r.sha256}`)
    return r
  }
}
