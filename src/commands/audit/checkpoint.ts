import {BaseCommand} from '../../cli/base.js'
import {Flags} from '../../cli/oclif.js'
import type {Checkpoint} from '../../audit/chain.js'

export type AuditCheckpointResult = Checkpoint

export default class AuditCheckpoint extends BaseCommand<typeof AuditCheckpoint> {
  static override summary = 'Record the audit chain\'s head, to keep outside the store: audit verify --checkpoint then catches a truncated, emptied or recomputed chain.'
  static override description = 'Appends an audit.checkpoint entry and prints {seq, head, at, entries} of the chain ending with it; --out writes the same document to a file (0600). A chain that does not verify gets no checkpoint (exit 3).'
  static override examples = [
    '<%= config.bin %> audit checkpoint --json',
    '<%= config.bin %> audit checkpoint --out audit-checkpoint.json',
  ]
  static override flags = {out: Flags.string({summary: 'File to write the checkpoint to (keep it where the store\'s writers cannot change it).'})}

  public async run(): Promise<AuditCheckpointResult> {
    const {takeCheckpoint} = await import('../../audit/verify.js')
    const {store, operator} = await this.session('audit.checkpoint')
    const cp = await takeCheckpoint(store, operator, this.flags.out)
    this.say(`Checkpoint: entry ${cp.seq} of ${cp.entries}, head ${cp.head}, at ${cp.at}${this.flags.out ? `; written to ${this.flags.out}` : ''}.`)
    this.say('Keep it outside the store; check against it with: custodian audit verify --checkpoint <file>')
    return cp
  }
}
