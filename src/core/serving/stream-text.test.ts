import { describe, expect, it } from 'vitest';
import { streamableText } from './stream-text.ts';

describe('streamable text', () => {
  it('holds back a tail that may begin a stop string, and everything from a stop string on', () => {
    expect(streamableText('The answer is 4.\n', ['\n\n'])).toBe('The answer is 4.');
    expect(streamableText('The answer is 4.\n\nNext', ['\n\n'])).toBe('The answer is 4.');
    expect(streamableText('x = 1 EN', ['END', '###'])).toBe('x = 1 ');
    expect(streamableText('x = 1 EN', [])).toBe('x = 1 EN');
  });

  it('never sends a character still being decoded or half of a surrogate pair', () => {
    expect(streamableText('price: \uFFFD', [])).toBe('price: ');
    expect(streamableText('ok \uD83D', [])).toBe('ok ');
  });

  it('only grows as the text grows, and the final text extends it', () => {
    const stops = ['\n\n'];
    const final = 'a\nb';
    let sent = '';
    for (const text of ['a', 'a\n', 'a\nb', 'a\nb\n', 'a\nb\n\n']) {
      const now = streamableText(text, stops);
      expect(now.startsWith(sent)).toBe(true);
      sent = now;
    }
    expect(final.startsWith(sent)).toBe(true);
  });
});
