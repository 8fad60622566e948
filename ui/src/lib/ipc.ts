// Typed calls into the desktop shell (src-tauri/src/commands.rs). Every failure reaches the
// UI as an IpcError with a `code` to branch on and a `message` to show; never branch on text.

import { invoke, isTauri } from '@tauri-apps/api/core';

/** Codes the UI itself produces; the engine adds its own. */
export const UNKNOWN = 'unknown';
export const NOT_IN_DESKTOP_APP = 'not_in_desktop_app';

export class IpcError extends Error {
  readonly code: string;

  constructor(code: string, message: string) {
    super(message);
    this.name = 'IpcError';
    this.code = code;
  }
}

/** Turns whatever a command rejected with into an IpcError. */
export function toIpcError(raw: unknown): IpcError {
  if (raw instanceof IpcError) return raw;
  if (typeof raw === 'object' && raw !== null) {
    const { code, message } = raw as { code?: unknown; message?: unknown };
    if (typeof code === 'string' && typeof message === 'string') return new IpcError(code, message);
    if (typeof message === 'string') return new IpcError(UNKNOWN, message);
  }
  // Tauri's own failures (a command missing or not allowed) arrive as plain strings.
  if (typeof raw === 'string') return new IpcError(UNKNOWN, raw);
  return new IpcError(UNKNOWN, describe(raw));
}

function describe(raw: unknown): string {
  if (raw === undefined || raw === null) return 'The desktop app failed without saying why.';
  try {
    return JSON.stringify(raw) ?? String(raw);
  } catch {
    return String(raw);
  }
}

export async function call<T>(command: string, args?: Record<string, unknown>): Promise<T> {
  if (!isTauri()) {
    throw new IpcError(NOT_IN_DESKTOP_APP, `"${command}" needs the Plumb desktop app; this page runs in a plain browser.`);
  }
  try {
    return await invoke<T>(command, args);
  } catch (raw) {
    throw toIpcError(raw);
  }
}

export interface AppInfo {
  version: string;
}

export const commands = {
  appInfo: () => call<AppInfo>('app_info'),
  /** The repository path given on the command line, if any. */
  initialRepository: () => call<string | null>('initial_repository'),
};
