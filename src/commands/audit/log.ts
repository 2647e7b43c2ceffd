import {BaseCommand} from '../../cli/base.js'
import type {AuditEntry} from '../../audit/chain.js'
import {Flags} from '../../cli/oclif.js'

export interface AuditLogResult {
  entries: AuditEntry[]
}

export default class AuditLog extends BaseCommand<typeof AuditLog> {
  static override summary = 'Show audit entries, oldest first, filtered by date, actor or action.'
  static override examples = [
    '<%= config.bin %> audit log --since 2026-11-01 --actor tina',
    '<%= config.bin %> audit log --action personnel --json',
  ]
  static override flags = {
    since: Flags.string({summary: 'Entries on or after this UTC day (YYYY-MM-DD) or moment (ISO 8601: 2026-11-01T09:30Z, 2026-11-01T09:30-05:00; no zone means UTC).'}),
    actor: Flags.string({summary: 'Only this operator\'s entries.'}),
    action: Flags.string({summary: 'Only this action, or every action under a prefix (personnel ⊃ personnel.import).'}),
    limit: Flags.integer({min: 1, max: 1_000_000_000, summary: 'Only the newest N entries (shown oldest first).'}),
  }

  public async run(): Promise<AuditLogResult> {
    const {listAudit} = await import('../../audit/chain.js')
    const {parseDateOrTimestampFlag} = await import('../../calendar/dates.js')
    const {table} = await import('../../cli/render.js')
    const {store} = await this.session('audit.log')
    const since = this.flags.since === undefined ? undefined : parseDateOrTimestampFlag('since', this.flags.since)
    const entries = await listAudit(store, {since, actor: this.flags.actor, action: this.flags.action, limit: this.flags.limit})
    this.say(table(['seq', 'at', 'actor', 'action', 'record', 'id'], entries.map((e) => [e.seq, e.at, e.actor, e.action, e.recordType, e.recordId])))
    return {entries}
  }
}

