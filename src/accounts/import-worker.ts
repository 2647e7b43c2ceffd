import {workerSide} from '../csv/worker-stream.js'
import {type SignInReaderOptions, readSignInLines} from './import-lines.js'

// The worker thread of a sign-in import (see import-lines.ts): it needs nothing of the store.
const side = workerSide<SignInReaderOptions>()
side.run(() => readSignInLines(side.data, side))
