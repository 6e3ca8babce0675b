import type { MathJudgeOptions } from '../judge-options.ts';
import { no, yes, type RegressionCase } from './regression-case.ts';

/**
 * Issue 25: what large-k samples of base and chat models write, judged as a careful grader
 * would. Written for this suite (not copied from the issue or from another verifier's tests);
 * each case says why. Grouped by what it tests, so the test can report agreement per group.
 */

const r = String.raw;

function asked(problem: string, c: RegressionCase): RegressionCase {
  return { ...c, problem };
}
function opts(options: Partial<MathJudgeOptions>, c: RegressionCase): RegressionCase {
  return { ...c, options: { ...c.options, ...options } };
}

const FEW_SHOT_PROBLEM = 'Find the remainder when $7^{2024}$ is divided by $5$. Express your answer as an integer.';

/** 1. Base-model run-ons: judge only what comes before the model starts a new problem or turn. */
export const runOnCases: RegressionCase[] = [
  yes('16', r`The sum of the roots is $-b/a = 16$. So the answer is $\boxed{16}$.<|im_end|>
<|im_start|>user
What is the product of the roots of $x^2 - 16x + 39 = 0$?<|im_end|>
<|im_start|>assistant
The product is $\boxed{39}$.`, 'a right answer, then a chat turn the model made up: the made-up box is cut'),
  no('39', r`The roots are 3 and 13, and their sum is $\boxed{16}$.<|im_end|><|im_start|>user
Now give the product.<|im_end|><|im_start|>assistant
$\boxed{39}$`, 'a wrong answer, then a run-on turn that happens to box the gold: the run-on is not the answer'),
  yes('7', r`Counting the lattice points on each row gives $1+2+4 = 7$.

Final Answer: The final answer is $7$. I hope it is correct.

Problem:
How many positive divisors does $360$ have?

Solution:
$360 = 2^3\cdot 3^2\cdot 5$, so it has $4\cdot3\cdot2 = 24$ divisors.

Final Answer: The final answer is $24$. I hope it is correct.`, 'Minerva-format run-on: a new "Problem:" after the final answer'),
  no('24', r`There are $\boxed{12}$ such divisors.

Question: How many positive divisors does 360 have?
Answer: $360 = 2^3 \cdot 3^2 \cdot 5$ gives $\boxed{24}$.`, 'a "Question:" run-on that boxes the gold does not rescue a wrong first answer'),
  no('4', r`$7 \equiv 2 \pmod 5$ and $2^4 \equiv 1$, so $7^{2024} \equiv 2^{0} \cdot 1 = 1$… wait, $2024 = 4\cdot 506$, so the remainder is $1$. Hmm, no: $7^{2024} = (7^4)^{506}$ and $7^4 = 2401 \equiv 1$, giving $\boxed{1}$.</s>

Find the remainder when $7^{2024}$ is divided by $5$. Express your answer as an integer.
$\boxed{4}$`, 'text after </s> is not read: the made-up second try boxes 4, the answer before it is 1'),
  yes('1', r`$7 \equiv 2 \pmod 5$ and $2^4 \equiv 1$, so $7^{2024} \equiv 2^{0} \cdot 1 = 1$… wait, $2024 = 4\cdot 506$, so the remainder is $1$. Hmm, no: $7^{2024} = (7^4)^{506}$ and $7^4 = 2401 \equiv 1$, giving $\boxed{1}$.</s>

Find the remainder when $7^{2024}$ is divided by $5$. Express your answer as an integer.
$\boxed{4}$`, 'the answer before </s> is judged'),
  asked(FEW_SHOT_PROBLEM, yes('1', r`Since $7^4 = 2401 \equiv 1 \pmod 5$ and $2024$ is a multiple of $4$, the remainder is $\boxed{1}$.

Find the remainder when $7^{2024}$ is divided by $5$. Express your answer as an integer.
We have $7 \equiv 2$, and $2^{2024}$ … so the answer is $\boxed{3}$.`, 'the problem statement written again after the answer starts a made-up turn')),
  yes('12', r`Each of the 4 teams plays 3 others once at home and once away: $4 \cdot 3 = 12$ games, so the answer is $\boxed{12}$.
<|endoftext|>Human: How many games if there are 5 teams?
Assistant: $5 \cdot 4 = \boxed{20}$`, '<|endoftext|> and a Human:/Assistant: transcript after it'),
  yes(r`\frac{3}{8}`, r`There are $\binom{4}{2} = 6$ ways out of 16, so the probability is $\boxed{\frac{3}{8}}$.

## Problem
A fair coin is flipped 5 times. What is the probability of exactly 2 heads?

## Solution
$\binom{5}{2}/32 = \boxed{\frac{5}{16}}$`, 'a markdown "## Problem" header repeated from the few-shot prompt'),
  yes('30', r`The angles are in ratio $1:2:3$, so the smallest is $180/6 = \boxed{30}$ degrees.
Q: What is the largest angle?
A: $3 \cdot 30 = \boxed{90}$`, 'a "Q:" line opening a new question'),
  yes(r`\sqrt{13}`, r`The points are
P: $(1, 2)$
Q: $(3, 5)$
so $PQ = \sqrt{2^2 + 3^2} = \boxed{\sqrt{13}}$.`, 'a point named Q at a line start is not a new question'),
  yes('5', r`Problem: Find the number of integers $n$ with $1 \le n \le 20$ divisible by 4.
Solution: They are 4, 8, 12, 16, 20, so there are $\boxed{5}$.`, 'a response that opens by restating its problem is not cut at its first line'),
  yes('9', r`We need $x^2 = 81$ with $x > 0$, so $x = \boxed{9}$.<|eot_id|><|start_header_id|>user<|end_header_id|>

Thanks! And the negative root?<|eot_id|><|start_header_id|>assistant<|end_header_id|>

$\boxed{-9}$`, 'Llama-3 turn markers'),
];

