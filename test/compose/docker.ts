import { execFile } from 'node:child_process';

const MAX_OUTPUT = 64 * 1024 * 1024;

export interface RunOptions {
  timeoutMs: number;
  env?: NodeJS.ProcessEnv;
  cwd?: string;
}

/**
 * Runs a command to its end (killed at the deadline) and resolves with its stdout; a failure
 * names the command and the tail of what it printed.
 */
export function run(cmd: string, args: string[], options: RunOptions): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(
      cmd,
      args,
      {
        timeout: options.timeoutMs,
        killSignal: 'SIGKILL',
        maxBuffer: MAX_OUTPUT,
        env: options.env ?? process.env,
        cwd: options.cwd,
        encoding: 'utf8',
      },
      (error, stdout, stderr) => {
        if (!error) return resolve(stdout);
        const tail = `${stdout}\n${stderr}`.trim().split('\n').slice(-30).join('\n');
        const why = error.killed ? `timed out after ${options.timeoutMs} ms` : error.message;
        reject(new Error(`${cmd} ${args.join(' ')}: ${why}\n${tail}`));
      },
    );
  });
}

/** Whether the command runs and exits 0 (within `timeoutMs`). */
export const succeeds = (cmd: string, args: string[], timeoutMs = 15_000) =>
  run(cmd, args, { timeoutMs }).then(
    () => true,
    () => false,
  );

const DOCKER_TIMEOUT_MS = 60_000;

/** The docker CLI, bounded; most calls answer in well under a second. */
export const docker = (args: string[], timeoutMs = DOCKER_TIMEOUT_MS) =>
  run('docker', args, { timeoutMs });
