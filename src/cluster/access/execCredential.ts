/**
 * Exec credential plugins (kubeconfig `users[].user.exec`), run here instead of by client-node.
 * client-node 1.4's ExecAuth spawns the plugin with no timeout and no way to cancel it, and caches
 * only credentials that carry an expiry, so a hanging plugin hung every request and a plugin without
 * `expirationTimestamp` ran once per request. Here:
 * - each wait for a credential ends at the request's deadline or when its AbortSignal fires; a run
 *   nobody waits for any more, or older than the request timeout, is killed with its whole process
 *   group (a plugin is often a script whose children hold its pipes open);
 * - concurrent requests share one run;
 * - a credential is reused until its expirationTimestamp, or for the rest of the poll when it has
 *   none; a failure is reused for the rest of the poll (the plugin is not run again per request).
 * The plugin's output (stdout, stderr) is never put into a sentence: it may hold secrets.
 */
import { spawn, type ChildProcess } from 'node:child_process';

/** The kubeconfig's `exec` stanza, as client-node reads it. */
export interface ExecConfig {
  command: string;
  args?: string[] | null;
  env?: { name: string; value: string }[] | null;
  apiVersion?: string;
}

export interface ExecCredential {
  token: string | null;
  /** PEM client certificate and key, when the plugin gives them. */
  cert: string | null;
  key: string | null;
  /** Epoch ms; null when the plugin gave no (valid) expirationTimestamp. */
  expiresAt: number | null;
}

/** `failed` carries what happened in words safe to show ("exited with code 1"), never the plugin's output. */
export type ExecOutcome =
  | { ok: true; credential: ExecCredential }
  | { ok: false; why: 'timeout' }
  | { ok: false; why: 'stopped' }
  | { ok: false; why: 'failed'; detail: string };

const TIMEOUT: ExecOutcome = { ok: false, why: 'timeout' };
const STOPPED: ExecOutcome = { ok: false, why: 'stopped' };
const failed = (detail: string): ExecOutcome => ({ ok: false, why: 'failed', detail });

/** An ExecCredential is a few KiB; more is not one. */
const MAX_OUTPUT = 1024 * 1024;

/** The `exec` stanza of a client-node user (also the legacy auth-provider form), or null. */
export function execConfigOf(
  user:
    { exec?: unknown; authProvider?: { name?: string; config?: Record<string, unknown> } | null } | null | undefined,
): ExecConfig | null {
  const raw = (user?.exec ?? user?.authProvider?.config?.exec ?? null) as Partial<ExecConfig> | null;
  if (!raw || typeof raw !== 'object') return null;
  return {
    command: typeof raw.command === 'string' ? raw.command : '',
    args: Array.isArray(raw.args) ? raw.args.map(String) : null,
    env: Array.isArray(raw.env)
      ? raw.env
          .filter((e) => e && typeof e.name === 'string')
          .map((e) => ({ name: e.name, value: String(e.value ?? '') }))
      : null,
    apiVersion: typeof raw.apiVersion === 'string' ? raw.apiVersion : undefined,
  };
}

export function parseCredential(text: string): ExecOutcome {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    return failed('did not print an ExecCredential (JSON)');
  }
  const status = v && typeof v === 'object' ? (v as { status?: unknown }).status : undefined;
  if (!status || typeof status !== 'object') return failed('printed an ExecCredential without status');
  const s = status as Record<string, unknown>;
  const str = (x: unknown): string | null => (typeof x === 'string' && x !== '' ? x : null);
  const token = str(s.token);
  const cert = str(s.clientCertificateData);
  const key = str(s.clientKeyData);
  if (!token && !(cert && key))
    return failed('printed an ExecCredential with neither a token nor a client certificate and key');
  const exp = typeof s.expirationTimestamp === 'string' ? Date.parse(s.expirationTimestamp) : NaN;
  return { ok: true, credential: { token, cert, key, expiresAt: Number.isFinite(exp) ? exp : null } };
}

// Plugin process groups still running, killed when this process exits or is interrupted (Ctrl-C
// no longer reaches a plugin that has its own process group).
const live = new Set<() => void>();
const SIGNALS: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];
const onExit = (): void => killPluginRuns();
const onSignal = (sig: NodeJS.Signals): void => {
  killPluginRuns();
  // Then die of the signal as if this handler were not there.
  for (const s of SIGNALS) process.removeListener(s, onSignal);
  process.kill(process.pid, sig);
};
let installed: NodeJS.Signals[] = [];

function track(kill: () => void): void {
  live.add(kill);
  if (live.size !== 1) return;
  process.on('exit', onExit);
  // Only where nobody else handles the signal (the CLI): a host that does (VS Code) keeps its own behaviour.
  installed = SIGNALS.filter((s) => process.listenerCount(s) === 0);
  for (const s of installed) process.on(s, onSignal);
}

function untrack(kill: () => void): void {
  if (!live.delete(kill) || live.size !== 0) return;
  process.removeListener('exit', onExit);
  for (const s of installed) process.removeListener(s, onSignal);
  installed = [];
}

/** Kills every plugin run still going (their waiters get `stopped`). */
export function killPluginRuns(): void {
  for (const kill of [...live]) kill();
}

function killGroup(child: ChildProcess | undefined, ownGroup: boolean): void {
  if (child?.pid === undefined) return;
  try {
    if (ownGroup) process.kill(-child.pid, 'SIGKILL');
    else child.kill('SIGKILL');
  } catch {
    // Already gone.
  }
  child.stdout?.destroy();
  child.stderr?.destroy();
}

