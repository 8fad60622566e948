// Lookups over the engine's plan for the screens: which lines, findings and set-aside entries
// belong to a catalogue item. No scoring or ordering here: the plan arrives ordered.

import type { Finding } from './api/Finding';
import type { Plan } from './api/Plan';
import type { PlanLine } from './api/PlanLine';
import type { SetAside } from './api/SetAside';

export interface ItemEvidence {
  /** Open lines of the plan for this item, in plan order, with their finding. */
  open: { line: PlanLine; finding: Finding | undefined }[];
  /** Findings the consultant set aside (dismissed or accepted), to reconsider. */
  setAside: { entry: SetAside; kind: 'dismissed' | 'accepted' }[];
}

export function planLines(plan: Plan): PlanLine[] {
  return plan.horizons.flatMap((h) => h.lines);
}

export function evidenceOf(plan: Plan, item: string): ItemEvidence {
  const findings = new Map(plan.findings.map((f) => [f.fingerprint, f]));
  return {
    open: planLines(plan)
      .filter((line) => line.item === item)
      .map((line) => ({ line, finding: findings.get(line.fingerprint) })),
    setAside: [
      ...plan.dismissed.filter((e) => e.item === item).map((entry) => ({ entry, kind: 'dismissed' as const })),
      ...plan.accepted.filter((e) => e.item === item).map((entry) => ({ entry, kind: 'accepted' as const })),
    ],
  };
}

export function lineOf(plan: Plan, fingerprint: string): PlanLine | undefined {
  return planLines(plan).find((line) => line.fingerprint === fingerprint);
}

/** Moves `fingerprint` to `index` of `target` (from wherever it is); the new order of `target`. */
export function reordered(lines: readonly string[], fingerprint: string, index: number): string[] {
  const rest = lines.filter((f) => f !== fingerprint);
  const at = Math.max(0, Math.min(index, rest.length));
  return [...rest.slice(0, at), fingerprint, ...rest.slice(at)];
}
