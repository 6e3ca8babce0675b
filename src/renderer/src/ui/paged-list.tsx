import { useCallback, useEffect, useRef, useState, type KeyboardEvent, type ReactNode } from 'react';

export const PAGE = 100;

type Fetch<T> = (offset: number, limit: number) => Promise<{ ok: true; value: { total: number; rows: T[] } } | { ok: false; error: string }>;

/**
 * Rows of a long list fetched a page at a time as they come into view, so a run of
 * millions of samples is never asked for whole. `key` names the query: a new key starts
 * over (new filter), `refresh()` refetches the pages held (after a label changed).
 */
export function usePagedRows<T>(key: string, fetch: Fetch<T>) {
  const [total, setTotal] = useState<number | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [, setVersion] = useState(0);
  const pages = useRef(new Map<number, T[]>());
  const pending = useRef(new Set<number>());
  const generation = useRef(0);
  const fetchRef = useRef(fetch);
  fetchRef.current = fetch;

  const load = useCallback((page: number, gen: number) => {
    if (pending.current.has(page)) return;
    pending.current.add(page);
    void fetchRef.current(page * PAGE, PAGE).then((answer) => {
      pending.current.delete(page);
      if (gen !== generation.current) return;
      if (!answer.ok) return setError(answer.error);
      pages.current.set(page, answer.value.rows);
      setTotal(answer.value.total);
      setError(null);
      setVersion((v) => v + 1);
    });
  }, []);

  useEffect(() => {
    generation.current += 1;
    pages.current = new Map();
    pending.current = new Set();
    setTotal(null);
    setError(null);
    load(0, generation.current);
  }, [key, load]);

  return {
    total, error,
    get: (index: number): T | undefined => pages.current.get(Math.floor(index / PAGE))?.[index % PAGE],
    ensure(from: number, to: number) {
      for (let page = Math.floor(from / PAGE); page <= Math.floor(Math.max(from, to) / PAGE); page++) {
        if (!pages.current.has(page)) load(page, generation.current);
      }
    },
    refresh() {
      for (const page of pages.current.keys()) {
        pending.current.delete(page);
        load(page, generation.current);
      }
    },
  };
}

/**
 * A windowed listbox: only the rows in view (and a few around) are in the DOM. Arrow keys,
 * Page Up/Down, Home and End move the selection; the selected row stays in view.
 */
export function VirtualList<T>({ label, total, rowHeight, height, get, ensure, selected, onSelect, renderRow, idOf }: {
  label: string; total: number; rowHeight: number; height: number;
  get: (index: number) => T | undefined; ensure: (from: number, to: number) => void;
  selected: number | null; onSelect: (index: number) => void;
  renderRow: (item: T | undefined, index: number) => ReactNode; idOf: (index: number) => string;
}) {
  const box = useRef<HTMLDivElement>(null);
  const [scrollTop, setScrollTop] = useState(0);
  const first = Math.max(0, Math.floor(scrollTop / rowHeight) - 5);
  const last = Math.min(total - 1, Math.ceil((scrollTop + height) / rowHeight) + 5);
  useEffect(() => { if (total > 0) ensure(first, last); }, [first, last, total, ensure]);
  useEffect(() => {
    const el = box.current;
    if (!el || selected === null) return;
    const top = selected * rowHeight;
    if (top < el.scrollTop) el.scrollTop = top;
    else if (top + rowHeight > el.scrollTop + height) el.scrollTop = top + rowHeight - height;
  }, [selected, rowHeight, height]);
  const onKey = (event: KeyboardEvent) => {
    const perPage = Math.max(1, Math.floor(height / rowHeight));
    const moves: Record<string, number> = { ArrowDown: 1, ArrowUp: -1, PageDown: perPage, PageUp: -perPage, Home: -Infinity, End: Infinity };
    if (!(event.key in moves) || total === 0) return;
    event.preventDefault();
    const from = selected ?? -1;
    onSelect(Math.max(0, Math.min(total - 1, from + moves[event.key])));
  };
  const rows: ReactNode[] = [];
  for (let i = first; i <= last; i++) {
    rows.push(
      <div key={i} id={idOf(i)} role="option" aria-selected={selected === i} className={selected === i ? 'list-row selected' : 'list-row'}
        style={{ top: i * rowHeight, height: rowHeight }} onClick={() => onSelect(i)}>
        {renderRow(get(i), i)}
      </div>,
    );
  }
  return (
    <div ref={box} className="virtual-list" role="listbox" aria-label={label} tabIndex={0} style={{ height }}
      aria-activedescendant={selected !== null && selected >= first && selected <= last ? idOf(selected) : undefined}
      onScroll={(e) => setScrollTop(e.currentTarget.scrollTop)} onKeyDown={onKey}>
      <div className="virtual-list-inner" style={{ height: total * rowHeight }}>{rows}</div>
    </div>
  );
}
