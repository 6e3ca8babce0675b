import { useCallback, useEffect, useMemo, useState } from 'react';
import type { Connection, DesktopBridge, DesktopCommand } from '../../core/protocol/desktop-bridge.ts';
import { ClientProvider, useClient, useConnectionState } from './client/client-context.tsx';
import { connectCoordinator, type CoordinatorClient } from './client/coordinator-client.ts';
import { navigate, runHref, useRoute, type Route } from './routes.ts';
import { archiveFiles, type ArchiveFiles } from './screens/archive-files.ts';
import { ArchiveScreen } from './screens/archive-screen.tsx';
import { CompareScreen } from './screens/compare-screen.tsx';
import { ConnectionScreen } from './screens/connection-screen.tsx';
import { NewExperimentScreen } from './screens/new-experiment/new-experiment-screen.tsx';
import { RunPage } from './screens/run-page.tsx';
import { SignInScreen } from './screens/sign-in-screen.tsx';
import { WorkersScreen } from './screens/workers-screen.tsx';
import { NoticeArea, useNotices } from './shell/notices.tsx';
import { useTheme, type ThemeChoice } from './shell/theme.ts';

type Session = { client: CoordinatorClient; connection: Connection | null } | { client: null; connection: Connection };

/**
 * The app in either home. In Electron the shell says where the coordinator is and gives
 * its token; in a browser the page talks to the coordinator that served it, signed in by
 * a session cookie. Everything past this point is the same.
 */
export function Root({ bridge }: { bridge: DesktopBridge | null }) {
  const [session, setSession] = useState<Session | null>(null);
  const [refused, setRefused] = useState<string | null>(null);
  const start = useCallback(async (given?: Connection) => {
    setRefused(null);
    if (bridge) {
      const connection = given ?? await bridge.connection();
      setSession((old) => {
        old?.client?.close();
        return connection.error ? { client: null, connection } : { client: connectCoordinator({ url: connection.url, token: connection.token }), connection };
      });
    } else {
      setSession((old) => {
        old?.client?.close();
        return { client: connectCoordinator({}), connection: null };
      });
    }
  }, [bridge]);
  useEffect(() => { void start(); }, [start]);
  useEffect(() => {
    const client = session?.client;
    if (!client) return;
    return client.onState((state) => { if (state.status === 'refused') setRefused(state.reason); });
  }, [session]);

  if (session === null) return <p className="state" role="status">Starting…</p>;
  // In a browser a refusal means no session yet (or an old one): sign in. The coordinator's wording is for token users; the page says its own.
  if (refused !== null && !bridge) return <SignInScreen onSignedIn={() => void start()} />;
  if (session.client === null || (refused !== null && bridge)) {
    return (
      <main id="main" className="main solo">
        <ConnectionScreen bridge={bridge!} connection={session.connection && { ...session.connection, error: session.connection.error ?? refused }} onChanged={(c) => void start(c)} />
      </main>
    );
  }
  return (
    <ClientProvider client={session.client}>
      <Shell bridge={bridge} connection={session.connection} onConnectionChanged={(c) => void start(c)} />
    </ClientProvider>
  );
}

const NAV: { href: string; label: string; active: (r: Route) => boolean }[] = [
  { href: '#/new', label: 'New experiment', active: (r) => r.screen === 'new' },
  { href: '#/runs', label: 'Runs', active: (r) => r.screen === 'archive' || r.screen === 'run' || r.screen === 'compare' },
  { href: '#/workers', label: 'Workers', active: (r) => r.screen === 'workers' },
];

function Shell({ bridge, connection, onConnectionChanged }: { bridge: DesktopBridge | null; connection: Connection | null; onConnectionChanged: (c: Connection) => void }) {
  const client = useClient();
  const route = useRoute();
  const state = useConnectionState();
  const [theme, setTheme] = useTheme();
  const { notices, notify, dismiss } = useNotices();
  const files: ArchiveFiles = useMemo(() => archiveFiles(bridge, (q, initial) => window.prompt(q, initial)), [bridge]);

  // The native menu's commands (desktop only).
  useEffect(() => bridge?.onCommand(async (command: DesktopCommand) => {
    if (command.type === 'new-experiment') navigate('#/new');
    else if (command.type === 'archive') navigate('#/runs');
    else if (command.type === 'workers') navigate('#/workers');
    else if (command.type === 'connection') navigate('#/connection');
    else if (command.type === 'open-run') navigate(runHref(command.runId));
    else if (command.type === 'import-archive') {
      const answer = await client.request('runs:import', { file: command.file });
      if (answer.ok) navigate(runHref(answer.value.runId, 'results'));
      else notify(answer.error, 'error');
    } else if (command.type === 'export-run') {
      const answer = await client.request('runs:export', { runId: command.runId, file: command.file });
      notify(answer.ok ? `Wrote ${answer.value.file}.` : answer.error, answer.ok ? 'ok' : 'error');
    }
  }), [bridge, client, notify]);

  return (
    <div className="app">
      <a className="skip-link" href="#main">Skip to content</a>
      <aside className="sidebar">
        <div className="brand"><span className="brand-mark" aria-hidden="true">k</span> PassK Lab</div>
        <nav aria-label="Main">
          <ul>
            {NAV.map((item) => <li key={item.href}><a href={item.href} className={item.active(route) ? 'nav-link active' : 'nav-link'} aria-current={item.active(route) ? 'page' : undefined}>{item.label}</a></li>)}
            {bridge && <li><a href="#/connection" className={route.screen === 'connection' ? 'nav-link active' : 'nav-link'}>Coordinator</a></li>}
          </ul>
        </nav>
        <div className="sidebar-foot">
          <p className={`connection connection-${state.status}`} role="status">
            <span className="dot" aria-hidden="true" />
            {state.status === 'connected' ? 'Connected' : state.status === 'connecting' ? 'Connecting…' : state.status === 'refused' ? 'Refused' : 'Disconnected'}
            <span className="connection-address">{connection?.mode === 'embedded' ? 'this computer' : client.address}</span>
          </p>
          <label className="field-inline theme-choice">Theme
            <select value={theme} onChange={(e) => setTheme(e.target.value as ThemeChoice)}>
              <option value="system">system</option><option value="light">light</option><option value="dark">dark</option>
            </select>
          </label>
        </div>
      </aside>
      <main id="main" className="main" tabIndex={-1}>
        {state.status === 'disconnected' && <p className="banner" role="alert">{state.reason}</p>}
        <Screen route={route} bridge={bridge} files={files} notify={notify} connection={connection} onConnectionChanged={onConnectionChanged} />
      </main>
      <NoticeArea notices={notices} dismiss={dismiss} />
    </div>
  );
}

function Screen({ route, bridge, files, notify, connection, onConnectionChanged }: {
  route: Route; bridge: DesktopBridge | null; files: ArchiveFiles; notify: (m: string, t?: 'ok' | 'error') => void;
  connection: Connection | null; onConnectionChanged: (c: Connection) => void;
}) {
  switch (route.screen) {
    case 'new': return <NewExperimentScreen key={route.from ?? ''} files={files} from={route.from ?? null} />;
    case 'workers': return <WorkersScreen notify={notify} />;
    case 'run': return <RunPage key={route.runId} route={route} bridge={bridge} notify={notify} />;
    case 'compare': return <CompareScreen a={route.a} b={route.b} />;
    case 'connection': return bridge ? <ConnectionScreen bridge={bridge} connection={connection} onChanged={onConnectionChanged} /> : <ArchiveScreen files={files} notify={notify} />;
    case 'archive': return <ArchiveScreen files={files} notify={notify} />;
  }
}
