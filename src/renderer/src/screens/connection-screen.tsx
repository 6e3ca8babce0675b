import { useState } from 'react';
import type { Connection, DesktopBridge } from '../../../core/protocol/desktop-bridge.ts';
import { Card } from '../ui/widgets.tsx';

/** Desktop only: this app's own coordinator (with a local worker), or a lab's by URL and UI token. */
export function ConnectionScreen({ bridge, connection, onChanged }: { bridge: DesktopBridge; connection: Connection | null; onChanged: (c: Connection) => void }) {
  const [mode, setMode] = useState<'embedded' | 'remote'>(connection?.mode ?? 'embedded');
  const [url, setUrl] = useState(connection?.mode === 'remote' ? connection.url : '');
  const [token, setToken] = useState('');
  const [error, setError] = useState<string | null>(null);
  const apply = async () => {
    setError(null);
    const next = await bridge.useCoordinator(mode === 'embedded' ? { mode } : { mode, url: url.trim(), token: token.trim() });
    if (next.error) setError(next.error);
    else onChanged(next);
  };
  return (
    <div className="screen">
      <header className="screen-header"><h1>Coordinator</h1></header>
      <Card>
        {connection?.error && <p className="text-danger" role="alert">{connection.error}</p>}
        <form onSubmit={(e) => { e.preventDefault(); void apply(); }}>
          <div className="radio-row">
            <label className="radio"><input type="radio" name="mode" checked={mode === 'embedded'} onChange={() => setMode('embedded')} /> This computer: the app's own coordinator, its data directory, and a local worker</label>
            <label className="radio"><input type="radio" name="mode" checked={mode === 'remote'} onChange={() => setMode('remote')} /> A lab's coordinator</label>
          </div>
          {mode === 'remote' && (
            <div className="field-row">
              <label className="field grow">Address <input value={url} onChange={(e) => setUrl(e.target.value)} placeholder="http://lab-server:7077" required /></label>
              <label className="field grow">UI token <input type="password" value={token} onChange={(e) => setToken(e.target.value)} placeholder="pku_… (passk coordinator prints it)" required /></label>
            </div>
          )}
          {error && <p className="text-danger" role="alert">{error}</p>}
          <button type="submit" className="primary">Connect</button>
        </form>
      </Card>
    </div>
  );
}
