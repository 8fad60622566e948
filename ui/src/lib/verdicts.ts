// The verdict buttons of the checklist and their keys.

import type { Verdict } from './api/Verdict';

export const verdictChoices: { verdict: Verdict; label: string; key: string; founder: string }[] = [
  { verdict: 'load-bearing', label: 'Load-bearing', key: 'l', founder: 'Must be fixed: it can lose money, leak data or take the product down.' },
  { verdict: 'cosmetic', label: 'Cosmetic', key: 'c', founder: 'Worth tidying, but nothing breaks for customers.' },
  { verdict: 'accepted', label: 'Accept', key: 'a', founder: 'Real and understood; deliberately left as it is.' },
  { verdict: 'dismissed', label: 'Dismiss', key: 'd', founder: 'Not a problem here: the check was wrong.' },
];

/** The verdict a key press sets, if any (no modifiers, not while typing). */
export function verdictForKey(key: string): Verdict | null {
  return verdictChoices.find((c) => c.key === key.toLowerCase())?.verdict ?? null;
}
