export type JsonlLine = { line: number; ok: true; value: unknown } | { line: number; ok: false; error: string };

/**
 * The project's one JSONL loop: every non-blank line of `text`, parsed, with its 1-based
 * line number, so every reader names `file:line` the same way. Callers decide whether the
 * first error stops them (problems, datasets) or they collect several (stats, verify).
 */
export function* jsonlLines(text: string): Generator<JsonlLine> {
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const source = lines[i].trim();
    if (source === '') continue;
    try {
      yield { line: i + 1, ok: true, value: JSON.parse(source) };
    } catch (error) {
      yield { line: i + 1, ok: false, error: `not valid JSON (${(error as Error).message}); each line must hold one JSON object` };
    }
  }
}

export function isJsonObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
