import {workerSide} from '../csv/worker-stream.js'
import {type PersonnelReaderOptions, readPersonnelRows} from './import-rows.js'

// The worker thread of a SQLite personnel import (import-rows.ts): it needs no store, only the file and the SSN keys.
const side = workerSide<PersonnelReaderOptions>()
side.run(() => readPersonnelRows(side.data, side))
