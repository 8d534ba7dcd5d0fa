/**
 * A rejected promise nobody awaited (e.g. a Redis command during an outage) is logged
 * rather than allowed to kill a long-running process; real bugs still show in the logs.
 */
export function installProcessGuards(app: string): void {
  process.on('unhandledRejection', (reason) => {
    const err = reason instanceof Error ? { message: reason.message, name: reason.name } : { message: String(reason) };
    process.stderr.write(`${JSON.stringify({ level: 50, time: Date.now(), pid: process.pid, app, err, msg: 'unhandled rejection' })}\n`);
  });
}
