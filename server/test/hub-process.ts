import { spawn, type ChildProcess } from 'node:child_process';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

/** A real hub process (`server/src/main.ts`), as a deployment runs it. */
export interface HubProcess {
  url: string;
  pid: number;
  /** Everything it printed, for failure messages. */
  output(): string;
  /** SIGKILL: the process dies at once, mid-whatever, as on a power cut or an OOM kill. */
  kill(): Promise<void>;
  /** SIGTERM and wait: the clean stop. */
  stop(): Promise<void>;
}

/** Starts a hub on a free port with open auth and waits for it to print its wall URL. */
export async function startHubProcess(
  env: { REDIS_URL: string; EGRET_NS: string; HUB_ID: string },
  timeoutMs = 30_000,
): Promise<HubProcess> {
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', 'server/src/main.ts'], {
    cwd: ROOT,
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', EGRET_AUTH: 'open', LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  const url = await new Promise<string>((ok, fail) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL'); // a hub that never came up must not outlive the test
      fail(new Error(`hub ${env.HUB_ID} did not start within ${timeoutMs} ms:\n${out}`));
    }, timeoutMs);
    const keep = (b: Buffer) => {
      out = (out + b.toString()).slice(-20_000);
      const m = out.match(/wall at http:\/\/([^/\s]+)\/wall/);
      if (m) {
        clearTimeout(timer);
        ok(`http://${m[1]}`);
      }
    };
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    child.once('exit', (code) => {
      clearTimeout(timer);
      fail(new Error(`hub ${env.HUB_ID} exited (${code}) before it was ready:\n${out}`));
    });
  });
  const gone = () => child.exitCode !== null || child.signalCode !== null;
  return {
    url,
    pid: child.pid!,
    output: () => out,
    async kill() {
      if (gone()) return;
      child.kill('SIGKILL');
      await exited;
    },
    async stop() {
      if (gone()) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    },
  };
}
