import type {Colors} from './base.js'

import type {ImportResult} from '../imports/engine.js'

/** The human summary of an import (the JSON is the ImportResult itself). */
export function importReport(r: ImportResult, noun: string, c: Colors): string {
  const lines: string[] = []
  const verb = r.dryRun ? 'Checked (dry run, nothing stored)' : `Imported batch ${r.batchId}`
  lines.push(`${verb}: ${r.rowsRead} rows read, ${c.green(`${r.inserted} ${noun} inserted`)}, ${r.updated} updated, ${r.rejected > 0 ? c.red(`${r.rejected} rejected`) : '0 rejected'}.`)
  for (const e of r.errors) lines.push(`  row ${e.row}  ${c.red(e.code)}  ${e.column}: ${e.message}`)
  if (r.rejected > 0 && r.errors.length < r.rejected) lines.push(`  (first ${r.errors.length} problems listed)`)
  for (const w of r.warnings) lines.push(`  row ${w.row}  ${c.yellow(w.code)}  ${w.column}: ${w.message}`)
  if (r.rejectsFile && r.rejected > 0) lines.push(`Rejected rows with reasons: ${r.rejectsFile}`)
  return lines.join('\n')
}
