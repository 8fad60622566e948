// Native dialogs (tauri-plugin-dialog; capabilities grant only open and save).

import { open, save } from '@tauri-apps/plugin-dialog';
import { isTauri } from '@tauri-apps/api/core';
import { IpcError, NOT_IN_DESKTOP_APP, toIpcError } from './ipc';

/** Asks for a repository folder; null when the person cancels. */
export async function chooseRepositoryFolder(): Promise<string | null> {
  if (!isTauri()) throw new IpcError(NOT_IN_DESKTOP_APP, 'Choosing a folder needs the Plumb desktop app.');
  try {
    const chosen = await open({ directory: true, multiple: false, title: 'Open repository' });
    return typeof chosen === 'string' ? chosen : null;
  } catch (raw) {
    throw toIpcError(raw);
  }
}

/** Asks where to save an export; null when the person cancels. */
export async function chooseExportPath(defaultName: string): Promise<string | null> {
  if (!isTauri()) throw new IpcError(NOT_IN_DESKTOP_APP, 'Saving a file needs the Plumb desktop app.');
  try {
    const chosen = await save({
      title: 'Export the plan',
      defaultPath: defaultName,
      filters: [
        { name: 'HTML (prints well)', extensions: ['html'] },
        { name: 'PDF', extensions: ['pdf'] },
        { name: 'Markdown', extensions: ['md'] },
        { name: 'JSON', extensions: ['json'] },
        { name: 'SARIF', extensions: ['sarif'] },
      ],
    });
    return chosen ?? null;
  } catch (raw) {
    throw toIpcError(raw);
  }
}
