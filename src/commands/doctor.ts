import {BaseCommand} from '../cli/base.js'
import {ExitCode} from '../errors.js'
import type {DoctorResult} from '../admin/doctor.js'

export type {DoctorResult} from '../admin/doctor.js'

export default class Doctor extends BaseCommand<typeof Doctor> {
  static override summary = 'Check the store and the files beside it; finish or clean up what crashed commands left (admin).'
  static override description = 'Puts in place the files of committed work that a crash kept from their place, removes temp files '
    + '(which may hold personal data) of work that never committed, finishes a compaction a disposal left pending, and reports '
    + 'the store\'s permissions and integrity. Every command already does the first three when it opens the store; doctor also '
    + 'looks for stray temp files in every folder custodian has written to. Exit 3 when something still needs a person.'
  static override examples = ['<%= config.bin %> doctor', '<%= config.bin %> doctor --json']

  public async run(): Promise<DoctorResult> {
    const {runDoctor} = await import('../admin/doctor.js')
    const {store, operator} = await this.session('store.doctor')
    const result = await runDoctor(store, operator)
    const lines = [
      `Store ${result.db}: integrity ${result.integrity}${result.mode === null ? '' : `, mode ${result.mode}`}.`,
      ...result.notices.map((n) => `At open: ${n}`),
      ...result.outputs.finished.map((f) => `Put in place: ${f}`),
      ...[...result.outputs.removed, ...result.strayTempFiles].map((f) => `Removed temp file: ${f}`),
      ...(result.compaction.compacted ? [`Finished the compaction after disposal ${result.compaction.disposalId}.`] : []),
      ...result.problems.map((p) => this.color.red(`Problem: ${p}`)),
    ]
    if (result.problems.length === 0) lines.push(this.color.green('Nothing needs attention.'))
    this.say(lines.join('\n'))
    if (result.problems.length > 0) process.exitCode = ExitCode.checksFailed
    return result
  }
}
