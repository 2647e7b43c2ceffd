import {Args, Flags} from '@oclif/core'

/** Flags shared by every CSV import command (personnel, timesheets). */
export const importFlags = {
  rejects: Flags.string({summary: 'Write rejected rows with their reasons to this CSV.'}),
  strict: Flags.boolean({summary: 'Store nothing if any row is rejected (exit 3).'}),
  'dry-run': Flags.boolean({summary: 'Check every row; store nothing.'}),
  force: Flags.boolean({summary: 'Import even if the same file content was imported before.'}),
  'ignore-unknown': Flags.boolean({summary: 'Skip columns the import does not know instead of refusing the file.'}),
  'as-of': Flags.string({summary: 'Date that counts as today for "not in the future" checks (YYYY-MM-DD). Default: today (UTC).'}),
}

export const importArgs = {file: Args.string({required: true, description: 'CSV file to import.'})}
