import type {ContactDetail} from '../contacts/service.js'
import type {Colors} from './base.js'

/** A contact for people (contacts show, add, the intake form's result): who, how to reach them, what about, interactions. */
export function contactLines(c: ContactDetail, color: Colors): string {
  const dash = (v: string | null) => v ?? '-'
  const lines = [
    `${color.bold(c.contactId)}  ${[c.salutation, c.name].filter(Boolean).join(' ')}${c.title ? `, ${c.title}` : ''}${c.organization ? ` (${c.organization})` : ''}`,
    `  email ${dash(c.email)}   work phone ${dash(c.workPhone)}   cell phone ${dash(c.cellPhone)}`,
    `  work address ${dash(c.workAddress)}`,
    `  issues ${dash(c.issues)}   interests ${dash(c.interests)}`,
    `  notes ${dash(c.notes)}`,
    `  owner ${c.owner}   last contacted ${dash(c.lastContacted)}   ${c.interactions.length} interaction${c.interactions.length === 1 ? '' : 's'}`,
    ...c.interactions.map((i) => `    ${i.date} ${i.mode.padEnd(7)} ${i.recordedBy}${i.note ? `: ${i.note}` : ''}`),
  ]
  return lines.join('\n')
}
