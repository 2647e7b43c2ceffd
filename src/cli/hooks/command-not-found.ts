import type {Hook} from '@oclif/core/hooks'

import {ExitCode, printable} from '../../errors.js'
import {Errors} from '../oclif.js'

/** Levenshtein distance, for "did you mean" (ids are short; the plain table is plenty). */
export function editDistance(a: string, b: string): number {
  let previous = Array.from({length: b.length + 1}, (_, j) => j)
  for (let i = 1; i <= a.length; i++) {
    const current = [i]
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1))
    }
    previous = current
  }
  return previous[b.length]
}

/**
 * What to tell someone who typed a command that does not exist: the command as typed, the nearest real
 * one if it is close, and where to look (the topic's help when the first word is a topic). Ids use ':'.
 */
export function unknownCommandMessage(id: string, commandIds: string[], topics: string[], bin: string): string {
  const spaced = (commandId: string) => commandId.split(':').join(' ')
  const typed = printable(spaced(id))
  // `custodian help operators`: there is no help command; --help is the way.
  if (id === 'help' || id.startsWith('help:')) {
    const rest = id.split(':').slice(1).join(' ')
    return `There is no "help" command. Run: ${bin} ${rest ? `${printable(rest)} ` : ''}--help`
  }
  const nearest = commandIds
    .map((candidate) => ({candidate, distance: editDistance(id, candidate)}))
    .sort((x, y) => x.distance - y.distance || (x.candidate < y.candidate ? -1 : 1))[0]
  // The deepest topic the typed words start with (`retention schedules sett` -> retention schedules).
  const parts = id.split(':')
  const topic = parts.map((_, i) => parts.slice(0, parts.length - i).join(':')).find((prefix) => topics.includes(prefix))
  const where = topic ? `${bin} ${spaced(topic)} --help` : `${bin} --help`
  const suggestion = nearest && nearest.distance <= Math.max(2, Math.floor(id.length / 4)) ? ` Did you mean "${spaced(nearest.candidate)}"?` : ''
  return `"${typed}" is not a ${bin} command.${suggestion} See: ${where}`
}

/** oclif's command_not_found hook: a usage error (exit 2) in custodian's error shape, --json included. */
const hook: Hook<'command_not_found'> = async function (options) {
  const {config} = options
  const message = unknownCommandMessage(
    options.id,
    config.commands.filter((c) => !c.hidden).map((c) => c.id),
    config.topics.map((t) => t.name),
    config.bin,
  )
  if (options.argv?.includes('--json')) {
    process.stdout.write(`${JSON.stringify({error: {code: 'USAGE', message}}, null, 2)}\n`)
  } else {
    process.stderr.write(`Error: ${message}\n`)
  }
  throw new Errors.ExitError(ExitCode.usage)
}

export default hook
