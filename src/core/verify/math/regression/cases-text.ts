import { no, yes, type RegressionCase } from './regression-case.ts';

const r = String.raw;
const strict = { mode: 'strict' } as const;

/** Words, multiple-choice letters, clock times and ratios. */
export const textCases: RegressionCase[] = [
  yes(r`\text{even}`, r`\boxed{even}`, 'a word with and without \\text'),
  yes(r`\text{Even}`, r`\boxed{\text{even}}`, 'words compare without case'),
  no(r`\text{even}`, r`\boxed{\text{odd}}`, 'a different word'),
  yes(r`\text{no solution}`, r`\boxed{\text{No solution}}`, 'a phrase without case'),
  yes(r`\text{Clara}`, r`So the winner is $\boxed{\text{Clara}}$.`, 'a name in a box'),
  no(r`\text{Clara}`, r`So the winner is $\boxed{\text{Dana}}$.`, 'a different name'),
  yes(r`\text{north}`, r`The treasure lies to the \boxed{\textbf{north}}.`, 'a word in \\textbf is the word'),
  yes('C', r`\boxed{\textbf{(C)}}`, 'a bold choice letter in parentheses'),
  yes(r`\text{(C)}`, r`\boxed{C}`, 'a gold choice in \\text with parentheses'),
  yes('C', r`\boxed{(C)}`, 'a choice in parentheses'),
  yes('C', r`\boxed{\textbf{(C) } 12}`, 'a choice followed by its value'),
  yes('C', r`\boxed{C) 12}`, 'a choice with a closing parenthesis and its value'),
  no('C', r`\boxed{\textbf{(D) } 12}`, 'another choice with the same-looking value'),
  no('B', r`\boxed{\textbf{(C)}}`, 'another choice letter'),
  yes('D', 'The correct option is (D).', 'a choice after prose, read as the last number-free phrase'),
  yes('7:30', r`\boxed{7:30}`, 'a clock time'),
  yes('7:30', r`\boxed{7:30 \text{ a.m.}}`, 'a clock time with a.m. against one without (lenient)'),
  no('7:30', r`\boxed{7:03}`, 'minutes differ'),
  no('7:30', r`\boxed{\frac{7}{30}}`, 'a clock time is not a quotient'),
  no(r`7:30 \text{ p.m.}`, r`\boxed{7:30 \text{ a.m.}}`, 'morning is not evening'),
  yes(r`7:30 \text{ p.m.}`, r`\boxed{19:30}`, '24-hour clock against p.m.'),
  no(r`7:30 \text{ p.m.}`, r`\boxed{7:30}`, 'strict: a.m./p.m. must match', strict),
  yes('3:4', r`\boxed{3:4}`, 'a ratio as written'),
  yes('3:4', r`\boxed{6:8}`, 'a proportional ratio'),
  yes('3:4', r`\boxed{\frac{3}{4}}`, 'a ratio against its quotient (lenient)'),
  yes('3:4', r`\boxed{0.75}`, 'a ratio against its decimal quotient (lenient)'),
  no('3:4', r`\boxed{\frac{3}{4}}`, 'strict: a ratio must be written as a ratio', strict),
  no('3:4', r`\boxed{4:3}`, 'the inverse ratio'),
  yes(r`\frac{2}{5}`, r`\boxed{2:5}`, 'a quotient gold against a ratio answer'),
  yes(r`1:2:3`, r`\boxed{1:2:3}`, 'a three-way ratio as written'),
  yes(r`\text{yes}`, r`\boxed{\text{Yes}}`, 'yes without case'),
  no(r`\text{yes}`, r`\boxed{\text{No}}`, 'no is not yes'),
  yes(r`\text{Monday}`, 'Final Answer: The final answer is Monday. I hope it is correct.', 'a word after the final answer phrase'),
  no(r`\text{Monday}`, 'Final Answer: The final answer is Tuesday. I hope it is correct.', 'a different day'),
  yes(r`\text{A, C}`, r`\boxed{\text{C, A}}`, 'several choices in any order'),
];
