import type { MenuItemConstructorOptions } from 'electron';

export interface MenuActions {
  newExperiment(): void;
  showRuns(): void;
  openRun(runId: string): void;
  importArchive(): void;
  exportRun(): void;
  showWorkers(): void;
  showConnection(): void;
}

export interface MenuState {
  recentRuns: readonly { id: string; name: string }[];
  /** The run on screen: Export works on it. */
  currentRun: { id: string; name: string } | null;
  platform: NodeJS.Platform;
  /** Developer tools only in development builds. */
  dev: boolean;
}

/** The native menu as data (Menu.buildFromTemplate takes it), so it is tested without Electron. */
export function appMenuTemplate(actions: MenuActions, state: MenuState): MenuItemConstructorOptions[] {
  const mac = state.platform === 'darwin';
  const file: MenuItemConstructorOptions = {
    label: 'File',
    submenu: [
      { label: 'New Experiment', accelerator: 'CmdOrCtrl+N', click: () => actions.newExperiment() },
      { label: 'Open Run…', accelerator: 'CmdOrCtrl+O', click: () => actions.showRuns() },
      {
        label: 'Recent Runs',
        enabled: state.recentRuns.length > 0,
        submenu: state.recentRuns.length > 0 ? state.recentRuns.map((r) => ({ label: r.name, click: () => actions.openRun(r.id) })) : [{ label: 'None yet', enabled: false }],
      },
      { type: 'separator' },
      { label: 'Import Archive…', accelerator: 'CmdOrCtrl+I', click: () => actions.importArchive() },
      { label: state.currentRun ? `Export “${state.currentRun.name}”…` : 'Export Run…', accelerator: 'CmdOrCtrl+E', enabled: state.currentRun !== null, click: () => actions.exportRun() },
      { type: 'separator' },
      { label: 'Workers', accelerator: 'CmdOrCtrl+Shift+W', click: () => actions.showWorkers() },
      { label: 'Coordinator…', click: () => actions.showConnection() },
      ...(mac ? [] : [{ type: 'separator' as const }, { role: 'quit' as const }]),
    ],
  };
  return [
    ...(mac ? [{ role: 'appMenu' as const }] : []),
    file,
    { role: 'editMenu' },
    {
      label: 'View',
      submenu: [
        ...(state.dev ? [{ role: 'reload' as const }, { role: 'toggleDevTools' as const }, { type: 'separator' as const }] : []),
        { role: 'resetZoom' }, { role: 'zoomIn' }, { role: 'zoomOut' }, { type: 'separator' }, { role: 'togglefullscreen' },
      ],
    },
    { role: 'windowMenu' },
  ];
}