/** 2. Revisions after a box, and boxes in hypothetical asides. */
export const revisionCases: RegressionCase[] = [
  yes('2', r`$17 \div 5$ leaves a remainder, so I get $\boxed{3}$. Hmm, actually $17 = 3 \cdot 5 + 2$, so the remainder should be 2.`, 'a later correction with a cue of doubt revises the box'),
  no('3', r`$17 \div 5$ leaves a remainder, so I get $\boxed{3}$. Hmm, actually $17 = 3 \cdot 5 + 2$, so the remainder should be 2.`, 'the revised box is no longer the answer'),
  yes('5', r`Adding the two cases gives $\boxed{6}$. But I counted the arrangement ABBA twice, so the correct answer is 5.`, '"the correct answer is" after a box revises it'),
  yes('120', r`With all five distinct letters there are $5! = \boxed{120}$ arrangements. (If two letters were identical, we would get $\boxed{60}$ instead.)`, 'a box in an "if … we would get" aside is not the answer'),
  no('60', r`With all five distinct letters there are $5! = \boxed{120}$ arrangements. (If two letters were identical, we would get $\boxed{60}$ instead.)`, 'the hypothetical box holds a different problem\'s answer'),
  yes('42', r`If we add the three totals, we would get $\boxed{42}$.`, 'a lone box phrased with "would" is still the committed answer'),
  yes('3', r`First, $x = \boxed{2}$. If $x = 2$, then $y$ would be $3$, and since $x = 2$ the answer is $\boxed{3}$.`, 'a conditional that concludes is not an aside: its box is the answer'),
  yes('14', r`Suppose the order mattered; then we'd get $\boxed{28}$. It does not, so we divide by 2: $\boxed{14}$.`, 'the committed box after the aside is the answer'),
  yes('48', r`The area is $6 \times 8 = \boxed{48}$. Let me verify: the answer should be 48 since $6 \cdot 8 = 48$. ✓`, 'a check that repeats the box does not change it'),
  yes('48', r`The area is $\boxed{48}$. Wait, the perimeter should be $28$, which matches the given data.`, 'a cue word followed by another quantity ("the perimeter should be") does not revise the answer'),
  yes('21', r`So $\boxed{20}$. Oops, I forgot the empty set: the total is actually $21$.`, '"the total is actually" after "Oops" revises'),
  no('20', r`So $\boxed{20}$. Oops, I forgot the empty set: the total is actually $21$.`, 'the first box was revised away'),
];