interface Run {
  result: Promise<ExecOutcome>;
  waiters: number;
  /** Kills the plugin; its waiters get `outcome` (a timeout is kept for the poll, a cancel is not). */
  stop(outcome: ExecOutcome): void;
}

/** The credentials of one kube context's exec plugin. */
export class ExecCredentialSource {
  private poll = 0;
  private cached: { credential: ExecCredential; poll: number; perPoll: boolean } | null = null;
  private failure: { outcome: ExecOutcome; poll: number } | null = null;
  private run: Run | null = null;
  /** A credential the API server rejected in this poll: the rest of the poll reuses it (one run per poll). */
  private rejectedIn: { credential: ExecCredential; poll: number } | null = null;

  constructor(
    readonly exec: ExecConfig,
    private readonly timeoutMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** A new poll begins: a credential without expiry, and a failure, are not reused across it. */
  beginPoll(): void {
    this.poll++;
  }

  /**
   * The API server rejected `credential`: the next poll runs the plugin again; requests still queued in
   * this poll get the same answer (401) without another run.
   */
  rejected(credential: ExecCredential): void {
    if (this.cached?.credential === credential) {
      this.cached = null;
      this.rejectedIn = { credential, poll: this.poll };
    }
  }

  /** A credential, or why not, by `deadline` (epoch ms) or when `signal` fires, whichever is first. */
  get(deadline: number, signal?: AbortSignal): Promise<ExecOutcome> {
    if (signal?.aborted) return Promise.resolve(STOPPED);
    const c = this.cached;
    if (c && (c.perPoll ? c.poll === this.poll : this.now() < c.credential.expiresAt!))
      return Promise.resolve({ ok: true, credential: c.credential });
    if (this.failure && this.failure.poll === this.poll) return Promise.resolve(this.failure.outcome);
    if (this.rejectedIn?.poll === this.poll)
      return Promise.resolve({ ok: true, credential: this.rejectedIn.credential });
    const run = (this.run ??= this.start());
    run.waiters++;
    return new Promise<ExecOutcome>((resolve) => {
      let settled = false;
      const finish = (o: ExecOutcome, leaving: boolean): void => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        run.waiters--;
        if (leaving && run.waiters === 0) run.stop(o);
        resolve(o);
      };
      const timer = setTimeout(() => finish(TIMEOUT, true), Math.max(0, deadline - this.now()));
      const onAbort = (): void => finish(STOPPED, true);
      signal?.addEventListener('abort', onAbort, { once: true });
      void run.result.then((o) => finish(o, false));
    });
  }

  private start(): Run {
    const poll = this.poll;
    const ownGroup = process.platform !== 'win32';
    let settle: (o: ExecOutcome) => void = () => undefined;
    const run: Run = { result: new Promise<ExecOutcome>((r) => (settle = r)), waiters: 0, stop: () => undefined };
    let child: ChildProcess | undefined;
    let done = false;
    const end = (o: ExecOutcome): void => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      untrack(kill);
      if (this.run === run) this.run = null;
      if (o.ok) {
        const exp = o.credential.expiresAt;
        this.cached = { credential: o.credential, poll, perPoll: exp === null || exp <= this.now() };
      } else if (o.why !== 'stopped') this.failure = { outcome: o, poll };
      settle(o);
    };
    run.stop = (o) => {
      killGroup(child, ownGroup);
      end(o);
    };
    const kill = (): void => run.stop(STOPPED);
    const timer = setTimeout(() => {
      killGroup(child, ownGroup);
      end(TIMEOUT);
    }, this.timeoutMs);
    if (!this.exec.command) {
      end(failed('has no command'));
      return run;
    }
    const env: NodeJS.ProcessEnv = { ...process.env };
    for (const e of this.exec.env ?? []) env[e.name] = e.value;
    // As kubectl: the plugin is told it cannot prompt (its stdin is /dev/null).
    env.KUBERNETES_EXEC_INFO = JSON.stringify({
      kind: 'ExecCredential',
      apiVersion: this.exec.apiVersion ?? 'client.authentication.k8s.io/v1beta1',
      spec: { interactive: false },
    });
    // Tracked (and Ctrl-C handled) before the plugin exists, so that no signal can come in between.
    track(kill);
    try {
      // Its own process group, so that a timeout or a cancel can kill the plugin and its children.
      child = spawn(this.exec.command, this.exec.args ?? [], {
        env,
        stdio: ['ignore', 'pipe', 'pipe'],
        detached: ownGroup,
        windowsHide: true,
      });
    } catch {
      end(failed('could not be started'));
      return run;
    }
    const out: Buffer[] = [];
    let size = 0;
    child.stdout!.on('data', (b: Buffer) => {
      size += b.length;
      if (size > MAX_OUTPUT) {
        killGroup(child, ownGroup);
        end(failed('printed more than 1 MiB'));
      } else out.push(b);
    });
    child.stderr!.resume(); // drained, never shown
    child.on('error', (e: NodeJS.ErrnoException) => {
      killGroup(child, ownGroup);
      end(
        failed(
          e.code === 'ENOENT' ? 'was not found' : e.code === 'EACCES' ? 'is not executable' : 'could not be started',
        ),
      );
    });
    child.on('close', (code, sig) => {
      if (code !== 0) end(failed(code === null ? `was killed (${sig ?? 'signal'})` : `exited with code ${code}`));
      else end(parseCredential(Buffer.concat(out).toString('utf8')));
    });
    return run;
  }
}
