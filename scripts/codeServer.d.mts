/** Types for codeServer.mjs (plain ESM so `npm start` runs it without a build). */

export const CODE_SERVER_VERSION: string;
export function cacheDir(): string;
export function codeServerEntry(): string | undefined;
export function install(): string;
export function freePort(): Promise<number>;
export function installExtension(vsix: string, extensionsDir: string, opts?: { root?: string }): string;

/** Options for starting code-server. */
export interface StartOptions {
  workspace?: string;
  extensionsDir?: string;
  userDataDir?: string;
  /** Folder for HOME, XDG folders, config; a fresh temp folder (removed on stop) by default. */
  root?: string;
  keepRoot?: boolean;
  port?: number;
  env?: Record<string, string>;
  /** User settings.json entries, merged over quiet defaults. */
  settings?: Record<string, unknown>;
  timeoutMs?: number;
  logFile?: string;
}

/** A running code-server. */
export interface CodeServer {
  url: string;
  port: number;
  pid: number;
  root: string;
  userDataDir: string;
  extensionsDir: string;
  folderUrl(folder: string): string;
  log(): string;
  exited(): boolean;
  /** Stops the whole process group (SIGTERM, then SIGKILL after 5 s). */
  stop(): Promise<void>;
}

export function start(opts?: StartOptions): Promise<CodeServer>;
