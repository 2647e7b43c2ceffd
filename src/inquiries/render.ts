import type {InquiryDetail} from './service.js'

/** `inquiries show` for people: the case line, the form's fields that were given, then each update. */
export function renderInquiry(i: InquiryDetail, bold: (s: string) => string = (s) => s): string {
  const field = (label: string, value: string | null) => (value === null ? [] : [`  ${label.padEnd(14)}${value}`])
  const workplace = [i.company, i.street, i.city, i.county, i.state, i.workplaceZip].filter((v) => v !== null).join(', ')
  return [
    `${bold(i.caseNumber)}  ${i.status}  received ${i.received}  routed to ${i.routedTo}${i.repeatOf ? `  repeats ${i.repeatOf}` : ''}`,
    ...field('name', `${i.firstName} ${i.lastName}`),
    ...field('home ZIP', i.homeZip),
    ...field('contact by', i.contactMethod),
    ...field('phone', i.phone),
    ...field('email', i.email),
    ...field('workplace', workplace === '' ? null : workplace),
    ...field('category', i.category),
    ...field('description', i.description.replaceAll(/\s*\n\s*/g, ' / ')),
    ...field('closed on', i.closedOn),
    '  updates',
    ...i.updates.map((u) => `    ${u.at}  ${u.actor}  ${u.status}${u.note ? `: ${u.note.replaceAll(/\s*\n\s*/g, ' / ')}` : ''}`),
  ].join('\n')
}
