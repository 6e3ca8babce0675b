import { no, yes, type RegressionCase } from './regression-case.ts';

const r = String.raw;

/** Matrices and vectors in the environments people use, compared entry by entry. */
export const matrixCases: RegressionCase[] = [
  yes(r`\begin{pmatrix} 2 & 0 \\ 1 & 3 \end{pmatrix}`, r`\boxed{\begin{bmatrix} 2 & 0 \\ 1 & 3 \end{bmatrix}}`, 'pmatrix against bmatrix'),
  yes(r`\begin{pmatrix} 2 & 0 \\ 1 & 3 \end{pmatrix}`, r`$\left[\begin{array}{cc} 2 & 0 \\ 1 & 3 \end{array}\right]$`, 'an array in brackets is a matrix'),
  yes(r`\begin{bmatrix} 2 & 0 \\ 1 & 3 \end{bmatrix}`, r`$$\left(\begin{array}{rr} 2 & 0 \\ 1 & 3 \end{array}\right)$$`, 'an array in parentheses with column alignment'),
  no(r`\begin{pmatrix} 2 & 0 \\ 1 & 3 \end{pmatrix}`, r`\boxed{\begin{pmatrix} 2 & 1 \\ 0 & 3 \end{pmatrix}}`, 'the transpose is a different matrix'),
  no(r`\begin{pmatrix} 2 & 0 \\ 1 & 3 \end{pmatrix}`, r`\boxed{\begin{pmatrix} 2 & 0 \\ 1 & 4 \end{pmatrix}}`, 'one entry differs'),
  no(r`\begin{pmatrix} 2 & 0 \\ 1 & 3 \end{pmatrix}`, r`\boxed{\begin{pmatrix} 2 & 0 & 0 \\ 1 & 3 & 0 \end{pmatrix}}`, 'a different size'),
  yes(r`\begin{pmatrix} \frac{1}{2} & -\frac{3}{4} \\ 0 & 1 \end{pmatrix}`, r`\boxed{\begin{pmatrix} 0.5 & -0.75 \\ 0 & 1 \end{pmatrix}}`, 'entries compared by value'),
  yes(r`\begin{pmatrix} \cos\theta & -\sin\theta \\ \sin\theta & \cos\theta \end{pmatrix}`, r`\boxed{\begin{pmatrix} \cos(\theta) & -\sin(\theta) \\ \sin(\theta) & \cos(\theta) \end{pmatrix}}`, 'symbolic entries with and without parentheses'),
  yes(r`\begin{pmatrix} \frac{1}{3x^{2/3}} & 0 \\ 0 & 1 \end{pmatrix}`, r`\boxed{\begin{pmatrix} \frac{1}{3\sqrt[3]{x^2}} & 0 \\ 0 & 1 \end{pmatrix}}`, 'symbolic entries equal as functions'),
  no(r`\begin{pmatrix} x & 1 \\ 0 & x \end{pmatrix}`, r`\boxed{\begin{pmatrix} x & 1 \\ 0 & 2x \end{pmatrix}}`, 'a symbolic entry differs'),
  yes(r`\begin{pmatrix} 3 \\ -1 \\ 2 \end{pmatrix}`, r`\boxed{\begin{pmatrix}3\\-1\\2\end{pmatrix}}`, 'a column vector with no spaces'),
  yes(r`\begin{pmatrix} 3 \\ -1 \\ 2 \end{pmatrix}`, r`\boxed{(3, -1, 2)}`, 'a column vector written as a tuple (lenient)'),
  no(r`\begin{pmatrix} 3 \\ -1 \\ 2 \end{pmatrix}`, r`\boxed{(3, -1, 2)}`, 'strict: a matrix answer must be a matrix', { mode: 'strict' }),
  no(r`\begin{pmatrix} 3 \\ -1 \\ 2 \end{pmatrix}`, r`\boxed{(3, 2, -1)}`, 'a tuple in another order'),
  yes(r`\begin{pmatrix} 3 \\ -1 \\ 2 \end{pmatrix}`, r`The vector is $\langle 3, -1, 2 \rangle$.`, 'angle brackets for a vector'),
  yes(r`\begin{pmatrix} -1/3 \\ 2/3 \end{pmatrix}`, r`\boxed{\begin{pmatrix} -\frac{1}{3} \\ \frac{2}{3} \end{pmatrix}}`, 'slash fractions against \\frac entries'),
  yes(r`\begin{pmatrix} 1 & 0 \\ 0 & 1 \end{pmatrix}`, r`The identity: $\begin{pmatrix}1&0\\0&1\end{pmatrix}$.`, 'a matrix in inline math'),
  yes(r`\begin{vmatrix} 1 & 2 \\ 3 & 4 \end{vmatrix}`, r`\boxed{\begin{vmatrix} 1 & 2 \\ 3 & 4 \end{vmatrix}}`, 'vmatrix as written'),
  no(r`\begin{pmatrix} 1 & 2 \\ 3 & 4 \end{pmatrix}`, r`\boxed{\begin{pmatrix} 1 & 2 \\ 3 & 4 \end{pmatrix} + \begin{pmatrix} 0 & 0 \\ 0 & 1 \end{pmatrix}}`, 'a sum of matrices is not read as its first term'),
  yes(r`\begin{pmatrix} 3 & 2 \\ 1 & 5 \end{pmatrix}`, r`$\begin{pmatrix} 1 & 2 \\ 0 & 1 \end{pmatrix} + \begin{pmatrix} 2 & 0 \\ 1 & 4 \end{pmatrix}$`, 'a sum of matrices is the matrix it computes'),
  yes(r`\begin{pmatrix} 1 & -1 \\ 0 & 2 \end{pmatrix}`, r`$\begin{bmatrix} 3 & 0 \\ 1 & 2 \end{bmatrix} - \begin{bmatrix} 2 & 1 \\ 1 & 0 \end{bmatrix}$`, 'a difference of matrices'),
  yes(r`\begin{pmatrix} 2 & 1 \\ 4 & 3 \end{pmatrix}`, r`$\begin{pmatrix} 0 & 1 \\ 1 & 0 \end{pmatrix} \begin{pmatrix} 4 & 3 \\ 2 & 1 \end{pmatrix}$`, 'a product of matrices (a row swap)'),
  no(r`\begin{pmatrix} 2 & 1 \\ 4 & 3 \end{pmatrix}`, r`$\begin{pmatrix} 4 & 3 \\ 2 & 1 \end{pmatrix} \begin{pmatrix} 0 & 1 \\ 1 & 0 \end{pmatrix}$`, 'the product in the other order swaps columns instead'),
  yes(r`\begin{pmatrix} 2 & 4 \\ 6 & 8 \end{pmatrix}`, r`$2\begin{pmatrix} 1 & 2 \\ 3 & 4 \end{pmatrix}$`, 'a scalar multiple of a matrix'),
  yes(r`\begin{pmatrix} 0.2 \\ 0.33 \end{pmatrix}`, r`\boxed{\begin{pmatrix} \frac{1}{5} \\ \frac{1}{3} \end{pmatrix}}`, 'entries rounded to two places with digits = 2', { digits: 2 }),
];
