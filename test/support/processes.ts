import { ChildProcess, spawn } from 'node:child_process';

const STOP_GRACE_MS = 2_000;
const KILL_WAIT_MS = 5_000;
const LOG_TAIL_CHARS = 4_000;

/** A child process a test started, with the tail of its output for error messages. */
export interface Tracked {
  name: string;
  proc: ChildProcess;
  pid: number;
  exited: Promise<void>;
  log(): string;
}

/** Neither exited nor killed by a signal (yet). */
export const isAlive = (proc: ChildProcess) => proc.exitCode === null && proc.signalCode === null;

export const isRunning = (t: Tracked) => isAlive(t.proc);

/** Whether `promise` settles within `ms` (it is not cancelled otherwise). */
export async function settlesWithin(promise: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), ms)));
  const settled = promise.then(
    () => true,
    () => true,
  );
  const done = await Promise.race([settled, timeout]);
  clearTimeout(timer);
  return done;
}

/** Starts `command`; rejects (rather than emitting 'error' later) when it cannot be started. */
export async function spawnTracked(
  name: string,
  command: string,
  args: string[],
  cwd: string,
): Promise<Tracked> {
  const proc = spawn(command, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  const pid = proc.pid;
  if (pid === undefined) {
    // spawn reports a missing binary asynchronously, through 'error'
    const error = await new Promise<Error>((resolve) => proc.once('error', resolve));
    throw new Error(`could not start ${command}: ${error.message}`);
  }
  let output = '';
  const append = (text: string) => (output = (output + text).slice(-LOG_TAIL_CHARS));
  proc.stdout?.on('data', (chunk: Buffer) => append(chunk.toString()));
  proc.stderr?.on('data', (chunk: Buffer) => append(chunk.toString()));
  // An unhandled 'error' on a child would crash the test process; keep it for the log instead.
  proc.on('error', (error) => append(`\n[${error.message}]\n`));
  const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
  return { name, proc, pid, exited, log: () => output };
}

function signal(t: Tracked, sig: NodeJS.Signals): void {
  // Only signal a pid we know is still our child, never a recycled one.
  if (!isRunning(t)) return;
  try {
    process.kill(t.pid, sig);
  } catch {
    // it exited between the check and the signal
  }
}

export async function exitedWithin(t: Tracked, ms: number): Promise<boolean> {
  await settlesWithin(t.exited, ms);
  return !isRunning(t);
}

/** SIGKILL, as a crash; throws if the process is somehow still there afterwards. */
export async function kill(t: Tracked): Promise<void> {
  signal(t, 'SIGKILL');
  if (!(await exitedWithin(t, KILL_WAIT_MS))) throw new Error(`${t.name} survived SIGKILL`);
}

/** SIGTERM, then SIGKILL after a short grace period. */
export async function terminate(t: Tracked): Promise<void> {
  signal(t, 'SIGTERM');
  if (await exitedWithin(t, STOP_GRACE_MS)) return;
  signal(t, 'SIGKILL');
  if (!(await exitedWithin(t, KILL_WAIT_MS))) {
    throw new Error(`${t.name} (pid ${t.pid}) survived SIGKILL`);
  }
}
