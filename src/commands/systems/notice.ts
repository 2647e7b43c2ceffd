import {BaseCommand} from '../../cli/base.js'
import {Args, Flags} from '../../cli/oclif.js'
import type {NoticeResult} from '../../systems/service.js'

export type SystemsNoticeResult = NoticeResult

export default class SystemsNotice extends BaseCommand<typeof SystemsNotice> {
  static override summary = 'Write a system\'s notice as Markdown, in the layout of a Federal Register system of records notice (every role).'
  static override description = 'The headings of USPS 550.000, in its order. Retrieval comes from the record types the store keeps in the system, retention and disposal from its schedules as they are now (retention schedules set changes them), routine uses from the store. Without --out the notice is printed; with --out it is written to the file (0600) and the writing is audited.'
  static override examples = [
    '<%= config.bin %> systems notice OPM/GOVT-1',
    '<%= config.bin %> systems notice USPS-550.000 --out usps-550.000.md',
  ]
  static override args = {id: Args.string({required: true, description: 'System id, e.g. OPM/GOVT-1.'})}
  static override flags = {out: Flags.string({summary: 'Markdown file to write the notice to.'})}

  public async run(): Promise<SystemsNoticeResult> {
    const {systemNotice} = await import('../../systems/service.js')
    const {store, operator} = await this.session('systems.notice')
    const r = await systemNotice(store, operator, this.args.id, this.flags.out)
    this.say(r.markdown === null ? `Notice of ${r.id} written to ${r.file} (sha256 ${r.sha256}).` : r.markdown.trimEnd())
    return r
  }
}
