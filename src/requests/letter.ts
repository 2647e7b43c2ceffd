import {createRequire} from 'node:module'
import path from 'node:path'

/**
 * The response letter (letter.pdf) of a response package, written as an agency writes to a member of the
 * public: letterhead, date, the requester's address, what was asked and what we decided, what is enclosed, the
 * individual's rights with the appeal address and deadline, a signature. Each request type gets its own letter.
 * Made with pdfkit (imported lazily: it costs ~170 ms to load) in DejaVu Sans, a Unicode font shipped as a file
 * in the dejavu-fonts-ttf package, so every name a person can type prints. Content streams are uncompressed so
 * the text can be read back (through the font's ToUnicode map) by any extractor and by the tests.
 */

export interface AmendmentDecision {
  recordNoun: string
  field: string
  requested: string
  status: 'pending' | 'granted' | 'denied'
  reason: string | null
  decidedOn: string | null
}

export interface LetterInput {
  /** The agency's letterhead; null parts are left out. */
  agency: {name: string | null; code: string; addressLines: string[]; office: string}
  signer: string[]
  appeal: {addressLines: string[]; days: number}
  requestId: string
  type: 'access' | 'amendment' | 'accounting'
  requester: string
  requesterAddress: string[]
  received: string
  preparedOn: string
  subjectName: string | null
  /** Files enclosed, with what each holds, in plain words. */
  enclosed: {name: string; description: string}[]
  /** Records found, in plain words per type (zero counts are left out). */
  counts: {noun: readonly [string, string]; count: number}[]
  /** Every system of records searched, with the records found in it and how to contest one (its notice's procedures). */
  systems: {id: string; name: string; contesting: string | null; counts: {noun: readonly [string, string]; count: number}[]}[]
  statements: number
  amendments: AmendmentDecision[]
  disclosures: {date: string; recipient: string; purpose: string}[]
}

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December']

/** 2026-11-20 → November 20, 2026. */
export function longDate(civil: string): string {
  const [y, m, d] = civil.split('-').map(Number)
  return `${MONTHS[m! - 1]} ${d}, ${y}`
}

const count = (n: number, [one, many]: readonly [string, string]) => `${n === 1 ? 'one' : n} ${n === 1 ? one : many}`

const FIELD_WORDS: Record<string, string> = {ssn: 'Social Security number', email: 'email address', service_comp_date: 'service computation date'}
/** A field in words; a timecard line (`line:<workDate>:<hourType>:<accountingCode>`) as the hours of that type on that day. */
function fieldWords(field: string): string {
  const line = /^line:(\d{4}-\d{2}-\d{2}):([^:]+)/.exec(field)
  if (line) return `${line[2]} hours on ${longDate(line[1])}`
  return FIELD_WORDS[field] ?? field.replaceAll('_', ' ')
}

function decisionText(a: AmendmentDecision, i: number): string {
  const asked = a.field === 'ssn' ? `You asked us to correct the Social Security number in your ${a.recordNoun}.` : `You asked that the ${fieldWords(a.field)} in your ${a.recordNoun} read "${a.requested}".`
  const decided = a.status === 'granted'
    ? `We agreed and corrected the record${a.decidedOn ? ` on ${longDate(a.decidedOn)}` : ''}.`
    : a.status === 'denied'
      ? `We did not make this correction, because ${a.reason?.replace(/\.$/, '') ?? 'we found the record accurate'}.`
      : 'We have not decided this yet; we will write to you when we have.'
  return `${i + 1}. ${asked} ${decided}`
}

type Paragraph = {heading?: string; text: string}

/**
 * The systems of records searched, by name, and for each system holding records about the individual what
 * was found there and how to contest a record in it.
 */
function systemParagraphs(l: LetterInput): Paragraph[] {
  const found = (s: LetterInput['systems'][number]) => s.counts.reduce((n, c) => n + c.count, 0)
  const out: Paragraph[] = [{heading: 'Systems of records we searched', text: l.systems.map((s) => `${s.name} (${s.id}): ${found(s) === 0 ? 'no records about you' : 'records about you, enclosed'}.`).join('\n')}]
  for (const s of l.systems.filter((x) => found(x) > 0)) {
    const what = s.counts.filter((c) => c.count > 0).map((c) => count(c.count, c.noun)).join(', ')
    out.push({heading: `${s.name} (${s.id})`, text: `We found ${what}. How to contest a record in this system: ${s.contesting ?? 'write to us, quoting this request number.'}`})
  }
  return out
}

function appealText(l: LetterInput, about: string): string {
  const where = l.appeal.addressLines.length > 0 ? l.appeal.addressLines.join(', ') : `the ${l.agency.office}${l.agency.name ? `, ${l.agency.name}` : ''}`
  return `If you disagree with ${about}, you may appeal. Write to ${where} within ${l.appeal.days} days of the date of this letter, `
    + `mark your letter "Privacy Act Appeal", and quote ${l.requestId} (5 U.S.C. 552a(d)(3)).`
}

