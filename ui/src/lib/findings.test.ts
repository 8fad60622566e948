import { describe, expect, it } from 'vitest';
import type { Finding } from './api/Finding';
import { filterFindings, noFilter, sortFindings, visibleRange } from './findings';
import { verdictForKey } from './verdicts';

function finding(item: string, path: string, severity: Finding['severity'], cls: Finding['class'] = 'load-bearing'): Finding {
  return {
    fingerprint: `${item}:${path}`,
    item,
    path,
    line: 1,
    end_line: 1,
    class: cls,
    class_reason: '',
    severity,
    confidence: 'high',
    message: `${item} in ${path}`,
    evidence: {},
    exposure: {
      money: false, auth: false, data_write: false, reachable_from_entry: false, client: false, test: false,
      fan_in: 0, pagerank: 0, pagerank_percentile: 0, revisions_in_window: 0, agent_share: 0,
    },
  };
}

const all = [
  finding('PAY-WEBHOOK-SIG', 'supabase/functions/stripe-webhook/index.ts', 'critical'),
  finding('DATA-INDEX', 'src/lib/invoices.ts', 'high'),
  finding('ARCH-CYCLE', 'src/a.ts', 'low', 'cosmetic'),
];

describe('findings table', () => {
  it('filters by area, words and class', () => {
    expect(filterFindings(all, { ...noFilter, area: 'PAY' }).map((f) => f.item)).toEqual(['PAY-WEBHOOK-SIG']);
    expect(filterFindings(all, { ...noFilter, text: 'invoices index' }).map((f) => f.item)).toEqual(['DATA-INDEX']);
    expect(filterFindings(all, { ...noFilter, loadBearingOnly: true })).toHaveLength(2);
    expect(filterFindings(all, { ...noFilter, text: 'nothing-like-this' })).toHaveLength(0);
  });

  it('sorts by severity both ways and keeps ties stable', () => {
    expect(sortFindings(all, 'severity', true).map((f) => f.severity)).toEqual(['critical', 'high', 'low']);
    expect(sortFindings(all, 'severity', false).map((f) => f.severity)).toEqual(['low', 'high', 'critical']);
    expect(sortFindings(all, 'path', false)[0]?.path).toBe('src/a.ts');
  });

  it('renders only the rows in view of a long list', () => {
    expect(visibleRange(0, 600, 30, 100_000)).toEqual({ first: 0, last: 30 });
    expect(visibleRange(300_000, 600, 30, 100_000)).toEqual({ first: 9990, last: 10030 });
    expect(visibleRange(2_999_700, 600, 30, 100_000).last).toBe(100_000);
  });

  it('maps verdict keys', () => {
    expect(verdictForKey('l')).toBe('load-bearing');
    expect(verdictForKey('D')).toBe('dismissed');
    expect(verdictForKey('x')).toBeNull();
  });
});
