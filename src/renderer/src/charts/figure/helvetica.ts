/**
 * Helvetica, one of the PDF standard fonts every reader has: its advance widths (per 1000 em,
 * from Adobe's AFM for ASCII 32–126) to anchor text the way the SVG draws it, and the mapping
 * of the few non-ASCII characters the charts write onto WinAnsiEncoding.
 */
const ASCII_WIDTHS = [
  278, 278, 355, 556, 556, 889, 667, 191, 333, 333, 389, 584, 278, 333, 278, 278, // space … /
  556, 556, 556, 556, 556, 556, 556, 556, 556, 556, 278, 278, 584, 584, 584, 556, // 0 … ?
  1015, 667, 667, 722, 722, 667, 611, 778, 722, 278, 500, 667, 556, 833, 722, 778, // @ … O
  667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, 278, 278, 278, 469, 556, // P … _
  333, 556, 556, 500, 556, 556, 278, 556, 556, 222, 222, 500, 222, 833, 556, 556, // ` … o
  556, 556, 333, 500, 278, 556, 500, 722, 500, 500, 500, 334, 260, 334, 584, // p … ~
];

/** Characters outside ASCII the charts use, as WinAnsiEncoding codes (what Helvetica can draw). */
const WIN_ANSI: Record<string, number> = {
  '\u2212': 0x96, // minus sign → en dash (Helvetica's hyphen is too short for a minus)
  '\u2013': 0x96, '\u2014': 0x97, '\u00b7': 0xb7, '\u00d7': 0xd7, '\u00b1': 0xb1, '\u2026': 0x85,
  '\u00b0': 0xb0, '\u00b5': 0xb5, '\u00e9': 0xe9, '\u00fc': 0xfc, '\u00f6': 0xf6, '\u00e4': 0xe4,
};
const WIN_ANSI_WIDTHS: Record<number, number> = { 0x96: 556, 0x97: 1000, 0xb7: 278, 0xd7: 584, 0xb1: 584, 0x85: 1000, 0xb0: 400, 0xb5: 556, 0xe9: 556, 0xfc: 556, 0xf6: 556, 0xe4: 556 };
/** Subscript and superscript digits (log₂) drawn as plain digits. */
const DIGIT_LIKE = /[\u2080-\u2089\u2070\u00b9\u00b2\u00b3\u2074-\u2079]/;
const digitOf = (c: string) => {
  const code = c.codePointAt(0)!;
  if (code >= 0x2080 && code <= 0x2089) return String(code - 0x2080);
  if (code === 0x2070) return '0';
  if (code === 0xb9) return '1';
  if (code === 0xb2) return '2';
  if (code === 0xb3) return '3';
  return String(code - 0x2070);
};

/** The string as WinAnsiEncoding byte codes; a character Helvetica lacks becomes '?'. */
export function winAnsiCodes(text: string): number[] {
  const codes: number[] = [];
  for (const c of text) {
    const code = c.codePointAt(0)!;
    if (code >= 32 && code <= 126) codes.push(code);
    else if (WIN_ANSI[c] !== undefined) codes.push(WIN_ANSI[c]);
    else if (DIGIT_LIKE.test(c)) codes.push(digitOf(c).charCodeAt(0));
    else codes.push(63);
  }
  return codes;
}

/** Width of the text in Helvetica at `size` (same unit as size). */
export function helveticaWidth(text: string, size: number): number {
  let units = 0;
  for (const code of winAnsiCodes(text)) units += code <= 126 ? ASCII_WIDTHS[code - 32] : (WIN_ANSI_WIDTHS[code] ?? 556);
  return (units / 1000) * size;
}