/** The letter's body, paragraph by paragraph, in the words of its request type. */
export function letterParagraphs(l: LetterInput): Paragraph[] {
  const total = l.counts.reduce((n, c) => n + c.count, 0)
  const received = longDate(l.received)
  const out: Paragraph[] = [{text: `Dear ${l.requester}:`}]
  if (l.type === 'accounting') {
    out.push({text: `On ${received} you asked us which disclosures of your records we have made outside the agency (5 U.S.C. 552a(c)(3)). `
      + (l.disclosures.length === 0 ? 'We have made none.' : `We have made ${l.disclosures.length === 1 ? 'one' : l.disclosures.length}:`)})
    if (l.disclosures.length > 0) out.push({text: l.disclosures.map((d) => `${longDate(d.date)}: to ${d.recipient}, for ${d.purpose}.`).join('\n')})
    out.push({text: 'The enclosed file disclosures.csv lists the same disclosures with each recipient\'s address.'})
    out.push({heading: 'Your rights', text: `You may also ask to see the records we keep about you, and to have them corrected (5 U.S.C. 552a(d)(1)-(2)). ${appealText(l, 'how we answered this request')}`})
    return out
  }
  if (l.type === 'amendment') {
    out.push({text: `On ${received} you asked us to correct records we keep about you. Here is our decision on each correction you asked for:`})
    out.push({text: l.amendments.length === 0 ? 'You have not yet told us which record and what correction you ask for; please write to us with them.' : l.amendments.map(decisionText).join('\n')})
    const denied = l.amendments.some((a) => a.status === 'denied')
    if (denied) {
      out.push({heading: 'If you disagree', text: `${appealText(l, 'a correction we did not make')} If we uphold our decision, you may file a short statement of disagreement: we keep it with the record and send it with every later disclosure of it (5 U.S.C. 552a(d)(3)-(4)). You may also ask a federal court to review the decision (5 U.S.C. 552a(g)).`})
    }
    if (l.statements > 0) out.push({heading: 'Your statements of disagreement', text: `The ${l.statements === 1 ? 'statement' : `${l.statements} statements`} of disagreement you filed ${l.statements === 1 ? 'stays' : 'stay'} with the records and ${l.statements === 1 ? 'goes' : 'go'} with every later disclosure of them.`})
    out.push({heading: 'What is enclosed', text: `A copy of the records we keep about you, as they stand now:\n${l.enclosed.map((f) => `${f.name}: ${f.description}`).join('\n')}`})
    out.push(...systemParagraphs(l))
    return out
  }
  const found = total === 0
    ? 'We searched every system of records this office keeps and found no records about you.'
    : `We searched every system of records this office keeps (${l.systems.length}, named below) and found ${l.counts.filter((c) => c.count > 0).map((c) => count(c.count, c.noun)).join(', ')}${l.subjectName ? ` about ${l.subjectName}` : ''}. All of them are enclosed, in full.`
  out.push({text: `On ${received} you asked to see the records we keep about you (5 U.S.C. 552a(d)(1)). ${found}`})
  out.push({heading: 'What is enclosed', text: l.enclosed.map((f) => `${f.name}: ${f.description}`).join('\n')})
  out.push(...systemParagraphs(l))
  if (l.statements > 0) out.push({heading: 'Your statements of disagreement', text: `The ${l.statements === 1 ? 'statement of disagreement you filed is' : `${l.statements} statements of disagreement you filed are`} in records.json, with the records they concern, and ${l.statements === 1 ? 'goes' : 'go'} with every later disclosure of them.`})
  out.push({heading: 'If a record is wrong', text: 'If you believe a record about you is not accurate, relevant, timely or complete, you may ask us in writing to correct it (5 U.S.C. 552a(d)(2)). Tell us which record, what it should say, and quote this request number.'})
  out.push({heading: 'Your right to appeal', text: appealText(l, 'how we answered this request')})
  return out
}

/** The PDF: letterhead, date, address block, subject line, body, signature. */
export async function renderLetter(l: LetterInput): Promise<Buffer> {
  const {default: PDFDocument} = await import('pdfkit')
  const fonts = path.join(path.dirname(createRequire(import.meta.url).resolve('dejavu-fonts-ttf/package.json')), 'ttf')
  const doc = new PDFDocument({
    size: 'LETTER', margin: 72, compress: false,
    info: {Title: `Response to Privacy Act request ${l.requestId}`, Subject: `Privacy Act ${l.type} request ${l.requestId}`, Creator: 'custodian'},
  })
  doc.registerFont('body', path.join(fonts, 'DejaVuSans.ttf'))
  doc.registerFont('bold', path.join(fonts, 'DejaVuSans-Bold.ttf'))
  const chunks: Buffer[] = []
  doc.on('data', (c: Buffer) => chunks.push(c))
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)))
    doc.on('error', reject)
  })
  doc.font('bold').fontSize(13).text(l.agency.name ?? `Agency ${l.agency.code}`)
  doc.font('body').fontSize(9).text([l.agency.office, ...l.agency.addressLines].join('\n')).moveDown(1.5)
  doc.fontSize(10).text(longDate(l.preparedOn)).moveDown()
  doc.text([l.requester, ...l.requesterAddress].join('\n')).moveDown()
  doc.font('bold').text(`Re: Your Privacy Act ${l.type} request ${l.requestId}`).moveDown()
  for (const p of letterParagraphs(l)) {
    if (p.heading) doc.font('bold').fontSize(10.5).text(p.heading)
    doc.font('body').fontSize(10).text(p.text).moveDown(0.6)
  }
  doc.moveDown().text('Sincerely,').moveDown(1.5)
  doc.text([...(l.signer.length > 0 ? l.signer : []), l.agency.office].join('\n'))
  doc.end()
  return done
}
