import { describe, expect, it } from 'vitest';
import {
  LEADER_TIMEOUT_MS,
  idleShortcuts,
  isEditableTarget,
  readShortcut,
  screens,
  shortcutFor,
  type KeyPress,
  type ShortcutState,
} from './navigation';

function press(key: string, time = 0, extra: Partial<KeyPress> = {}): KeyPress {
  return { key, time, ctrlKey: false, metaKey: false, altKey: false, inEditable: false, ...extra };
}

/** Feeds keys through the reader and returns the screens they navigated to. */
function type(keys: Array<[string, number]>, extra: Partial<KeyPress> = {}): string[] {
  let state: ShortcutState = idleShortcuts;
  const visited: string[] = [];
  for (const [key, time] of keys) {
    const result = readShortcut(state, press(key, time, extra));
    state = result.state;
    if (result.goTo) visited.push(result.goTo);
  }
  return visited;
}

describe('screens', () => {
  it('lists the eight screens in navigation order with distinct letters', () => {
    expect(screens.map((screen) => screen.label)).toEqual([
      'Home', 'Overview', 'Map', 'Checklist', 'Findings', 'Search', 'Plan', 'Export',
    ]);
    expect(new Set(screens.map((screen) => screen.letter)).size).toBe(screens.length);
  });

  it('describes each shortcut as shown in the navigation', () => {
    expect(shortcutFor(screens[3]!)).toEqual({ digit: '4', sequence: 'g c' });
  });
});

describe('readShortcut', () => {
  it('goes to a screen by digit', () => {
    expect(type([['1', 0], ['8', 10]])).toEqual(['home', 'export']);
  });

  it('ignores digits past the last screen', () => {
    expect(type([['9', 0], ['0', 5]])).toEqual([]);
  });

  it('goes to a screen by g and its letter', () => {
    expect(type([['g', 0], ['o', 200], ['g', 1000], ['m', 1100]])).toEqual(['overview', 'map']);
  });

  it('accepts the letter typed with caps lock on', () => {
    expect(type([['g', 0], ['F', 100]])).toEqual(['findings']);
  });

  it('forgets g after the timeout, so a later letter is ordinary typing', () => {
    expect(type([['g', 0], ['o', LEADER_TIMEOUT_MS + 1]])).toEqual([]);
  });

  it('ends the sequence on an unknown second key instead of waiting for another', () => {
    expect(type([['g', 0], ['x', 100], ['o', 200]])).toEqual([]);
  });

  it('consumes g and the completing key but not unrelated keys', () => {
    const leader = readShortcut(idleShortcuts, press('g', 0));
    expect(leader.consumed).toBe(true);
    expect(readShortcut(leader.state, press('s', 50)).consumed).toBe(true);
    expect(readShortcut(idleShortcuts, press('x', 0)).consumed).toBe(false);
  });

  it('leaves keys alone while typing in a text field', () => {
    expect(type([['g', 0], ['s', 50], ['2', 60]], { inEditable: true })).toEqual([]);
  });

  it('leaves browser and system shortcuts alone', () => {
    expect(type([['1', 0]], { ctrlKey: true })).toEqual([]);
    expect(type([['g', 0], ['h', 10]], { metaKey: true })).toEqual([]);
    expect(type([['2', 0]], { altKey: true })).toEqual([]);
  });
});

describe('isEditableTarget', () => {
  it('recognises text fields and content-editable elements', () => {
    expect(isEditableTarget({ tagName: 'INPUT' })).toBe(true);
    expect(isEditableTarget({ tagName: 'TEXTAREA' })).toBe(true);
    expect(isEditableTarget({ tagName: 'DIV', isContentEditable: true })).toBe(true);
  });

  it('treats buttons, the page and nothing as not editable', () => {
    expect(isEditableTarget({ tagName: 'BUTTON' })).toBe(false);
    expect(isEditableTarget({ tagName: 'BODY', isContentEditable: false })).toBe(false);
    expect(isEditableTarget(null)).toBe(false);
  });
});