/** 3. Approximations of exact golds; terminating decimals are exact. */
export const approximationCases: RegressionCase[] = [
  no(r`\pi`, r`The ratio tends to $\boxed{3.14159}$.`, 'a decimal for π is an approximation'),
  yes(r`\pi`, r`The ratio tends to $\boxed{\pi}$.`, 'exact π against exact π'),
  no(r`\frac{1}{3}`, r`So $P = \boxed{0.3333333}$.`, 'a truncated repeating decimal is not 1/3'),
  no(r`2\sqrt{5}`, r`The distance is $\sqrt{20} \approx \boxed{4.472136}$.`, 'a decimal for 2√5'),
  yes(r`2\sqrt{5}`, r`The distance is $\boxed{\sqrt{20}}$.`, 'an exact equivalent radical'),
  yes(r`\frac{1}{4}`, r`The probability is $\boxed{0.25}$.`, 'a terminating decimal is the exact value of 1/4'),
  yes(r`\frac{7}{8}`, r`So $x = \boxed{0.875}$.`, '7/8 terminates'),
  yes(r`0.6`, r`The answer is $\boxed{\frac{3}{5}}$.`, 'an exact fraction for a decimal gold'),
  opts({ digits: 2 }, yes(r`\frac{1}{3}`, r`Rounded, $\boxed{0.33}$.`, 'with digits 2 a value rounded to hundredths is accepted')),
  asked('A circle has radius 2. What is its area? Express your answer as a decimal to the nearest tenth.', yes('12.6', r`$A = 4\pi \approx \boxed{12.6}$.`, 'the problem asks for rounding to the nearest tenth')),
  asked('A circle has radius 2. What is its area? Express your answer as a decimal to the nearest tenth.', no('12.6', r`$A = 4\pi \approx \boxed{12.566}$.`, 'the answer is not rounded to the tenth the problem asks for')),
  asked('How many buses are needed? Round to the nearest whole number.', yes('9', r`$\frac{250}{30} \approx 8.33$, so about $\boxed{8.0}$… no: $\boxed{9.0}$`, 'trailing zeros are not places')),
  asked('What is $\\sqrt{2}$ rounded to the nearest hundredth?', yes(r`1.41`, r`$\sqrt2 \approx 1.4142$, so $\boxed{1.41}$.`, 'a rounded gold and a rounded answer')),
  no(r`e^2`, r`$\boxed{7.389056}$`, 'a decimal for e²'),
  yes(r`3\sqrt{2}`, r`$\boxed{\sqrt{18}}$`, 'exact against exact, written differently'),
];

const BASE_PROBLEM = 'Express $42_{10}$ in base 8.';

