import type { DesktopBridge } from '../../../core/protocol/desktop-bridge.ts';

/**
 * Where archive files are: paths on the coordinator's machine. In Electron, native dialogs
 * choose them (the embedded coordinator shares this disk); in a browser the user types the
 * path on the coordinator's machine.
 */
export interface ArchiveFiles {
  chooseArchive(): Promise<string | null>;
  chooseExportTarget(defaultName: string): Promise<string | null>;
  chooseFolder(title: string): Promise<string | null>;
  chooseBenchmark(): Promise<string | null>;
  /** Whether files come from native dialogs (else the user types paths). */
  native: boolean;
}

const PASSK = [{ name: 'PassK Lab run', extensions: ['passk'] }];
const BENCHMARKS = [{ name: 'Benchmark', extensions: ['jsonl', 'json', 'csv', 'parquet', 'gz'] }];

export function archiveFiles(bridge: DesktopBridge | null, ask: (question: string, initial: string) => string | null): ArchiveFiles {
  if (bridge) {
    return {
      native: true,
      chooseArchive: () => bridge.chooseFile({ title: 'Import a run', filters: PASSK }),
      chooseExportTarget: (defaultName) => bridge.chooseSaveFile({ title: 'Export the run', defaultName, filters: PASSK }),
      chooseFolder: (title) => bridge.chooseFolder(title),
      chooseBenchmark: () => bridge.chooseFile({ title: 'Benchmark file', filters: BENCHMARKS }),
    };
  }
  const typed = (question: string, initial = '') => Promise.resolve(ask(question, initial)?.trim() || null);
  return {
    native: false,
    chooseArchive: () => typed('Path of the .passk file on the coordinator\'s machine:'),
    chooseExportTarget: (defaultName) => typed('Write the .passk file to this path on the coordinator\'s machine:', defaultName),
    chooseFolder: (title) => typed(`${title} (a path on the coordinator's machine):`),
    chooseBenchmark: () => typed('Benchmark file (a path on the coordinator\'s machine):'),
  };
}
