// The screens in the left navigation and the keyboard shortcuts that reach them:
// a digit (1-8), or `g` followed by the screen's letter (g h, g o, ...), as in mail clients.

export const screens = [
  { id: 'home', label: 'Home', letter: 'h', summary: 'Open a repository and pick up where you left off.' },
  { id: 'overview', label: 'Overview', letter: 'o', summary: 'Size, languages, activity and hot spots of the repository.' },
  { id: 'map', label: 'Map', letter: 'm', summary: 'The import graph and which files change together.' },
  { id: 'checklist', label: 'Checklist', letter: 'c', summary: 'The load-bearing-versus-cosmetic checklist to walk with the founder.' },
  { id: 'findings', label: 'Findings', letter: 'f', summary: 'What the checks found, with the evidence for each.' },
  { id: 'search', label: 'Search', letter: 's', summary: 'Full-text and symbol search across the code and its history.' },
  { id: 'plan', label: 'Plan', letter: 'p', summary: 'The prioritized remediation plan, in the order to do it.' },
  { id: 'export', label: 'Export', letter: 'e', summary: 'The plan as print-ready HTML, PDF, Markdown, JSON or SARIF.' },
] as const;

export type Screen = (typeof screens)[number];
export type ScreenId = Screen['id'];

/** How long after `g` the second key still counts as part of the shortcut. */
export const LEADER_TIMEOUT_MS = 1500;

export interface KeyPress {
  key: string;
  ctrlKey: boolean;
  metaKey: boolean;
  altKey: boolean;
  /** Milliseconds on any monotonic clock (KeyboardEvent.timeStamp). */
  time: number;
  /** True when the key goes to a text field, which must keep its own typing. */
  inEditable: boolean;
}

export interface ShortcutState {
  /** When `g` was pressed, while the second key is awaited. */
  leaderAt: number | null;
}

export interface ShortcutResult {
  state: ShortcutState;
  /** The screen to go to, if this key completed a shortcut. */
  goTo: ScreenId | null;
  /** Whether the key was part of a shortcut (the caller then prevents its default). */
  consumed: boolean;
}

export const idleShortcuts: ShortcutState = { leaderAt: null };

export function shortcutFor(screen: Screen): { digit: string; sequence: string } {
  return { digit: String(screens.indexOf(screen) + 1), sequence: `g ${screen.letter}` };
}

export function readShortcut(state: ShortcutState, press: KeyPress): ShortcutResult {
  const ignored = { state: idleShortcuts, goTo: null, consumed: false };
  if (press.ctrlKey || press.metaKey || press.altKey || press.inEditable) return ignored;

  const key = press.key.toLowerCase();
  const leaderPending = state.leaderAt !== null && press.time - state.leaderAt <= LEADER_TIMEOUT_MS;
  if (leaderPending) {
    const screen = screens.find((candidate) => candidate.letter === key);
    // Any second key ends the sequence, so a stray `g` never lingers.
    return { state: idleShortcuts, goTo: screen?.id ?? null, consumed: true };
  }
  if (key === 'g') return { state: { leaderAt: press.time }, goTo: null, consumed: true };

  const byDigit = screens[Number(key) - 1];
  if (/^[1-9]$/.test(key) && byDigit) return { state: idleShortcuts, goTo: byDigit.id, consumed: true };
  return ignored;
}

interface MaybeEditable {
  tagName?: string;
  isContentEditable?: boolean;
}

export function isEditableTarget(target: unknown): boolean {
  if (typeof target !== 'object' || target === null) return false;
  const element = target as MaybeEditable;
  if (element.isContentEditable) return true;
  return ['INPUT', 'TEXTAREA', 'SELECT'].includes(element.tagName ?? '');
}
