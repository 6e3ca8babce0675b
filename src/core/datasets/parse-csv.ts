import type { Result } from '../result.ts';
import type { SourceRecord } from './map-records.ts';

/**
 * RFC 4180 CSV with a header row: quoted fields may hold commas, quotes ("") and newlines.
 * Each record's `line` is the line its row starts on.
 */
export function parseCsv(file: string, text: string): Result<SourceRecord[]> {
  const rows: { line: number; cells: string[] }[] = [];
  let cells: string[] = [];
  let cell = '';
  let quoted = false;
  let line = 1;
  let rowLine = 1;
  let afterQuote = false;
  const body = text.startsWith('\ufeff') ? text.slice(1) : text;
  const endRow = (): void => {
    cells.push(cell);
    if (!(cells.length === 1 && cells[0] === '')) rows.push({ line: rowLine, cells });
    cells = [];
    cell = '';
  };
  for (let i = 0; i < body.length; i += 1) {
    const ch = body[i];
    if (quoted) {
      if (ch === '"' && body[i + 1] === '"') {
        cell += '"';
        i += 1;
      } else if (ch === '"') {
        quoted = false;
        afterQuote = true;
      } else {
        if (ch === '\n') line += 1;
        cell += ch;
      }
      continue;
    }
    if (ch === '"' && cell === '' && !afterQuote) quoted = true;
    else if (ch === ',') {
      cells.push(cell);
      cell = '';
      afterQuote = false;
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && body[i + 1] === '\n') i += 1;
      endRow();
      afterQuote = false;
      line += 1;
      rowLine = line;
    } else if (afterQuote) {
      return { ok: false, error: `${file}:${line}: text after a closing quote` };
    } else cell += ch;
  }
  if (quoted) return { ok: false, error: `${file}:${rowLine}: quoted field never closed` };
  if (cell !== '' || cells.length > 0) endRow();
  const [header, ...data] = rows;
  if (header === undefined) return { ok: false, error: `${file}: empty CSV file` };
  const names = header.cells.map((n) => n.trim());
  const records: SourceRecord[] = [];
  for (const row of data) {
    if (row.cells.length !== names.length) {
      return { ok: false, error: `${file}:${row.line}: ${row.cells.length} fields, the header has ${names.length}` };
    }
    records.push({ line: row.line, value: Object.fromEntries(names.map((n, i) => [n, row.cells[i]])) });
  }
  return { ok: true, value: records };
}
