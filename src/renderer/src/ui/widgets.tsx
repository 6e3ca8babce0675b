import { useEffect, useRef, useState, type KeyboardEvent, type ReactNode } from 'react';
import type { Role } from '../../../core/roles.ts';
import type { RunStatus } from '../../../core/protocol/ui-protocol.ts';

export function StatusBadge({ status }: { status: RunStatus | 'idle' | 'busy' | 'gone' }) {
  return <span className={`badge badge-${status}`}>{status}</span>;
}

export function RoleChip({ role, model }: { role: Role; model?: string }) {
  return (
    <span className={`role-chip role-${role}`}>
      <span className="role-swatch" aria-hidden="true" />
      {model !== undefined ? <>{model} <span className="muted">({role})</span></> : role}
    </span>
  );
}

/** A bar for counts the coordinator reports (done of total). */
export function ProgressBar({ value, label, tone = 'accent' }: { value: number; label: string; tone?: 'accent' | 'ok' | 'role-base' | 'role-rl' | 'role-distilled' | 'role-other' }) {
  const percent = Math.round(Math.max(0, Math.min(1, value)) * 1000) / 10;
  return (
    <div className="progress" role="progressbar" aria-label={label} aria-valuemin={0} aria-valuemax={100} aria-valuenow={percent}>
      <div className={`progress-fill tone-${tone}`} style={{ width: `${percent}%` }} />
    </div>
  );
}

export function CopyButton({ text, label = 'Copy' }: { text: string; label?: string }) {
  const [copied, setCopied] = useState<'no' | 'yes' | 'failed'>('no');
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(text);
      setCopied('yes');
    } catch {
      setCopied('failed');
    }
    setTimeout(() => setCopied('no'), 2500);
  };
  return (
    <button type="button" onClick={() => void copy()} aria-live="polite">
      {copied === 'yes' ? 'Copied' : copied === 'failed' ? 'Select and copy by hand' : label}
    </button>
  );
}

/** Tabs with arrow-key movement (WAI-ARIA tabs pattern); each tab is a link, so the address says where one is. */
export function Tabs({ tabs, current, label }: { tabs: { id: string; label: string; href: string }[]; current: string; label: string }) {
  const refs = useRef<(HTMLAnchorElement | null)[]>([]);
  const onKey = (event: KeyboardEvent, index: number) => {
    const next = event.key === 'ArrowRight' ? index + 1 : event.key === 'ArrowLeft' ? index - 1 : null;
    if (next === null) return;
    event.preventDefault();
    const target = refs.current[(next + tabs.length) % tabs.length];
    target?.focus();
    target?.click();
  };
  return (
    <nav className="tabs" aria-label={label}>
      {tabs.map((tab, i) => (
        <a key={tab.id} ref={(el) => { refs.current[i] = el; }} href={tab.href} className={tab.id === current ? 'tab tab-current' : 'tab'}
          aria-current={tab.id === current ? 'page' : undefined} onKeyDown={(e) => onKey(e, i)}>{tab.label}</a>
      ))}
    </nav>
  );
}

/** A modal confirmation: focus goes to Cancel, Escape cancels, and the action names what it does. */
export function ConfirmDialog({ title, children, confirmLabel, danger, onConfirm, onCancel }: {
  title: string; children: ReactNode; confirmLabel: string; danger?: boolean; onConfirm: () => void; onCancel: () => void;
}) {
  const cancel = useRef<HTMLButtonElement>(null);
  useEffect(() => { cancel.current?.focus(); }, []);
  return (
    <div className="modal-backdrop" onKeyDown={(e) => { if (e.key === 'Escape') onCancel(); }}>
      <div className="modal" role="dialog" aria-modal="true" aria-labelledby="confirm-title">
        <h2 id="confirm-title">{title}</h2>
        <div className="modal-body">{children}</div>
        <div className="modal-actions">
          <button type="button" ref={cancel} onClick={onCancel}>Cancel</button>
          <button type="button" className={danger ? 'danger' : 'primary'} onClick={onConfirm}>{confirmLabel}</button>
        </div>
      </div>
    </div>
  );
}

export function Card({ title, actions, children, className }: { title?: ReactNode; actions?: ReactNode; children: ReactNode; className?: string }) {
  return (
    <section className={`card ${className ?? ''}`}>
      {(title || actions) && <header className="card-header">{title && <h2>{title}</h2>}{actions && <div className="card-actions">{actions}</div>}</header>}
      {children}
    </section>
  );
}
