/**
 * The response letter (letter.pdf) of a response package, made with pdfkit (imported lazily: it costs
 * ~170 ms to load). Content streams are left uncompressed so the letter's text (the request number above
 * all) can be found by any text extractor and by the package tests.
 */
export interface LetterInput {
  agencyCode: string
  requestId: string
  type: string
  requester: string
  received: string
  acknowledgeBy: string
  dueBy: string
  preparedOn: string
  subjectName: string | null
  /** Files enclosed, with what each holds. */
  enclosed: {name: string; description: string}[]
  /** Records found per record type title. */
  counts: {title: string; count: number}[]
  statements: number
}

export function letterParagraphs(l: LetterInput): {heading?: string; text: string}[] {
  const total = l.counts.reduce((n, c) => n + c.count, 0)
  const found = total === 0
    ? 'We searched every record type this system keeps and found no records retrieved by your identifiers.'
    : `We searched every record type this system keeps and found ${total} record(s) about ${l.subjectName ?? 'you'}: ${l.counts.filter((c) => c.count > 0).map((c) => `${c.count} ${c.title}`).join('; ')}.`
  return [
    {text: `Dear ${l.requester},`},
    {text: `This answers your Privacy Act ${l.type} request ${l.requestId}, received on ${l.received} (to be acknowledged by ${l.acknowledgeBy} and answered by ${l.dueBy}). ${found}`},
    {heading: 'What is enclosed', text: l.enclosed.map((f) => `${f.name}: ${f.description}`).join('\n')},
    ...(l.statements > 0 ? [{heading: 'Your statements of disagreement', text: `${l.statements} statement(s) of disagreement you filed stay attached to the disputed records; they are included in records.json and go with every later disclosure of those records (5 U.S.C. 552a(d)(4)).`}] : []),
    {heading: 'Your right to request amendment', text: 'If you believe a record about you is not accurate, relevant, timely or complete, you may ask us in writing to amend it (5 U.S.C. 552a(d)(2)). Name the record and the correction you ask for, and quote this request number. We acknowledge an amendment request within 10 working days and decide it promptly.'},
    {heading: 'Your right to appeal', text: 'If we deny access to a record or refuse an amendment, in whole or in part, you may appeal in writing to the agency\'s Privacy Act appeals official (5 U.S.C. 552a(d)(3)). If the refusal to amend is upheld, you may file a concise statement of disagreement, which we attach to the record and send with every later disclosure of it, and you may seek judicial review (5 U.S.C. 552a(g)).'},
    {heading: 'Accounting of disclosures', text: 'disclosures.csv lists each disclosure of your records outside the agency: date, nature, purpose, and the recipient\'s name and address (5 U.S.C. 552a(c)(3)).'},
    {text: `Privacy Office, agency ${l.agencyCode}. Prepared ${l.preparedOn}. Request ${l.requestId}.`},
  ]
}

/**
 * The letter uses the PDF standard fonts, which cover Latin-1 (WinAnsi): other letters lose their accents
 * ("ś" → "s") and anything still outside it is written "?".
 */
export function printable(s: string): string {
  return s.normalize('NFC').replaceAll(/[^\u0000-\u00FF‘’“”–—…•·]/gu, (c) => c.normalize('NFD').replaceAll(/\p{M}/gu, '').replaceAll(/[^\u0000-\u00FF]/gu, '?'))
}

export async function renderLetter(l: LetterInput): Promise<Buffer> {
  const {default: PDFDocument} = await import('pdfkit')
  const doc = new PDFDocument({
    size: 'LETTER', margin: 72, compress: false,
    info: {Title: `Response to Privacy Act request ${l.requestId}`, Subject: `Privacy Act ${l.type} request ${l.requestId}`, Creator: 'custodian'},
  })
  const chunks: Buffer[] = []
  doc.on('data', (c: Buffer) => chunks.push(c))
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)))
    doc.on('error', reject)
  })
  doc.font('Helvetica-Bold').fontSize(14).text(`Privacy Act request ${l.requestId}`)
  doc.font('Helvetica').fontSize(10).text(`Agency ${l.agencyCode} · ${l.preparedOn}`).moveDown()
  for (const p of letterParagraphs(l)) {
    if (p.heading) doc.font('Helvetica-Bold').fontSize(11).text(p.heading)
    doc.font('Helvetica').fontSize(10).text(printable(p.text)).moveDown(0.6)
  }
  doc.end()
  return done
}
