import {BaseCommand} from '../../cli/base.js'
import type {BatchView} from '../../payroll/service.js'

export interface PayrollBatchesResult {
  batches: BatchView[]
}

export default class PayrollBatches extends BaseCommand<typeof PayrollBatches> {
  static override summary = 'List payroll batches with their control totals.'
  static override examples = ['<%= config.bin %> payroll batches', '<%= config.bin %> payroll batches --json']

  public async run(): Promise<PayrollBatchesResult> {
    const {listBatches} = await import('../../payroll/service.js')
    const {table} = await import('../../cli/render.js')
    const {store, operator} = await this.session('payroll.batches')
    const batches = await listBatches(store, operator)
    this.say(table(['batch', 'pay period', 'format', 'created', 'records', 'employees', 'hours', 'corrections'], batches.map((b) => [
      b.batchId, b.payPeriod, b.format, b.createdAt, b.records, b.employees, b.totalHours, b.corrections,
    ])))
    return {batches}
  }
}
