import {hash} from 'node:crypto'

/**
 * Timecard seals (CLI.md "Sealed records"): when a card version is certified it is sealed by the sha256 of its
 * content — its identity and version, then its lines in (work_date, hour_type, accounting_code) order — and
 * payroll export refuses a card whose content no longer matches its seal (exit 3, SEAL_BROKEN). The digest is
 * computed set-wise in SQL at certify (certify-sqlite.ts, certify-postgres.ts hold the same text as SQL) and
 * here, in the export's pass over the lines; a unit test holds the three to the same value.
 *
 * The sealed text, version 1 (frozen: migrations/0018_timecard_seals.ts seals earlier cards with it):
 *   custodian-timecard-seal-v1 LF id LF employee_ref LF pay_period_start LF version LF
 *   then each line as work_date TAB hour_type TAB accounting_code TAB hours (hundredths), joined by LF.
 */
export const SEAL_TAG = 'custodian-timecard-seal-v1'

export interface SealedCard {
  id: number
  employee_ref: number
  pay_period_start: string
  version: number
}

export interface SealedLine {
  work_date: string
  hour_type: string
  accounting_code: string
  hours: number
}

/** The seal of a card version; `lines` in (work_date, hour_type, accounting_code) order, as the key orders them. */
export function cardSeal(card: SealedCard, lines: Iterable<SealedLine>): string {
  let text = ''
  let first = true
  for (const l of lines) {
    text += `${first ? '' : '\n'}${l.work_date}\t${l.hour_type}\t${l.accounting_code}\t${l.hours}`
    first = false
  }
  return cardSealOfText(card, text)
}

/** cardSeal of the lines' part of the sealed text as it is (each line's fields joined by TAB, lines by LF: as SQL can give it). */
export function cardSealOfText(card: SealedCard, linesText: string): string {
  return hash('sha256', `${SEAL_TAG}\n${card.id}\n${card.employee_ref}\n${card.pay_period_start}\n${card.version}\n${linesText}`, 'hex')
}
