import {BaseCommand} from '../../cli/base.js'
import {Args} from '../../cli/oclif.js'
import type {SearchResult} from '../../requests/search.js'

export type RequestsSearchResult = SearchResult

export default class RequestsSearch extends BaseCommand<typeof RequestsSearch> {
  static override summary = 'Find every record about the request\'s subject, across every record type, in your scope.'
  static override description = 'Every system of records is searched (JSON systems) by every identifier the request holds: employee_id, email, phone, user id, case number. The employee is the request\'s; otherwise the one the request\'s SSN, email (case-insensitive), an account found by its user id or email, or (when no identifier found anything) the requester\'s name (case- and accent-insensitive) identifies, in that order; the request is linked to them. A subject who is no employee (an account, a member of the public) is found by the identifiers alone. SSNs are shown masked.'
  static override examples = ['<%= config.bin %> requests search PA-2026-0001', '<%= config.bin %> requests search PA-2026-0001 --json']
  static override args = {requestId: Args.string({required: true, description: 'Request number (PA-YYYY-NNNN).'})}

  public async run(): Promise<RequestsSearchResult> {
    const {searchRequest} = await import('../../requests/search.js')
    const {registryEntry} = await import('../../records/registry.js')
    const {table} = await import('../../cli/render.js')
    const {store, operator} = await this.session('requests.manage')
    const result = await searchRequest(store, operator, this.args.requestId)
    const s = result.subject
    const who = s?.employeeId ? `${this.color.bold(s.employeeId)} ${s.name ?? '(profile destroyed)'}` : `${s?.name ?? '(no name)'}, no employee`
    this.say(s ? `${result.requestId}: subject ${who} (matched by ${s.matchedBy})` : `${result.requestId}: no record in your scope matches this request.`)
    this.say(`Systems searched: ${result.systems.join(', ')}.`)
    this.say(table(['record type', 'records'], Object.entries(result.records).map(([type, rows]) => [registryEntry(type as never).title, rows.length])))
    this.say(`${result.disclosures.length} disclosure(s) in the accounting.`)
    return result
  }
}
