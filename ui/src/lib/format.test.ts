import { describe, expect, it } from 'vitest';
import { exportFileName, percent, stageShare } from './format';

describe('format', () => {
  it('names an export after the repository and the date, without unsafe characters', () => {
    expect(exportFileName('acme saas/<x>', new Date('2026-12-03T10:00:00Z'), 'pdf')).toBe('acme-saas-x-remediation-plan-2026-12-03.pdf');
    expect(exportFileName('///', new Date('2026-12-03T10:00:00Z'), 'html')).toBe('plan-remediation-plan-2026-12-03.html');
  });

  it('shows a stage share only when its total is known', () => {
    expect(stageShare(5, 0)).toBeNull();
    expect(stageShare(5, 10)).toBe(0.5);
    expect(stageShare(12, 10)).toBe(1);
    expect(percent(0.456)).toBe('46 %');
  });
});