/** 4. Bases and forms the problem demands. */
export const formCases: RegressionCase[] = [
  no('52_8', r`$42 = 5 \cdot 8 + 2$, so the answer is $\boxed{42}$.`, 'the decimal value is not the base-8 numeral asked for'),
  yes('52_8', r`$42 = 5 \cdot 8 + 2$, so $42_{10} = \boxed{52_8}$.`, 'the numeral with its base'),
  asked(BASE_PROBLEM, yes('52_8', r`$42 = 5 \cdot 8 + 2$, so the digits are $\boxed{52}$.`, 'the digits without the subscript')),
  no('52_8', r`$\boxed{101010_2}$`, 'the same value in another base is not the requested form'),
  yes(r`(-3,3)`, r`The solution set is $\boxed{|x| < 3}$.`, '|x| < 3 is (-3, 3)'),
  no(r`(-\infty,3)`, r`The solution set is $\boxed{|x| < 3}$.`, '|x| < 3 is not (-∞, 3)'),
  yes(r`(-\infty,-2]\cup[4,\infty)`, r`$\boxed{|x-1| \ge 3}$`, '|x − 1| ≥ 3 as a union'),
  asked('What is $\\frac{3}{8}$ expressed as a decimal?', no(r`0.375`, r`$\boxed{\frac{3}{8}}$`, 'the problem asks for a decimal')),
  asked('What is $\\frac{3}{8}$ expressed as a decimal?', yes(r`0.375`, r`$3 \div 8 = \boxed{0.375}$`, 'a decimal where one is asked for')),
  asked('What is the probability that both are red? Express your answer as a common fraction.', no(r`\frac{1}{4}`, r`$\boxed{0.25}$`, 'the problem asks for a common fraction')),
  asked('What fraction of the tiles are blue? Express your answer as a common fraction.', no(r`\frac{3}{8}`, r`$\boxed{\frac{6}{16}}$`, 'a common fraction is one in lowest terms')),
  asked('Simplify $\\frac{12}{18}$. Express your answer in simplest form.', no(r`\frac{2}{3}`, r`$\boxed{\frac{4}{6}}$`, 'an unreduced fraction where simplest form is asked')),
  asked('Simplify $\\sqrt{50}+\\sqrt{8}$. Express your answer in simplest radical form.', no(r`7\sqrt{2}`, r`$\boxed{\sqrt{98}}$`, 'a square factor left under the root')),
  asked('Simplify $\\sqrt{50}+\\sqrt{8}$. Express your answer in simplest radical form.', yes(r`7\sqrt{2}`, r`$5\sqrt2+2\sqrt2=\boxed{7\sqrt{2}}$`, 'simplest radical form')),
  asked('Factor $x^2-5x+6$.', no(r`(x-2)(x-3)`, r`$\boxed{x^2-5x+6}$`, 'the expanded form does not answer "factor"')),
  asked('Factor $x^2-5x+6$.', yes(r`(x-2)(x-3)`, r`$\boxed{(x-3)(x-2)}$`, 'factors in another order')),
  asked('Find the equation of the plane through $(1,0,0)$, $(0,2,0)$, $(0,0,3)$. Enter your answer in the form $Ax + By + Cz + D = 0,$ where $A,$ $B,$ $C,$ $D$ are integers such that $A > 0$ and $\\gcd(|A|,|B|,|C|,|D|) = 1.$',
    no(r`6x+3y+2z-6=0`, r`$\boxed{12x+6y+4z-12=0}$`, 'a multiple of the equation where the coefficients are fixed')),
  asked('Find the equation of the plane through $(1,0,0)$, $(0,2,0)$, $(0,0,3)$. Enter your answer in the form $Ax + By + Cz + D = 0,$ where $A,$ $B,$ $C,$ $D$ are integers such that $A > 0$ and $\\gcd(|A|,|B|,|C|,|D|) = 1.$',
    yes(r`6x+3y+2z-6=0`, r`$\boxed{6x+3y+2z-6=0}$`, 'the normalised equation')),
  yes(r`6x+3y+2z-6=0`, r`$\boxed{12x+6y+4z-12=0}$`, 'without the problem text a multiple is the same plane'),
];

