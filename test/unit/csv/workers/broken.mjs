// A worker for worker-stream.test.ts that fails while it starts, before it is given any work.
throw new Error('cannot start: missing module')
