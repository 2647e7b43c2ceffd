import {BaseCommand} from '../../cli/base.js'
import {Flags} from '../../cli/oclif.js'
import type {CopyResult} from '../../admin/copy.js'

export type StoreCopyResult = CopyResult

export default class StoreCopy extends BaseCommand<typeof StoreCopy> {
  static override summary = 'Copy the whole store, audit chain included, into a new or empty store on either engine (admin).'
  static override description = 'Outgrowing one machine: copies a SQLite store into a PostgreSQL database (or back, or file to file) in one transaction. The copy\'s audit chain is verified before it commits. The target must be a new file, an empty file or an empty database (else exit 6).'
  static override examples = [
    '<%= config.bin %> store copy --from ./agency.db --to postgres://records.agency.example/custodian',
    '<%= config.bin %> store copy --to ./backup-copy.db --json',
  ]
  static override flags = {
    to: Flags.string({required: true, summary: 'The new store: a file path or a postgres:// URL.'}),
    from: Flags.string({summary: 'The store to copy. Default: --db, $CUSTODIAN_DB, else the default store.'}),
  }

  public async run(): Promise<StoreCopyResult> {
    const {copyStore} = await import('../../admin/copy.js')
    if (this.flags.from !== undefined) (this.flags as {db?: string}).db = this.flags.from
    const {store, operator} = await this.session('store.copy')
    const result = await copyStore(store, operator, this.flags.to)
    const rows = Object.values(result.tables).reduce((s, n) => s + n, 0)
    this.say(`Copied ${result.from} to ${result.to}: ${rows} rows in ${Object.keys(result.tables).length} tables; its audit chain of ${result.auditEntries} entries verifies in the copy.`)
    return result
  }
}
