/**
 * A seccomp filter for the sandbox (bubblewrap's `--seccomp FD` loads it as the last step
 * before running the judge, so the judge and every completion run under it). It refuses,
 * with EPERM, the system calls a Python test program never needs and an escape or an
 * attack on the judge would: reading or writing another process (ptrace, process_vm_*),
 * kernel keyrings, bpf, perf, userfaultfd, io_uring, namespaces and mounts, modules and
 * kexec, swap and reboot, handle-based opens. Calls of another ABI (i386 `int 0x80`, x32)
 * are refused outright, since their numbers differ and would slip past the list.
 */
import { arch } from 'node:os';

const BPF_LD_W_ABS = 0x20;
const BPF_JEQ_K = 0x15;
const BPF_JGE_K = 0x35;
const BPF_RET_K = 0x06;
const SECCOMP_RET_ALLOW = 0x7fff0000;
const SECCOMP_RET_ERRNO = 0x00050000;
const EPERM = 1;
const ENOSYS = 38;
const X32_SYSCALL_BIT = 0x40000000;

const DENIED = [
  'ptrace', 'process_vm_readv', 'process_vm_writev', 'kcmp', 'perf_event_open', 'bpf', 'userfaultfd',
  'keyctl', 'add_key', 'request_key', 'mount', 'umount2', 'pivot_root', 'unshare', 'setns',
  'fsopen', 'fsmount', 'move_mount', 'open_tree', 'mount_setattr', 'kexec_load', 'kexec_file_load',
  'init_module', 'finit_module', 'delete_module', 'swapon', 'swapoff', 'reboot',
  'io_uring_setup', 'io_uring_enter', 'io_uring_register', 'open_by_handle_at', 'name_to_handle_at',
] as const;
type Denied = (typeof DENIED)[number];

/** Numbers from the kernel's uapi headers (asm/unistd_64.h; asm-generic/unistd.h for arm64). */
const TABLES: Record<string, { audit: number; x32: boolean; numbers: Record<Denied, number> }> = {
  x64: {
    audit: 0xc000003e,
    x32: true,
    numbers: {
      ptrace: 101, process_vm_readv: 310, process_vm_writev: 311, kcmp: 312, perf_event_open: 298, bpf: 321, userfaultfd: 323,
      keyctl: 250, add_key: 248, request_key: 249, mount: 165, umount2: 166, pivot_root: 155, unshare: 272, setns: 308,
      fsopen: 430, fsmount: 432, move_mount: 429, open_tree: 428, mount_setattr: 442, kexec_load: 246, kexec_file_load: 320,
      init_module: 175, finit_module: 313, delete_module: 176, swapon: 167, swapoff: 168, reboot: 169,
      io_uring_setup: 425, io_uring_enter: 426, io_uring_register: 427, open_by_handle_at: 304, name_to_handle_at: 303,
    },
  },
  arm64: {
    audit: 0xc00000b7,
    x32: false,
    numbers: {
      ptrace: 117, process_vm_readv: 270, process_vm_writev: 271, kcmp: 272, perf_event_open: 241, bpf: 280, userfaultfd: 282,
      keyctl: 219, add_key: 217, request_key: 218, mount: 40, umount2: 39, pivot_root: 41, unshare: 97, setns: 268,
      fsopen: 430, fsmount: 432, move_mount: 429, open_tree: 428, mount_setattr: 442, kexec_load: 104, kexec_file_load: 294,
      init_module: 105, finit_module: 273, delete_module: 106, swapon: 224, swapoff: 225, reboot: 142,
      io_uring_setup: 425, io_uring_enter: 426, io_uring_register: 427, open_by_handle_at: 265, name_to_handle_at: 264,
    },
  },
};

/** The compiled filter (struct sock_filter[], little-endian) for this machine, or null where no table exists. */
export function seccompFilter(machine: string = arch()): Buffer | null {
  const table = TABLES[machine];
  if (!table) return null;
  const program: [code: number, jt: number, jf: number, k: number][] = [];
  const denied = DENIED.map((name) => table.numbers[name]);
  // Offsets into struct seccomp_data: nr at 0, arch at 4.
  program.push([BPF_LD_W_ABS, 0, 0, 4]);
  program.push([BPF_JEQ_K, 1, 0, table.audit]);
  program.push([BPF_RET_K, 0, 0, SECCOMP_RET_ERRNO | ENOSYS]);
  program.push([BPF_LD_W_ABS, 0, 0, 0]);
  if (table.x32) {
    program.push([BPF_JGE_K, 0, 1, X32_SYSCALL_BIT]);
    program.push([BPF_RET_K, 0, 0, SECCOMP_RET_ERRNO | ENOSYS]);
  }
  // Each denied number jumps to the EPERM return after the list; anything else falls to ALLOW.
  denied.forEach((nr, i) => program.push([BPF_JEQ_K, denied.length - i, 0, nr]));
  program.push([BPF_RET_K, 0, 0, SECCOMP_RET_ALLOW]);
  program.push([BPF_RET_K, 0, 0, SECCOMP_RET_ERRNO | EPERM]);
  const out = Buffer.alloc(program.length * 8);
  program.forEach(([code, jt, jf, k], i) => {
    out.writeUInt16LE(code, i * 8);
    out.writeUInt8(jt, i * 8 + 2);
    out.writeUInt8(jf, i * 8 + 3);
    out.writeUInt32LE(k >>> 0, i * 8 + 4);
  });
  return out;
}
