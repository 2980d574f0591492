// A tiny shell process that outlives us: if the Node process that started a kube env dies
// without calling stop() (kill -9, a crashed test runner), it stops the servers and removes the
// temp dirs, so no etcd/apiserver is left running on a shared machine.
//
// It blocks reading a pipe whose write end only we hold: the kernel closes it when we die (EOF),
// so there is no polling and no child process while it waits. "dismiss" ends it quietly.
import { spawn } from 'node:child_process';
import { appendFileSync } from 'node:fs';
import type { Socket } from 'node:net';

// POSIX sh (dash): its kill takes no `--`; a negative pid addresses a process group.
const SCRIPT = `
groups="$1"; shift
read -r line
[ "$line" = dismiss ] && exit 0
for g in $(cat "$groups" 2>/dev/null); do kill -TERM "-$g" 2>/dev/null; done
sleep 3
for g in $(cat "$groups" 2>/dev/null); do kill -KILL "-$g" 2>/dev/null; done
rm -rf "$@"
`;

export interface Watchdog {
  /** Records a process group the watchdog must kill. */
  guard(pgid: number): void;
  /** Normal shutdown: the owner cleaned up itself. */
  dismiss(): void;
}

export function startWatchdog(groupsFile: string, removeOnOrphan: string[]): Watchdog {
  appendFileSync(groupsFile, '');
  const child = spawn('sh', ['-c', SCRIPT, 'tars-kube-env-watchdog', groupsFile, ...removeOnOrphan], {
    detached: true,
    stdio: ['pipe', 'ignore', 'ignore'],
  });
  child.unref();
  // The pipe must not keep our event loop alive (it is a net.Socket at run time).
  (child.stdin as unknown as Socket).unref();
  child.stdin.on('error', () => {}); // EPIPE if it already went away
  return {
    guard: (pgid) => appendFileSync(groupsFile, `${pgid}\n`),
    dismiss: () => {
      child.stdin.end('dismiss\n');
    },
  };
}
