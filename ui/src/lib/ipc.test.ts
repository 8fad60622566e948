import { beforeEach, describe, expect, it, vi } from 'vitest';

const tauri = vi.hoisted(() => ({ inApp: true, invoke: vi.fn() }));
vi.mock('@tauri-apps/api/core', () => ({
  isTauri: () => tauri.inApp,
  invoke: tauri.invoke,
}));

import { IpcError, NOT_IN_DESKTOP_APP, UNKNOWN, call, commands, toIpcError } from './ipc';

describe('toIpcError', () => {
  it('keeps the code and message of an error the shell sent', () => {
    const error = toIpcError({ code: 'not_a_repository', message: '/tmp/x is not a git repository' });
    expect(error).toBeInstanceOf(IpcError);
    expect(error).toMatchObject({ code: 'not_a_repository', message: '/tmp/x is not a git repository' });
  });

  it('gives Tauri string errors the unknown code', () => {
    expect(toIpcError('Command app_info not allowed by ACL')).toMatchObject({
      code: UNKNOWN,
      message: 'Command app_info not allowed by ACL',
    });
  });

  it('keeps the message of a JavaScript error', () => {
    expect(toIpcError(new TypeError('window.__TAURI_INTERNALS__ is undefined'))).toMatchObject({
      code: UNKNOWN,
      message: 'window.__TAURI_INTERNALS__ is undefined',
    });
  });

  it('treats an object whose code is not a string as unknown', () => {
    expect(toIpcError({ code: 42, message: 'odd' })).toMatchObject({ code: UNKNOWN, message: 'odd' });
  });

  it('describes shapeless failures instead of losing them', () => {
    expect(toIpcError({ status: 500 }).message).toBe('{"status":500}');
    expect(toIpcError(undefined).message).toMatch(/without saying why/);
  });

  it('passes an IpcError through unchanged', () => {
    const original = new IpcError('cancelled', 'Indexing was cancelled');
    expect(toIpcError(original)).toBe(original);
  });
});

describe('call', () => {
  beforeEach(() => {
    tauri.inApp = true;
    tauri.invoke.mockReset();
  });

  it('returns what the command answered', async () => {
    tauri.invoke.mockResolvedValue({ version: '0.1.0' });
    await expect(commands.appInfo()).resolves.toEqual({ version: '0.1.0' });
    expect(tauri.invoke).toHaveBeenCalledWith('app_info', undefined);
  });

  it('rejects with a normalised error when the command fails', async () => {
    tauri.invoke.mockRejectedValue({ code: 'index_locked', message: 'Another window is indexing' });
    await expect(call('open_repository', { path: '/r' })).rejects.toMatchObject({
      code: 'index_locked',
      message: 'Another window is indexing',
    });
  });

  it('says so, without calling Tauri, when the page runs outside the desktop app', async () => {
    tauri.inApp = false;
    await expect(commands.initialRepository()).rejects.toMatchObject({ code: NOT_IN_DESKTOP_APP });
    expect(tauri.invoke).not.toHaveBeenCalled();
  });
});
