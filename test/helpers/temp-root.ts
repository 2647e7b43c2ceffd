import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'

/**
 * Vitest global setup: one private folder for the run's temporary files. The tests make their stores, key files
 * and CSVs (personal data, if made up) in os.tmpdir(); with TMPDIR pointing here for the test processes, which
 * inherit it, they all go in this folder, removed when the run ends, not left behind by the thousand in /tmp.
 * Both projects share it (the first setup makes it, and its teardown removes it).
 */
export default function setup(): () => void {
  if (process.env.CUSTODIAN_TEST_TMP) return () => {}
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'custodian-run-'))
  fs.chmodSync(root, 0o700)
  process.env.CUSTODIAN_TEST_TMP = root
  process.env.TMPDIR = root
  return () => {
    fs.rmSync(root, {recursive: true, force: true})
  }
}