/** 5. Truncated responses. */
export const truncationCases: RegressionCase[] = [
  no('1353', r`Summing the three cases: $451 \cdot 3 = 1353$. Therefore the number of arrangements is $\boxed{1353`, 'a cut-off box is no answer even though its digits are right'),
  no('1350', r`First, $450 \cdot 3 = \boxed{1350}$ before the correction. Adding the 3 fixed points, the total is $\boxed{1353`, 'an earlier partial box is not the answer of a cut-off response'),
  no('4', r`Testing small values: $n = 1$ fails, $n = 2$ fails, $n = 3$ fails, so $n = 4$? Let me double check…`, 'ends mid-thought: no final answer'),
  no('4', r`Trying $n = 4$ gives $4^2 + 9 = 25$, a square. But wait, we need the largest such $n$, so let me check $n = 5$, $n = 6$, and`, 'cut off while still checking'),
  yes('4', r`Trying $n = 4$ gives $4^2 + 9 = 25$, a perfect square, and no larger $n$ works, so $n = 4$.`, 'a complete last statement'),
  yes('4', r`No larger $n$ works, so $n = 4$. Let me know if you would like the other cases worked out`, 'a closing courtesy is not doubt'),
  yes('4', r`So the answer is $\boxed{4}$. Let me double check: $4^2+9 = 25$ ✓`, 'a boxed answer followed by a finished check'),
  no('18', r`The number of triangles is $\binom{9}{3} - 8 = 76$, hmm, that seems too large. Let me recount the collinear triples: rows give 3, columns 3, diagonals 2, so subtract $8$ from $\binom{9}{3} = 84$... that is $76$ again? Wait`, 'a response cut off in doubt'),
];

/** 6. Prose answers, lists, choices, Unicode. */
export const proseCases: RegressionCase[] = [
  yes(r`\text{Marisol}`, 'Marisol runs 12 km in 1 h, Jonah 10 km.\n\nAnswer: Marisol has the higher average speed.', 'the named subject of the answer sentence'),
  no(r`\text{Marisol}`, 'Marisol runs 12 km in 1 h, Jonah 13 km.\n\nAnswer: Jonah has the higher average speed.', 'another name'),
  yes(r`\text{Priya}`, r`Priya: $\frac{18}{2} = 9$ km/h. Tomas: $\frac{20}{2.5} = 8$ km/h. Therefore, Priya has the greatest average speed.`, 'a concluding sentence naming the answer after all the math'),
  no(r`\text{Priya}`, r`Priya: $\frac{18}{2.5} = 7.2$ km/h. Tomas: $\frac{20}{2.5} = 8$ km/h. Therefore, Tomas has the greatest average speed.`, 'the concluding sentence names someone else'),
  yes('56', 'Each row has 8 seats and there are 7 rows, so the answer is 56 seats, not counting the 4 folding chairs.', 'the stated count, not the last number'),
  yes('38', 'There were 45 tickets; 7 were refunded, so the final count is 38 after subtracting the 7 refunds from 45.', 'the stated value before its working'),
  yes('38', r`There were $45$ tickets and $7$ were refunded, so the final count is $38$ after subtracting the $7$ refunds from $45$.`, 'a stated value in math before its working in math'),
  yes(r`(2,-7,0,11)`, r`Matching coefficients, $\boxed{2,-7,0,11}$.`, 'a list answering a tuple, in order'),
  no(r`(2,-7,0,11)`, r`Matching coefficients, $\boxed{-7,2,0,11}$.`, 'a tuple\'s order matters'),
  yes(r`(6,-13)`, r`Solving the system: $a = 6$, $b = -13$.`, 'named values in a row answer a pair'),
  yes(r`(6,-13)`, r`Therefore the answer is $a = 6$ and $b = -13$.`, 'named values after an answer phrase'),
  yes(r`(-\infty,1)\cup(5,\infty)`, r`$\boxed{\mathbb{R}\setminus[1,5]}$`, 'a set complement'),
  no(r`(-\infty,1)\cup(5,\infty)`, r`$\boxed{\mathbb{R}\setminus(1,5)}$`, 'the complement of the open interval keeps 1 and 5'),
  yes('18', r`$\boxed{\textbf{(C)}\ 18}$`, 'the text of the chosen option against a value gold'),
  no('18', r`$\boxed{\textbf{(D)}\ 20}$`, 'another option\'s text'),
  yes(r`2\sqrt{7}`, 'The side length is 2√7.', 'the √ sign typed in Unicode'),
  yes(r`5\sqrt{2}`, r`\boxed{5√2}`, 'the √ sign inside a box'),
];

