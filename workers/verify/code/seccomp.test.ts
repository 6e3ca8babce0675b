import { describe, expect, it } from 'vitest';
import { seccompFilter } from './seccomp.ts';

/** Runs a classic-BPF seccomp program on (arch, nr), as the kernel would; only the opcodes the filter uses. */
function evaluate(program: Buffer, arch: number, nr: number): number {
  let a = 0;
  for (let pc = 0; pc < program.length / 8;) {
    const at = pc * 8;
    const [code, jt, jf, k] = [program.readUInt16LE(at), program.readUInt8(at + 2), program.readUInt8(at + 3), program.readUInt32LE(at + 4)];
    if (code === 0x20) a = k === 4 ? arch : k === 0 ? nr : NaN;
    else if (code === 0x15) pc += a === k ? jt : jf;
    else if (code === 0x35) pc += a >= k ? jt : jf;
    else if (code === 0x06) return k;
    else throw new Error(`opcode ${code}`);
    pc++;
  }
  throw new Error('fell off the end');
}

const ALLOW = 0x7fff0000;
const EPERM = 0x00050001;
const ENOSYS = 0x00050026;

describe('the seccomp filter', () => {
  it('refuses the listed calls with EPERM and allows the rest (x86-64)', () => {
    const f = seccompFilter('x64')!;
    const x64 = 0xc000003e;
    // ptrace, process_vm_writev, unshare, io_uring_setup, bpf, mount
    for (const nr of [101, 311, 272, 425, 321, 165]) expect(evaluate(f, x64, nr)).toBe(EPERM);
    // read, write, openat, clone, execve, mmap, wait4, kill
    for (const nr of [0, 1, 257, 56, 59, 9, 61, 62]) expect(evaluate(f, x64, nr)).toBe(ALLOW);
    // x32 numbering and the i386 ABI would slip past the list: refused whole.
    expect(evaluate(f, x64, 0x40000000 + 101)).toBe(ENOSYS);
    expect(evaluate(f, 0x40000003, 26)).toBe(ENOSYS);
  });

  it('uses arm64 numbers on arm64', () => {
    const f = seccompFilter('arm64')!;
    const arm64 = 0xc00000b7;
    for (const nr of [117, 271, 97]) expect(evaluate(f, arm64, nr)).toBe(EPERM); // ptrace, process_vm_writev, unshare
    for (const nr of [63, 64, 56, 220, 221]) expect(evaluate(f, arm64, nr)).toBe(ALLOW); // read, write, openat, clone, execve
    expect(evaluate(f, 0xc000003e, 101)).toBe(ENOSYS);
  });

  it('has none for a CPU without a table', () => {
    expect(seccompFilter('riscv64')).toBeNull();
  });
});
