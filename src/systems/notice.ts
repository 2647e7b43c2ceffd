/**
 * A system of records notice as Markdown, in the layout of a Federal Register SORN: the headings of USPS
 * 550.000 (FR Doc. 2022-01062), in its order. Pure: the service gives it the system's texts from the store
 * and what the store actually does (the record types it keeps, what they are retrieved by, the schedules'
 * periods and triggers).
 */

/** The headings of a system of records notice, in the order USPS 550.000 gives them. */
export const NOTICE_HEADINGS = [
  'SYSTEM NAME AND NUMBER',
  'SECURITY CLASSIFICATION',
  'SYSTEM LOCATION',
  'SYSTEM MANAGER(S)',
  'AUTHORITY FOR MAINTENANCE OF THE SYSTEM',
  'PURPOSE(S) OF THE SYSTEM',
  'CATEGORIES OF INDIVIDUALS COVERED BY THE SYSTEM',
  'CATEGORIES OF RECORDS IN THE SYSTEM',
  'RECORD SOURCE CATEGORIES',
  'ROUTINE USES OF RECORDS MAINTAINED IN THE SYSTEM, INCLUDING CATEGORIES OF USERS AND THE PURPOSES OF SUCH USES',
  'POLICIES AND PRACTICES FOR STORAGE OF RECORDS',
  'POLICIES AND PRACTICES FOR RETRIEVAL OF RECORDS',
  'POLICIES AND PRACTICES FOR RETENTION AND DISPOSAL OF RECORDS',
  'ADMINISTRATIVE, TECHNICAL, AND PHYSICAL SAFEGUARDS',
  'RECORD ACCESS PROCEDURES',
  'CONTESTING RECORD PROCEDURES',
  'NOTIFICATION PROCEDURES',
  'EXEMPTIONS PROMULGATED FOR THE SYSTEM',
  'HISTORY',
] as const

/** One record type the store keeps in the system, with its retention schedule as the store has it. */
export interface NoticeCategory {
  recordType: string
  description: string
  retrievedBy: readonly string[]
  schedule: string
  retainMonths: number
  trigger: string
  /** What happens at the end of the period (`destroy`). */
  action: string
  authority: string
}

export interface NoticeSource {
  id: string
  name: string
  sorn: string
  securityClassification: string
  location: string
  manager: string
  authority: string
  purposes: string
  categoriesOfIndividuals: string
  categoriesOfRecords: string
  recordSources: string
  storage: string
  safeguards: string
  recordAccessProcedures: string
  contestingProcedures: string
  notificationProcedures: string
  exemptions: string
  history: string
  categories: readonly NoticeCategory[]
  routineUses: readonly {code: string; description: string}[]
}

const NONE_KEPT = 'This store keeps no records of this system.'

/** `a, b and c`. */
export function wordList(items: readonly string[]): string {
  return items.length < 2 ? items.join('') : `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`
}

/** Text from the store as Markdown prose: no line may start a heading, a fence or HTML; `*` and `_` are literal. */
function prose(text: string): string {
  return text.trim().replace(/[\\*_`<>[\]]/g, (c) => `\\${c}`).replace(/^#/gm, '\\#')
}

/** An identifier (a record type, a field) as Markdown code. */
const code = (text: string) => `\`${text.replaceAll('`', '')}\``

const months = (n: number) => `${n} ${n === 1 ? 'month' : 'months'}`

/** The retention sentence of one record type, from its schedule as the store has it. */
export function retentionSentence(c: NoticeCategory): string {
  const end = c.action === 'destroy' ? 'then destroyed' : `then ${c.action}`
  return `Records of type ${code(c.recordType)} are retained ${months(c.retainMonths)} (the period runs from: ${prose(c.trigger)}), ${end}. Schedule ${code(c.schedule)}: ${prose(c.authority)}`
}

export function renderNotice(s: NoticeSource): string {
  // Lines already in Markdown, numbered.
  const numbered = (lines: readonly string[]) => (lines.length === 0 ? NONE_KEPT : lines.map((l, i) => `${i + 1}. ${l}`).join('\n'))
  const body: Record<(typeof NOTICE_HEADINGS)[number], string> = {
    'SYSTEM NAME AND NUMBER': `${prose(s.name)}, ${prose(s.id)}. Notice: ${prose(s.sorn)}.`,
    'SECURITY CLASSIFICATION': prose(s.securityClassification),
    'SYSTEM LOCATION': prose(s.location),
    'SYSTEM MANAGER(S)': prose(s.manager),
    'AUTHORITY FOR MAINTENANCE OF THE SYSTEM': prose(s.authority),
    'PURPOSE(S) OF THE SYSTEM': prose(s.purposes),
    'CATEGORIES OF INDIVIDUALS COVERED BY THE SYSTEM': prose(s.categoriesOfIndividuals),
    'CATEGORIES OF RECORDS IN THE SYSTEM': `${prose(s.categoriesOfRecords)}\n\n${s.categories.length === 0 ? NONE_KEPT
      : `The records of the system this store keeps:\n\n${numbered(s.categories.map((c) => `${code(c.recordType)}: ${prose(c.description)}.`))}`}`,
    'RECORD SOURCE CATEGORIES': prose(s.recordSources),
    'ROUTINE USES OF RECORDS MAINTAINED IN THE SYSTEM, INCLUDING CATEGORIES OF USERS AND THE PURPOSES OF SUCH USES':
      s.routineUses.length === 0 ? 'None: records of this system are not disclosed outside the agency under a routine use.'
      : s.routineUses.map((u) => `- ${prose(u.code)}: ${prose(u.description)}`).join('\n'),
    'POLICIES AND PRACTICES FOR STORAGE OF RECORDS': prose(s.storage),
    'POLICIES AND PRACTICES FOR RETRIEVAL OF RECORDS': numbered(s.categories.map((c) => `Records of type ${code(c.recordType)} are retrievable by ${wordList(c.retrievedBy.map(code))}.`)),
    'POLICIES AND PRACTICES FOR RETENTION AND DISPOSAL OF RECORDS': numbered(s.categories.map(retentionSentence)),
    'ADMINISTRATIVE, TECHNICAL, AND PHYSICAL SAFEGUARDS': prose(s.safeguards),
    'RECORD ACCESS PROCEDURES': prose(s.recordAccessProcedures),
    'CONTESTING RECORD PROCEDURES': prose(s.contestingProcedures),
    'NOTIFICATION PROCEDURES': prose(s.notificationProcedures),
    'EXEMPTIONS PROMULGATED FOR THE SYSTEM': prose(s.exemptions),
    'HISTORY': prose(s.history),
  }
  // A list, or more than one paragraph, starts below its heading; a sentence follows it on the same line.
  const sections = NOTICE_HEADINGS.map((h) => (/\n|^(- |\d+\. )/.test(body[h]) ? `**${h}:**\n\n${body[h]}` : `**${h}:** ${body[h]}`))
  return `# Privacy Act of 1974; System of Records\n\n${sections.join('\n\n')}\n`
}
