import { no, yes, type RegressionCase } from './regression-case.ts';

const r = String.raw;
const noCredit = { creditFallback: false } as const;
const numbers = { answers: 'number' } as const;

function guess(c: RegressionCase): RegressionCase {
  return { ...c, fallback: true };
}
function stated(c: RegressionCase): RegressionCase {
  return { ...c, fallback: false };
}

/**
 * No credit for a guess: the last-number fallback never overrides a LaTeX answer, is flagged
 * whenever it decides, and gives no credit with `creditFallback: false`.
 */
export const guessCases: RegressionCase[] = [
  stated(no('3', r`So $x = \frac{1+\sqrt{3}}{2}$ and we are done.`, 'the 3 inside a stated LaTeX answer is not guessed')),
  stated(no('1', r`The range is $-[0,1)$, hmm.`, 'the 1 inside a stated LaTeX answer is not guessed')),
  stated(no('2', r`We get $\sqrt{2}$ after 2 steps.`, 'a plain number after a LaTeX answer does not replace it')),
  stated(no('5', r`Hence $x^5$ is the leading term.`, 'an exponent is not an answer')),
  stated(no('10', r`The area is $\pi r^2$ with r = 10.`, 'a value in the last sentence does not replace the math')),
  stated(no('4', r`\boxed{\frac{8}{3}} (about 2.7, less than 4)`, 'a box is never overridden by a later number')),
  guess(yes('23', 'I think it is 23', 'no math: the last number is used and flagged')),
  guess(no('23', 'I think it is 23', 'with creditFallback off, a fallback is never correct', noCredit)),
  guess(no('7', 'Maybe 7 or 8', 'the last number is 8, flagged')),
  guess(yes('8', 'Maybe 7 or 8', 'the last number 8 matches, flagged as a guess')),
  guess(yes('2.5', 'the mean works out to 2.5', 'a decimal fallback')),
  guess(yes(r`\frac{3}{4}`, 'so we get 3/4', 'a plain fraction as the last number')),
  guess(yes('1234', 'Totals 1,234 apples', 'a thousands separator in a fallback')),
  guess(no('2010', 'It is 42. -user2010', 'digits glued to a signature are not a number')),
  guess(yes('42', 'It is 42. -user2010', 'the number before a signature')),
  stated(yes('42', r`It is $42$. -user2010`, 'math beats a signature')),
  stated(yes('18', 'She earns $18 each day.\n#### 18', 'the #### line is a stated answer, not a guess', numbers)),
  guess(yes('18', 'She earns $18 each day.', 'GSM8K text without a marker falls back, flagged', numbers)),
  guess(no('18', 'She earns $18 each day.', 'GSM8K fallback with credit off', { ...numbers, ...noCredit })),
  stated(yes('18', 'The answer is 18.', 'an answer phrase is not a guess even with credit off', noCredit)),
  stated(yes('18', r`So she makes \(18\) dollars a day.`, 'math is not a guess, in GSM8K mode too', numbers)),
  stated(no('18', r`\(9 \times 3\) is what she makes; she works 18 days.`, 'math in GSM8K mode is not overridden by a later number', numbers)),
  stated(no('5', 'no idea, sorry', 'no number at all: no answer')),
  stated(no('12', r`The result is $\frac{12}{5}$, about 2 or 3.`, 'the answer phrase holds math; the digits after it are not guessed')),
  stated(no('2', r`Its value is $e^2$.`, 'a power of e is not its exponent')),
  stated(yes(r`e^2`, r`Its value is $e^2$.`, 'the math itself is the answer')),
];
