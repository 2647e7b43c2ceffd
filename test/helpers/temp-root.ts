import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import type {TestProject} from 'vitest/node'

declare module 'vitest' {
  export interface ProvidedContext {
    /** The run's folder for temporary files (use-temp-root.ts points the test processes' TMPDIR at it). */
    tempRoot: string
  }
}

/**
 * Vitest global setup: one folder for the run's temporary files. The tests make their stores, key files and CSVs
 * (personal data, if made up) in os.tmpdir(); with the test processes' TMPDIR pointing here (use-temp-root.ts),
 * they all go in this folder, removed when the run ends, instead of being left in /tmp by the thousand. Both
 * projects share it. This process's own TMPDIR is left alone: the PostgreSQL servers' folders stay where their
 * setup puts them (a server running as another user must read them), and their teardowns remove them.
 */
export default function setup(project: TestProject): () => void {
  const root = process.env.CUSTODIAN_TEST_TMP ?? makeRoot()
  process.env.CUSTODIAN_TEST_TMP = root
  project.provide('tempRoot', root)
  return () => {
    fs.rmSync(root, {recursive: true, force: true})
  }
}

function makeRoot(): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'custodian-run-'))
  // Others may pass through (a test runs the CLI as another user on a store it gives that user) but not list it;
  // each test's own folder in it is private (mkdtemp: 0700).
  fs.chmodSync(root, 0o711)
  return root
}