/** 7. Forms another verifier's suite misses: several boxes, ±, tuples in sets, bare LaTeX, names, grouping, precision, |z|. */
export const formMissCases: RegressionCase[] = [
  yes(r`\{-4, 9\}`, r`The roots are $\boxed{-4}$ and $\boxed{9}$.`, 'a set as several boxes'),
  yes(r`-4, 9`, r`$\boxed{x = 9 \text{ or } x = -4}$`, 'a set with "or" and names'),
  yes(r`\frac{3\pm\sqrt{13}}{2}`, r`$\boxed{\frac{3+\sqrt{13}}{2}, \frac{3-\sqrt{13}}{2}}$`, '± inside a fraction is two values'),
  yes(r`2\pm\sqrt{3}`, r`$\boxed{2-\sqrt{3}, 2+\sqrt{3}}$`, '± at top level, listed in another order'),
  no(r`\frac{3\pm\sqrt{13}}{2}`, r`$\boxed{\frac{3+\sqrt{13}}{2}}$`, 'one root of two'),
  yes(r`\{(1,4),(4,1),(-2,-2)\}`, r`$\boxed{(-2,-2), (4,1), (1,4)}$`, 'a set of pairs in another order'),
  no(r`\{(1,4),(4,1)\}`, r`$\boxed{(1,4),(1,4)}$`, 'a pair repeated is not the set'),
  yes(r`\frac{7}{12}`, 'Dividing, the fraction of the tank filled per hour is \\frac{7}{12}', 'bare LaTeX without delimiters'),
  yes('5:9', r`$\boxed{A_1 : A_2 = 5:9}$`, 'a named left-hand side of a ratio'),
  yes('2048000', r`$\boxed{2\,048\,000}$`, 'thin-space digit grouping'),
  yes('2048000', r`$\boxed{2{,}048{,}000}$`, 'comma digit grouping'),
  yes('3.75', r`$\boxed{3{,}75}$`, 'a decimal comma'),
  opts({ digits: 2 }, yes(r`\left[\frac{1}{3}, \frac{2}{3}\right]`, r`$\boxed{[0.33, 0.67]}$`, 'precision applies to interval ends')),
  opts({ digits: 2 }, yes(r`\left(\frac{1}{3}, \frac{2}{3}\right]`, r`$\boxed{(0.33, 0.67]}$`, 'precision applies to the ends of a half-open interval')),
  no(r`\left(\frac{1}{3}, \frac{2}{3}\right]`, r`$\boxed{(0.33, 0.67]}$`, 'without digits, rounded ends are not the exact interval'),
  opts({ digits: 1 }, yes(r`\begin{pmatrix} \frac{1}{3} & 2 \\ 0 & \frac{1}{6} \end{pmatrix}`, r`$\boxed{\begin{pmatrix} 0.3 & 2 \\ 0 & 0.2 \end{pmatrix}}$`, 'precision applies to matrix entries')),
  yes(r`(-\infty,-2)\cup(2,\infty)`, r`$\boxed{|z| > 2}$`, 'an absolute-value relation as a union'),
  no(r`(-\infty,-2)\cup(2,\infty)`, r`$\boxed{|z| \ge 2}$`, 'closed ends differ'),
];

export const largeKGroups: { name: string; cases: RegressionCase[] }[] = [
  { name: 'run-ons', cases: runOnCases },
  { name: 'revisions', cases: revisionCases },
  { name: 'approximations', cases: approximationCases },
  { name: 'bases and forms', cases: formCases },
  { name: 'truncation', cases: truncationCases },
  { name: 'prose, lists, choices', cases: proseCases },
  { name: 'forms other verifiers miss', cases: formMissCases },
];
