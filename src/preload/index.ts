import { contextBridge } from 'electron';

export interface PasskBridge {
  versions: { electron: string; node: string; chrome: string };
}

contextBridge.exposeInMainWorld('passk', {
  versions: {
    electron: process.versions.electron ?? '',
    node: process.versions.node,
    chrome: process.versions.chrome ?? '',
  },
} satisfies PasskBridge);
