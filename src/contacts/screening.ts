/**
 * CT-NOTES (RULES.md "Stakeholder contacts"): notes and interests must not record the race, ethnicity or
 * national origin, religion, sexual orientation, health or political affiliation of the person (the DHS CRM
 * PIA: "The notes field will not be used to document attributes such as race, ethnicity, or religion").
 *
 * The screening is this table, maintained as data: terms and phrases by category, and ordinary phrases that
 * contain a term without recording anything about the person (an organization's name, a program's name).
 * Text and terms are compared folded: accents removed, lower case, every run of characters other than
 * letters and digits one space, so a term matches whole words only ("gay" is not in "Gaye", "hiv" is in
 * "HIV+") and "African-American" is "african american". Findings name the category, never the words.
 */

export type Category = 'race' | 'ethnicity or national origin' | 'religion' | 'sexual orientation' | 'health' | 'political affiliation'

export const SCREENED_TERMS: Readonly<Record<Category, readonly string[]>> = {
  race: [
    'african american', 'black american', 'caucasian', 'biracial', 'multiracial', 'mixed race', 'person of color', 'people of color',
    'woman of color', 'man of color', 'his race', 'her race', 'their race', 'racial background', 'racially', 'race is',
  ],
  'ethnicity or national origin': [
    'ethnicity', 'ethnic background', 'ethnically', 'national origin', 'hispanic', 'latino', 'latina', 'latinx', 'asian american',
    'arab american', 'mexican american', 'chinese american', 'korean american', 'native american', 'american indian', 'alaska native',
    'pacific islander', 'immigrant from', 'immigrated from', 'born abroad', 'foreign born', 'undocumented',
  ],
  religion: [
    'religion', 'religious beliefs', 'religious', 'catholic', 'catolico', 'catolica', 'protestant', 'christian', 'evangelical', 'evangelico',
    'baptist', 'methodist', 'lutheran', 'mormon', 'muslim', 'musulman', 'moslem', 'islamic', 'jewish', 'jew', 'judio', 'judia', 'hindu',
    'buddhist', 'sikh', 'atheist', 'agnostic', 'goes to church', 'attends church', 'attends mass', 'goes to mass', 'synagogue', 'mosque',
  ],
  'sexual orientation': [
    'sexual orientation', 'gay', 'lesbian', 'bisexual', 'homosexual', 'heterosexual', 'queer', 'transgender', 'same sex partner',
  ],
  health: [
    'diabetes', 'diabetic', 'cancer', 'hiv', 'aids', 'pregnant', 'pregnancy', 'disability', 'disabled', 'depression', 'anxiety disorder',
    'mental illness', 'medical condition', 'health condition', 'diagnosed', 'diagnosis', 'chemotherapy', 'wheelchair', 'alzheimer',
    'alzheimers', 'dementia', 'autism', 'autistic', 'ptsd', 'bipolar', 'schizophrenia', 'illness', 'surgery', 'rehab',
  ],
  'political affiliation': [
    'democrat', 'democratic party', 'republican', 'republican party', 'gop', 'libertarian', 'green party', 'socialist', 'communist',
    'tea party', 'maga', 'political affiliation', 'party member', 'votes democrat', 'votes republican', 'registered democrat',
    'registered republican',
  ],
}

/**
 * Ordinary phrases that hold a term without recording anything about the person: names of organizations
 * and programs, and common expressions. They are taken out of the text before the terms are looked for.
 */
export const ORDINARY_PHRASES: readonly string[] = [
  // race
  'race to the top', 'arms race', 'rat race', 'space race', 'race for the cure', 'horse race', 'presidential race', 'senate race',
  'race track', 'racetrack',
  // religion: organizations named for one
  'catholic university', 'catholic university of america', 'catholic charities', 'catholic relief services', 'catholic health',
  'christian association', 'young men s christian association', 'christian science monitor', 'baptist health', 'baptist hospital',
  'methodist hospital', 'methodist university', 'lutheran social services', 'lutheran immigration and refugee service', 'jewish federation',
  'jewish community center', 'islamic relief', 'brigham young university', 'religious freedom act', 'religious liberty caucus',
  // health: fields and programs, not the person's condition
  'cancer research', 'cancer institute', 'national cancer institute', 'american cancer society', 'cancer center', 'disability rights',
  'disability policy', 'disability advocacy', 'disability services', 'americans with disabilities act', 'hearing aids', 'visual aids',
  'teaching aids', 'aids relief', 'surgery center', 'diabetes association', 'alzheimers association', 'alzheimer s association',
  // political: institutions and places
  'republican national committee', 'democratic national committee', 'democratic republic', 'republican governors association',
  'democratic governors association', 'socialist republic',
]

/** Lower case, accents removed, every run of characters other than letters and digits one space, padded with spaces. */
export function fold(text: string): string {
  const plain = text.normalize('NFKD').replaceAll(/\p{M}+/gu, '').toLowerCase()
  return ` ${plain.replaceAll(/[^\p{L}\p{N}]+/gu, ' ').trim()} `
}

const ORDINARY = [...ORDINARY_PHRASES].map(fold).sort((a, b) => b.length - a.length)
const TERMS: readonly [Category, string][] = Object.entries(SCREENED_TERMS).flatMap(([category, terms]) => terms.map((t) => [category as Category, fold(t)] as [Category, string]))

/** The categories the text records, in table order (none: []). Never the words. */
export function screen(text: string): Category[] {
  let folded = fold(text)
  if (folded.trim() === '') return []
  // Longest first, so "catholic university of america" goes whole; each leaves a word boundary behind.
  for (const phrase of ORDINARY) folded = folded.replaceAll(phrase, ' | ')
  const found = new Set<Category>()
  for (const [category, term] of TERMS) if (folded.includes(term)) found.add(category)
  return (Object.keys(SCREENED_TERMS) as Category[]).filter((c) => found.has(c))
}
