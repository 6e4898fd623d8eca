import { ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

const MAIN = join(__dirname, '../../dist/main.js');

export interface AppProcess {
  url: string;
  proc: ChildProcess;
  output(): string;
  /** SIGTERM, then SIGKILL if still alive after the grace period; resolves with the exit code. */
  stop(graceMs?: number): Promise<number | null>;
}

/** Runs the built app as its own process, as a user would, and waits until it listens. */
export async function startAppProcess(
  env: Record<string, string>,
  timeoutMs = 45_000,
): Promise<AppProcess> {
  if (!existsSync(MAIN)) throw new Error('dist/main.js is missing: run `npm run build` first');
  const proc = spawn(process.execPath, [MAIN], {
    env: { PATH: process.env.PATH ?? '', PORT: '0', LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  proc.stdout.on('data', (d: Buffer) => (output += d.toString()));
  proc.stderr.on('data', (d: Buffer) => (output += d.toString()));
  const exited = new Promise<number | null>((resolve) =>
    proc.once('exit', (code) => resolve(code)),
  );

  const stop = async (graceMs = 12_000) => {
    if (proc.exitCode !== null || proc.signalCode !== null) return proc.exitCode;
    proc.kill('SIGTERM');
    const timer = setTimeout(() => proc.kill('SIGKILL'), graceMs);
    const code = await exited;
    clearTimeout(timer);
    return code;
  };

  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => {
      void stop(1_000);
      reject(new Error(`app did not start within ${timeoutMs} ms:\n${output}`));
    }, timeoutMs);
    const check = () => {
      const match = /Listening on (http:\/\/\S+?)"/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    };
    proc.stdout.on('data', check);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`app exited with ${code} before listening:\n${output}`));
    });
  });
  return { url, proc, output: () => output, stop };
}
