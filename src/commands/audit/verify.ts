import {BaseCommand} from '../../cli/base.js'
import {Flags} from '../../cli/oclif.js'
import {ExitCode} from '../../errors.js'
import type {AuditVerifyReport} from '../../audit/verify.js'

export type AuditVerifyResult = AuditVerifyReport

export default class AuditVerify extends BaseCommand<typeof AuditVerify> {
  static override summary = 'Check the audit chain (content, links, seq, MACs under the store\'s key), an optional checkpoint, and every sealed record.'
  static override description = 'Prints its result (JSON: {entries, ok, firstBadSeq, mac, checkpoint, seals, broken}) whether or not it is ok; exit 3 when not ok, naming what failed: an entry altered, removed or reordered, a chain recomputed without the key, a checkpoint no longer held, a certificate or payroll batch changed after it was sealed.'
  static override examples = [
    '<%= config.bin %> audit verify',
    '<%= config.bin %> audit verify --json',
    '<%= config.bin %> audit verify --checkpoint audit-checkpoint.json',
  ]
  static override flags = {checkpoint: Flags.string({summary: 'A file written by audit checkpoint --out: the chain must still hold its entry with its hash.'})}

  public async run(): Promise<AuditVerifyResult> {
    const {verifyAudit} = await import('../../audit/verify.js')
    const {store, operator} = await this.session('audit.verify')
    const r = await verifyAudit(store, operator, {checkpoint: this.flags.checkpoint})
    const macs = r.mac.checked ? `${r.mac.keyed} with a valid MAC` : 'MACs not checked: the store\'s key is not readable here'
    const cp = r.checkpoint ? `; checkpoint at entry ${r.checkpoint.seq} ${r.checkpoint.held ? 'held' : 'NOT held'}` : ''
    const sealed = r.seals.map((s) => (s.checked ? `${s.kind} ${s.records}` : `${s.kind} not checked (${s.reason})`)).join(', ')
    if (r.ok) {
      // The plain line when everything was checked; what was not (no key here, a role the server withholds
      // batches from) or a checkpoint, said too.
      const plain = r.mac.checked && !r.checkpoint && r.seals.every((s) => s.checked)
      this.say(`${this.color.green('OK')}: ${r.entries} audit entries verify${plain ? '' : ` (${macs})${cp}; sealed records match: ${sealed}`}.`)
    } else {
      this.say(`${this.color.red('FAILED')}: the audit trail does not verify (${r.entries} entries; ${macs})${cp}.`)
      for (const b of r.broken) this.say(`  - ${b.kind}: ${b.message}`)
      // The result is the document, exit 3 (as payroll verify): --json prints it as it is.
      process.exitCode = ExitCode.checksFailed
    }
    return r
  }
}
