import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'

import {type Store, createOrMigrateStore} from '../../src/store/index.js'
import {ensureKeyFile} from '../../src/store/keyfile.js'

/**
 * A new SQLite store in a temporary folder, for unit tests that drive the domain without the CLI, with its own
 * key file beside it (SSNs are sealed with it, store/ssn-vault.ts), as the CLI gives the store its key file.
 */
export async function tempKeyedStore(prefix: string): Promise<{store: Store; dir: string}> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix))
  const {store} = await createOrMigrateStore(path.join(dir, 's.db'))
  store.keyFile = path.join(dir, 'custodian.key')
  ensureKeyFile(store.keyFile)
  return {store, dir}
}
