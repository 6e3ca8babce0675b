import { useCallback, useState } from 'react';

export interface Notice { id: number; message: string; tone: 'ok' | 'error' }
let nextId = 1;

/** Short messages after an action; errors stay until dismissed, the rest fade after a few seconds. */
export function useNotices() {
  const [notices, setNotices] = useState<Notice[]>([]);
  const dismiss = useCallback((id: number) => setNotices((n) => n.filter((x) => x.id !== id)), []);
  const notify = useCallback((message: string, tone: 'ok' | 'error' = 'ok') => {
    const id = nextId++;
    setNotices((n) => [...n.slice(-3), { id, message, tone }]);
    if (tone === 'ok') setTimeout(() => dismiss(id), 6000);
  }, [dismiss]);
  return { notices, notify, dismiss };
}

export function NoticeArea({ notices, dismiss }: { notices: Notice[]; dismiss: (id: number) => void }) {
  return (
    <div className="notices" aria-live="polite">
      {notices.map((n) => (
        <div key={n.id} className={`notice-toast tone-${n.tone}`} role={n.tone === 'error' ? 'alert' : 'status'}>
          <span className="notice-message">{n.message}</span>
          <button type="button" className="link" onClick={() => dismiss(n.id)} aria-label="Dismiss">×</button>
        </div>
      ))}
    </div>
  );
}
