import {BaseCommand} from '../../cli/base.js'
import {Args, Flags} from '../../cli/oclif.js'
import type {FulfillResult} from '../../requests/package.js'

export type RequestsFulfillResult = FulfillResult

export default class RequestsFulfill extends BaseCommand<typeof RequestsFulfill> {
  static override summary = 'Write the response package: records, one CSV per record type, the accounting, a letter, a manifest.'
  static override description = 'The folder gets records.json, <recordType>.csv for every record type, disclosures.csv, letter.pdf and manifest.json (sha256 of every file). Files are 0600 and the folder appears whole or not at all. The only SSN written whole is the subject\'s own.'
  static override examples = ['<%= config.bin %> requests fulfill PA-2026-0001 --out ./PA-2026-0001']
  static override args = {requestId: Args.string({required: true, description: 'Request number (PA-YYYY-NNNN).'})}
  static override flags = {out: Flags.string({required: true, summary: 'A new (or empty) folder for the package.'})}

  public async run(): Promise<RequestsFulfillResult> {
    const {fulfillRequest} = await import('../../requests/package.js')
    const {table} = await import('../../cli/render.js')
    const {store, operator} = await this.session('requests.manage')
    const result = await fulfillRequest(store, operator, this.args.requestId, this.flags.out)
    this.say(`Response package for ${result.requestId} written to ${result.out}:`)
    this.say(table(['file', 'bytes', 'sha256'], result.files.map((f) => [f.name, f.bytes, f.sha256])))
    return result
  }
}
