import {type Operator, authorize} from '../auth/roles.js'
import {appendAudit, sha256} from '../audit/chain.js'
import {usage} from '../errors.js'
import {type Store, allSettings, inTransaction, putSetting} from '../store/index.js'

/**
 * The store settings an admin may change, one entry each: what it is for, its default (null: none; the letter
 * then leaves the part out) and its check. The letter's letterhead, signature and appeal paragraph read them.
 */
export const SETTINGS = {
  'agency.name': {summary: 'The agency\'s name, at the head of every letter.', default: null, example: 'Department of Homeland Security'},
  'agency.address': {summary: 'The agency\'s postal address under its name (lines separated by " | ").', default: null, example: '2707 Martin Luther King Jr Ave SE | Washington, DC 20528'},
  'privacy.office': {summary: 'The office that answers Privacy Act requests and signs for the agency.', default: 'Privacy Office', example: 'Privacy Office'},
  'privacy.signer': {summary: 'Who signs response letters: name, then title (separated by " | ").', default: null, example: 'Jordan Ellis | Chief Privacy Officer'},
  'privacy.appeal_address': {summary: 'Where an individual sends an appeal (5 U.S.C. 552a(d)(3)), lines separated by " | ".', default: null, example: 'Privacy Appeals Officer | 245 Murray Lane SW | Washington, DC 20528'},
  'privacy.appeal_days': {summary: 'Calendar days an individual has to appeal, counted from the date of the letter.', default: '90', example: '90'},
  'payroll.recipient': {summary: 'The payroll provider named in the accounting of disclosures of every export.', default: 'National Finance Center (payroll provider)', example: 'National Finance Center (payroll provider)'},
  'payroll.address': {summary: 'The payroll provider\'s address, in the accounting of disclosures.', default: 'USDA National Finance Center, P.O. Box 60000, New Orleans, LA 70160', example: 'USDA National Finance Center, P.O. Box 60000, New Orleans, LA 70160'},
  'retention.two_person': {summary: 'Two-person destruction: "on" means a retention sweep destroys only the records of a disposition review another records officer approved (also: custodian retention policy).', default: 'off', example: 'on'},
} as const satisfies Record<string, {summary: string; default: string | null; example: string}>

export type SettingKey = keyof typeof SETTINGS

const MAX_VALUE = 500

export interface SettingView {
  key: SettingKey
  value: string | null
  default: string | null
  summary: string
}

/** Values of the settings, defaults filled in (for letters and payroll). */
export async function readSettings(store: Store): Promise<Record<SettingKey, string | null>> {
  const rows = await allSettings(store)
  return Object.fromEntries((Object.keys(SETTINGS) as SettingKey[]).map((key) => [key, rows.get(key) ?? SETTINGS[key].default])) as Record<SettingKey, string | null>
}

const view = (key: SettingKey, value: string | null): SettingView => ({key, value, default: SETTINGS[key].default, summary: SETTINGS[key].summary})

/** Every setting an admin may change, with its value (or default). */
export async function listSettings(store: Store, operator: Operator): Promise<SettingView[]> {
  authorize(operator, 'settings.manage')
  return Object.entries(await readSettings(store)).map(([key, value]) => view(key as SettingKey, value))
}

/** Changes one setting (admin), audited by key only. */
export async function setSetting(store: Store, operator: Operator, key: string, value: string): Promise<SettingView & {previous: string | null}> {
  authorize(operator, 'settings.manage')
  if (!(key in SETTINGS)) throw usage(`"${key}" is not a setting. Settings: ${Object.keys(SETTINGS).join(', ')}.`)
  const k = key as SettingKey
  const v = value.trim()
  if ([...v].length > MAX_VALUE) throw usage(`The value is ${[...v].length} characters; a setting holds at most ${MAX_VALUE}.`)
  if (k === 'privacy.appeal_days' && !(/^\d{1,3}$/.test(v) && Number(v) >= 1 && Number(v) <= 365)) throw usage('privacy.appeal_days is a number of days from 1 to 365.')
  if (k === TWO_PERSON && !ON_OFF.includes(v)) throw usage(`${TWO_PERSON} is on or off.`)
  const previous = (await readSettings(store))[k]
  await inTransaction(store, async () => {
    await putSetting(store, k, v)
    await appendAudit(store, operator.name, {action: 'settings.set', recordType: 'setting', recordId: k, digest: k === TWO_PERSON ? sha256(`${previous}->${v}`) : null})
  })
  return {...view(k, v), previous}
}

// ---------------------------------------------------------------------------------------------------------
// The retention policy: two-person destruction (disposition review before a sweep), a setting like the others.

const TWO_PERSON = 'retention.two_person' satisfies SettingKey
const ON_OFF: readonly string[] = ['on', 'off']

/** Whether a sweep must carry an approved disposition review (the store's two-person policy is on). */
export async function twoPersonRequired(store: Store): Promise<boolean> {
  return (await readSettings(store))[TWO_PERSON] === 'on'
}

export interface RetentionPolicy {
  /** A sweep destroys only an approved disposition review's records. */
  twoPerson: boolean
  /** When the policy was changed by this command: what it was before. */
  previous?: {twoPerson: boolean}
}

/** The store's retention policy (records officers, auditors and admins may read it; reading is audited). */
export async function retentionPolicy(store: Store, operator: Operator): Promise<RetentionPolicy> {
  authorize(operator, 'retention.policy')
  const twoPerson = await twoPersonRequired(store)
  await inTransaction(store, () => appendAudit(store, operator.name, {action: 'retention.policy', recordType: 'setting', recordId: TWO_PERSON}))
  return {twoPerson}
}

/** Turns two-person destruction on or off (admin), audited with the change. */
export async function setTwoPersonPolicy(store: Store, operator: Operator, value: string): Promise<RetentionPolicy> {
  authorize(operator, 'retention.policy.set')
  const v = value.trim().toLowerCase()
  if (!ON_OFF.includes(v)) throw usage(`--two-person is on or off, not "${value}".`)
  return inTransaction(store, async () => {
    const before = await twoPersonRequired(store)
    await putSetting(store, TWO_PERSON, v)
    await appendAudit(store, operator.name, {action: 'retention.policy.set', recordType: 'setting', recordId: TWO_PERSON, digest: sha256(`${before ? 'on' : 'off'}->${v}`)})
    return {twoPerson: v === 'on', previous: {twoPerson: before}}
  })
}

/** An address or signature setting as lines. */
export function settingLines(value: string | null): string[] {
  return (value ?? '').split(/\s*\|\s*|\n/).map((l) => l.trim()).filter((l) => l !== '')
}
