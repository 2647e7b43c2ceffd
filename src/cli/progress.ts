/**
 * A progress bar with rows/s on stderr, only on a TTY and never with --json. Returns the callback the
 * import engine calls, and a stop function.
 */
export async function importProgress(enabled: boolean, totalBytes: number): Promise<{update?: (bytes: number, rows: number) => void; stop: () => void}> {
  if (!enabled || !process.stderr.isTTY || totalBytes === 0) return {stop() {}}
  const {default: cliProgress} = await import('cli-progress')
  const bar = new cliProgress.SingleBar(
    {stream: process.stderr, format: ' {bar} {percentage}% | {rows} rows | {rate} rows/s', hideCursor: true, clearOnComplete: true},
    cliProgress.Presets.shades_classic,
  )
  const started = Date.now()
  bar.start(totalBytes, 0, {rows: 0, rate: 0})
  return {
    update(bytes, rows) {
      const seconds = (Date.now() - started) / 1000
      bar.update(bytes, {rows, rate: seconds > 0 ? Math.round(rows / seconds) : 0})
    },
    stop() {
      bar.stop()
    },
  }
}
