/** Samples done and tokens per second on stderr, redrawn in place; silent when stderr is not a terminal. */
export interface Progress {
  tokens(count: number): void;
  sample(): void;
  done(): void;
}

export function createProgress(totalSamples: number, stream: NodeJS.WriteStream = process.stderr): Progress {
  if (!stream.isTTY) return { tokens() {}, sample() {}, done() {} };
  const started = performance.now();
  let tokens = 0;
  let samples = 0;
  let drawn = 0;
  const draw = (force: boolean): void => {
    const now = performance.now();
    if (!force && now - drawn < 200) return;
    drawn = now;
    const width = 30;
    const filled = Math.round((samples / totalSamples) * width);
    const rate = tokens / Math.max(1e-3, (now - started) / 1000);
    stream.write(`\r[${'#'.repeat(filled)}${' '.repeat(width - filled)}] ${samples}/${totalSamples} samples  ${rate.toFixed(0)} tok/s `);
  };
  return {
    tokens(count) { tokens += count; draw(false); },
    sample() { samples++; draw(false); },
    done() { draw(true); stream.write('\n'); },
  };
}
