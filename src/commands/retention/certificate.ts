import {BaseCommand} from '../../cli/base.js'
import {Args, Flags} from '../../cli/oclif.js'
import type {CertificateResult} from '../../retention/service.js'

export type RetentionCertificateResult = CertificateResult

export default class RetentionCertificate extends BaseCommand<typeof RetentionCertificate> {
  static override summary = 'Show a disposal certificate, or write it to a file (0600) with --out.'
  static override description = 'The file holds the certificate exactly as stored, so its sha256 is the one the sweep reported. Certificates hold counts and digests of surrogate ids, never personal data, and are never swept.'
  static override examples = [
    '<%= config.bin %> retention certificate D000000001',
    '<%= config.bin %> retention certificate D000000001 --out disposal-1.json',
  ]
  static override args = {disposalId: Args.string({required: true, description: 'Disposal id, e.g. D000000001.'})}
  static override flags = {out: Flags.string({summary: 'File to write the certificate to.'})}

  public async run(): Promise<RetentionCertificateResult> {
    const {getCertificate} = await import('../../retention/service.js')
    const {table} = await import('../../cli/render.js')
    const {store, operator} = await this.session('retention.certificate')
    const r = await getCertificate(store, operator, this.args.disposalId, this.flags.out)
    const c = r.certificate
    this.say(`Disposal ${c.disposalId} as of ${c.asOf}, by ${c.operator} at ${c.at}`)
    if (c.review) this.say(`Disposition review ${c.review.reviewId} (as of ${c.review.asOf}): submitted by ${c.review.submittedBy} at ${c.review.submittedAt}, approved by ${c.review.approvedBy} at ${c.review.approvedAt}`)
    this.say(table(['schedule', 'record type', 'retain', 'destroyed', 'held', 'blocked', 'ids sha256'], c.schedules.map((s) => [
      s.code, s.recordType, `${s.retainMonths} mo`, s.destroyed, s.held, s.blockedByRequest, s.idsSha256,
    ])))
    this.say(`Certificate sha256 ${r.sha256}${r.file ? `; written to ${r.file}` : ''}.`)
    return r
  }
}
