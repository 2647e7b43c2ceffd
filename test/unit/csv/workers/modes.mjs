// A worker for worker-stream.test.ts: data.mode says how it behaves. It uses the built dist/ code.
import {CustodianError} from '../../../../dist/src/errors.js'
import {workerSide} from '../../../../dist/src/csv/worker-stream.js'

const side = workerSide()
const {mode, count, progress} = side.data
const sent = progress ? new Int32Array(progress) : undefined
if (mode === 'uncaught') {
  // Sends, then fails outside run(): an uncaught exception, never a 'done'.
  side.send({i: 0})
  setTimeout(() => {
    throw new RangeError('late failure')
  }, 10)
} else side.run(() => {
  for (let i = 0; i < count; i++) {
    if (mode === 'custodian' && i === 3) throw new CustodianError('CSV-MALFORMED', 'The CSV is malformed at line 5.', 3, {line: 5})
    if (mode === 'crash' && i === 3) throw new TypeError('cannot read properties of undefined')
    if (mode === 'exit' && i === 3) process.exit(7)
    side.send({i, text: `message ${i}`})
    if (sent) Atomics.add(sent, 0, 1)
  }
})
