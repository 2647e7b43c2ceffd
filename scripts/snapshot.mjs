// Prints (or with --write, writes) command-snapshot.json: every command with its flags and args, from the
// oclif manifest. test/contract.test.ts compares it with the committed file so the contract cannot drift
// silently: change the snapshot on purpose, in the same commit as the command.
import fs from 'node:fs'
import path from 'node:path'
import {fileURLToPath} from 'node:url'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')

export function commandSnapshot() {
  const manifest = JSON.parse(fs.readFileSync(path.join(root, 'oclif.manifest.json'), 'utf8'))
  return Object.values(manifest.commands)
    .map((c) => ({
      command: c.id.replaceAll(':', ' '),
      args: Object.keys(c.args ?? {}),
      flags: Object.keys(c.flags ?? {}).sort(),
    }))
    .sort((a, b) => a.command.localeCompare(b.command))
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const text = JSON.stringify(commandSnapshot(), null, 2) + '\n'
  if (process.argv.includes('--write')) fs.writeFileSync(path.join(root, 'command-snapshot.json'), text)
  else process.stdout.write(text)
}
