// Where commands get @oclif/core (the entry, main.ts, loads only its configuration). Through require,
// not `import`: an ES module importing a CommonJS one makes Node scan its source (and every file it
// re-exports) for export names first, a few milliseconds at every start for nothing. Types still come
// from the package's declarations.
import {createRequire} from 'node:module'

const require = createRequire(import.meta.url)

export const {Command} = require('@oclif/core/command') as typeof import('@oclif/core/command')
export const Errors = require('@oclif/core/errors') as typeof import('@oclif/core/errors')
export const Flags = require('@oclif/core/flags') as typeof import('@oclif/core/flags')
export const Args = require('@oclif/core/args') as typeof import('@oclif/core/args')
export type * as Interfaces from '@oclif/core/interfaces'
