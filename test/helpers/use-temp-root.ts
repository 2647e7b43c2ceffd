import {inject} from 'vitest'

// Each test file's process makes its temporary files in the run's folder (temp-root.ts), removed when the run ends.
process.env.TMPDIR = inject('tempRoot')
