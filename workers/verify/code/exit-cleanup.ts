/**
 * Undo work (kill sandboxes, remove cgroups and temporary directories) when this process ends
 * before its owner could: on 'exit', and on SIGINT, SIGTERM and SIGHUP, which would
 * otherwise end Node without running any JavaScript.
 */
type Undo = () => void;

const pending = new Set<Undo>();
const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
let installed = false;

function runAll(): void {
  for (const undo of [...pending]) {
    pending.delete(undo);
    try {
      undo();
    } catch {
      // the others must still run
    }
  }
}

function onSignal(signal: NodeJS.Signals): void {
  runAll();
  uninstall();
  // This handler is what kept Node alive; with no other listener, end as the signal would have.
  if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
}

function install(): void {
  process.on('exit', runAll);
  for (const s of SIGNALS) process.on(s, onSignal);
  installed = true;
}

function uninstall(): void {
  process.off('exit', runAll);
  for (const s of SIGNALS) process.off(s, onSignal);
  installed = false;
}

/** Runs `undo` if the process exits or is signalled first; the returned function cancels that. */
export function undoOnExit(undo: Undo): () => void {
  pending.add(undo);
  if (!installed) install();
  return () => {
    pending.delete(undo);
    if (pending.size === 0 && installed) uninstall();
  };
}
