import { useState } from 'react';

/**
 * The browser home's door: the UI token, traded once for a session cookie by the
 * coordinator (POST /session), so the page never keeps the token itself.
 */
export function SignInScreen({ onSignedIn }: { onSignedIn: () => void }) {
  const [token, setToken] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async () => {
    setBusy(true);
    setError(null);
    try {
      const res = await fetch('/session', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ token: token.trim() }), credentials: 'same-origin' });
      if (res.status === 204) return onSignedIn();
      const body = (await res.json().catch(() => ({}))) as { error?: string };
      setError(body.error ?? `the coordinator answered ${res.status}`);
    } catch (e) {
      setError(`no answer from the coordinator (${(e as Error).message})`);
    } finally {
      setBusy(false);
    }
  };
  return (
    <main className="sign-in" id="main">
      <form className="card sign-in-card" onSubmit={(e) => { e.preventDefault(); void submit(); }}>
        <h1>PassK Lab</h1>
        <p>Sign in to this coordinator with its <strong>UI token</strong> (it starts with <code>pku_</code>).</p>
        <ul className="small">
          <li><code>passk coordinator --ui</code> printed a link that signs in by itself, and the token on its “Submit a run” line.</li>
          <li>The token is also the <code>"ui"</code> field of <code>tokens.json</code> in the coordinator's data directory.</li>
          <li>The workers' join token (<code>pkw_…</code>) does not open the app.</li>
        </ul>
        <label className="field">UI token <input type="password" autoComplete="off" value={token} onChange={(e) => setToken(e.target.value)} required autoFocus /></label>
        {error && <p className="text-danger" role="alert">{error}</p>}
        <button type="submit" className="primary" disabled={busy || token.trim() === ''}>{busy ? 'Signing in…' : 'Sign in'}</button>
      </form>
    </main>
  );
}
