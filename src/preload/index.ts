// Runs sandboxed, with context isolation: the page gets this small typed API and nothing
// of Node or Electron. Every call goes to a main-process handler that parses its payload
// and checks that it came from the app's own page.
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { BRIDGE_CHANNELS, type DesktopBridge, type DesktopCommand } from '../core/protocol/desktop-bridge.ts';

contextBridge.exposeInMainWorld('passk', {
  connection: () => ipcRenderer.invoke(BRIDGE_CHANNELS.connection),
  chooseFolder: (title) => ipcRenderer.invoke(BRIDGE_CHANNELS.chooseFolder, title),
  chooseFile: (options) => ipcRenderer.invoke(BRIDGE_CHANNELS.chooseFile, options),
  chooseSaveFile: (options) => ipcRenderer.invoke(BRIDGE_CHANNELS.chooseSaveFile, options),
  useCoordinator: (choice) => ipcRenderer.invoke(BRIDGE_CHANNELS.useCoordinator, choice),
  setCurrentRun: (run) => void ipcRenderer.invoke(BRIDGE_CHANNELS.currentRun, run),
  onCommand: (listener) => {
    // The page never sees the IPC event object (it would reach ipcRenderer through it).
    const handler = (_event: IpcRendererEvent, command: DesktopCommand) => listener(command);
    ipcRenderer.on(BRIDGE_CHANNELS.command, handler);
    return () => void ipcRenderer.removeListener(BRIDGE_CHANNELS.command, handler);
  },
} satisfies DesktopBridge);
