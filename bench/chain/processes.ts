/**
 * The processes a run of the real chain starts and the directories it leaves: each long-running
 * server in a process group of its own, every one stopped by `cleanup()` whatever happened, and only
 * then the directories removed.
 */
import { type ChildProcess, execFile, spawn } from "node:child_process";
import * as fs from "node:fs";
import * as net from "node:net";
import * as path from "node:path";

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** A TCP port on 127.0.0.1 that nothing listened on a moment ago. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const addr = srv.address();
      const port = typeof addr === "object" && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

/** Polls `check` until it returns a truthy value; fails naming `what` (and the last error) after `timeoutMs`. */
export async function waitFor<T>(what: string, check: () => Promise<T | undefined | false>, timeoutMs = 20000, everyMs = 200): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const v = await check();
      if (v) return v;
    } catch (e) {
      lastError = e;
    }
    if (Date.now() > deadline) {
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${lastError ? `; last error: ${String(lastError)}` : ""}`);
    }
    await sleep(everyMs);
  }
}

/** The last 3,000 characters of a log file, or "" when there is none yet. */
export const readLog = (file: string): string => (fs.existsSync(file) ? fs.readFileSync(file, "utf8").slice(-3000) : "");

/** The first executable called `name` on $PATH, or undefined. */
export function onPath(name: string): string | undefined {
  for (const dir of (process.env.PATH ?? "").split(path.delimiter)) {
    const file = path.join(dir, name);
    try {
      fs.accessSync(file, fs.constants.X_OK);
      if (fs.statSync(file).isFile()) return file;
    } catch {
      // not here
    }
  }
  return undefined;
}

/** A user to run a child as; a root parent hands PostgreSQL's servers to `postgres` this way. */
export interface RunAs {
  readonly uid: number;
  readonly gid: number;
}

export interface StartOptions {
  /** @default - this process's environment */
  readonly env?: NodeJS.ProcessEnv;
  /** @default - this process's working directory */
  readonly cwd?: string;
  /** @default - this process's user */
  readonly runAs?: RunAs;
  /** The signal that stops it cleanly (PostgreSQL's fast shutdown is SIGINT). @default "SIGTERM" */
  readonly stopSignal?: NodeJS.Signals;
}

export interface RunOptions {
  readonly env?: NodeJS.ProcessEnv;
  readonly cwd?: string;
  readonly runAs?: RunAs;
  /** @default 120000 */
  readonly timeoutMs?: number;
}

interface Started {
  readonly proc: ChildProcess;
  readonly stopSignal: NodeJS.Signals;
}

const exited = (p: ChildProcess): boolean => p.exitCode !== null || p.signalCode !== null;

/** Sends `sig` to the process's group when it leads one (started detached), else to the process. */
function signalGroup(p: ChildProcess, sig: NodeJS.Signals): void {
  const pid = p.pid as number;
  try {
    process.kill(-pid, sig);
  } catch {
    try {
      process.kill(pid, sig);
    } catch {
      // gone meanwhile
    }
  }
}

/** `stopSignal` to the process, SIGKILL to its group 5 s later; resolves once it has exited. */
async function stop({ proc, stopSignal }: Started): Promise<void> {
  if (proc.pid === undefined || exited(proc)) return;
  const done = new Promise((resolve) => proc.once("exit", resolve));
  try {
    process.kill(proc.pid, stopSignal);
  } catch {
    // gone meanwhile
  }
  const timer = setTimeout(() => signalGroup(proc, "SIGKILL"), 5000);
  await done;
  clearTimeout(timer);
}

/** Every process one run starts, and the directories to remove after them. */
export class Processes {
  private readonly started: Started[] = [];
  private readonly dirs: string[] = [];

  /** Starts `command` in its own process group, its output appended to `log`; does not wait. */
  start(command: string, args: readonly string[], log: string, opts: StartOptions = {}): ChildProcess {
    const fd = fs.openSync(log, "a");
    if (opts.runAs) fs.fchownSync(fd, opts.runAs.uid, opts.runAs.gid);
    const proc = spawn(command, args, {
      detached: true,
      stdio: ["ignore", fd, fd],
      env: opts.env ?? process.env,
      cwd: opts.cwd,
      uid: opts.runAs?.uid,
      gid: opts.runAs?.gid,
    });
    fs.closeSync(fd);
    this.started.push({ proc, stopSignal: opts.stopSignal ?? "SIGTERM" });
    return proc;
  }

  /** Runs a program to completion (stopped by `cleanup()` if still running); rejects with its stderr on failure. */
  run(command: string, args: readonly string[], opts: RunOptions = {}): Promise<string> {
    return new Promise((resolve, reject) => {
      const proc = execFile(
        command,
        args,
        {
          cwd: opts.cwd,
          env: opts.env ?? process.env,
          uid: opts.runAs?.uid,
          gid: opts.runAs?.gid,
          timeout: opts.timeoutMs ?? 120000,
          maxBuffer: 64 * 1024 * 1024,
        },
        (err, stdout, stderr) => (err ? reject(new Error(`${command} ${args.join(" ")}: ${stderr || err.message}`)) : resolve(stdout)),
      );
      this.started.push({ proc, stopSignal: "SIGTERM" });
    });
  }

  /** Removes `dir` in `cleanup()`, once every process has stopped. */
  removeLater(dir: string): void {
    this.dirs.push(dir);
  }

  /** Stops every process, the last started first, then removes the directories; safe after any failure. */
  async cleanup(): Promise<void> {
    for (const s of this.started.splice(0).reverse()) await stop(s);
    for (const dir of this.dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
  }
}
