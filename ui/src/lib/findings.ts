// Filtering and sorting the findings table. The findings and their facts come from the engine.

import type { Finding } from './api/Finding';
import type { Severity } from './api/Severity';

export type SortKey = 'severity' | 'item' | 'path' | 'confidence';

export interface FindingFilter {
  text: string;
  area: string | null;
  severity: Severity | null;
  loadBearingOnly: boolean;
}

export const noFilter: FindingFilter = { text: '', area: null, severity: null, loadBearingOnly: false };

const severityRank: Record<string, number> = { critical: 4, high: 3, medium: 2, low: 1 };
const confidenceRank: Record<string, number> = { high: 3, medium: 2, low: 1 };

export function areaOf(item: string): string {
  return item.split('-')[0] ?? item;
}

export function filterFindings(findings: readonly Finding[], filter: FindingFilter): Finding[] {
  const words = filter.text.toLowerCase().split(/\s+/).filter(Boolean);
  return findings.filter((f) => {
    if (filter.area && areaOf(f.item) !== filter.area) return false;
    if (filter.severity && f.severity !== filter.severity) return false;
    if (filter.loadBearingOnly && f.class !== 'load-bearing') return false;
    const haystack = `${f.item} ${f.path} ${f.message}`.toLowerCase();
    return words.every((w) => haystack.includes(w));
  });
}

export function sortFindings(findings: readonly Finding[], key: SortKey, descending: boolean): Finding[] {
  const compare = (a: Finding, b: Finding): number => {
    switch (key) {
      case 'severity':
        return (severityRank[a.severity] ?? 0) - (severityRank[b.severity] ?? 0);
      case 'confidence':
        return (confidenceRank[a.confidence] ?? 0) - (confidenceRank[b.confidence] ?? 0);
      case 'item':
        return a.item.localeCompare(b.item);
      case 'path':
        return a.path.localeCompare(b.path) || a.line - b.line;
    }
  };
  const sign = descending ? -1 : 1;
  // Ties keep the engine's order (plan order), so the table is stable.
  return findings
    .map((f, i) => ({ f, i }))
    .sort((a, b) => sign * compare(a.f, b.f) || a.i - b.i)
    .map(({ f }) => f);
}

/** The rows of a virtualised list to render: those in view, plus a margin. */
export function visibleRange(scrollTop: number, viewport: number, rowHeight: number, rows: number, margin = 10) {
  const first = Math.max(0, Math.floor(scrollTop / rowHeight) - margin);
  const last = Math.min(rows, Math.ceil((scrollTop + viewport) / rowHeight) + margin);
  return { first, last };
}
