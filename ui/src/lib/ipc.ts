// Typed calls into the desktop shell (src-tauri/src/commands.rs). Every failure reaches the
// UI as an IpcError with a `code` to branch on and a `message` to show; never branch on text.

import { Channel, invoke, isTauri } from '@tauri-apps/api/core';
import type { AnalysisSummary } from './api/AnalysisSummary';
import type { ExportResult } from './api/ExportResult';
import type { FileCommit } from './api/FileCommit';
import type { Horizon } from './api/Horizon';
import type { LineEdit } from './api/LineEdit';
import type { MapView } from './api/MapView';
import type { PlanView } from './api/PlanView';
import type { ProgressEvent } from './api/ProgressEvent';
import type { Repository } from './api/Repository';
import type { SearchResult } from './api/SearchResult';
import type { Verdict } from './api/Verdict';

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
  recentRepositories: () => call<Repository[]>('recent_repositories'),
  openRepository: (path: string) => call<Repository>('open_repository', { path }),
  analyseRepository: (path: string, onProgress: (event: ProgressEvent) => void) => {
    const progress = new Channel<ProgressEvent>();
    progress.onmessage = onProgress;
    return call<AnalysisSummary>('analyse_repository', { path, progress });
  },
  cancelAnalysis: () => call<void>('cancel_analysis'),
  plan: (path: string) => call<PlanView>('plan', { path }),
  setVerdict: (path: string, fingerprint: string, verdict: Verdict | null, note: string | null) =>
    call<void>('set_verdict', { path, fingerprint, verdict, note }),
  setAnswer: (path: string, item: string, text: string, notApplicable: boolean) =>
    call<void>('set_answer', { path, item, text, notApplicable }),
  setNote: (path: string, item: string, text: string) => call<void>('set_note', { path, item, text }),
  editPlanLine: (path: string, fingerprint: string, edit: LineEdit) => call<void>('edit_plan_line', { path, fingerprint, edit }),
  reorderPlan: (path: string, horizon: Horizon, fingerprints: string[]) =>
    call<void>('reorder_plan', { path, horizon, fingerprints }),
  search: (path: string, query: string, limit = 100) => call<SearchResult[]>('search', { path, query, limit }),
  repositoryMap: (path: string) => call<MapView>('repository_map', { path }),
  fileHistory: (path: string, file: string) => call<FileCommit[]>('file_history', { path, file }),
  exportPlan: (path: string, out: string) => call<ExportResult>('export_plan', { path, out }),
  openExport: (path: string) => call<void>('open_export', { path }),
};
