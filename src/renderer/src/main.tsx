import { createRoot } from 'react-dom/client';
import type { DesktopBridge } from '../../core/protocol/desktop-bridge.ts';
import { Root } from './app.tsx';
import './styles.css';

// The Electron preload puts the bridge here; in a browser there is none.
const bridge = (window as unknown as { passk?: DesktopBridge }).passk ?? null;
createRoot(document.getElementById('root')!).render(<Root bridge={bridge} />);
