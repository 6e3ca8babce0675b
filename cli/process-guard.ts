/**
 * Once a server is up, an exception nothing caught (a bug reached from a request, an error
 * event without a listener) is logged with its stack and the process goes on: the
 * coordinator's state is in SQLite and each request is answered on its own, so one failed
 * request must not stop a lab mid-run. Installed only after the server started, so an error
 * while starting still ends the command with its message. Returns the uninstaller.
 */
export function guardProcess(log: (line: string) => void): () => void {
  const report = (kind: string) => (error: unknown) => {
    log(`${kind} that nothing caught; the coordinator goes on: ${error instanceof Error ? error.stack ?? error.message : String(error)}`);
  };
  const onException = report('an exception');
  const onRejection = report('a promise rejection');
  process.on('uncaughtException', onException);
  process.on('unhandledRejection', onRejection);
  return () => {
    process.off('uncaughtException', onException);
    process.off('unhandledRejection', onRejection);
  };
}
