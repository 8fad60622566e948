import { describe, expect, it } from 'vitest';
import { parseThemeChoice, resolveTheme, toggledChoice } from './theme';

describe('resolveTheme', () => {
  it('follows the system unless a theme was chosen', () => {
    expect(resolveTheme('system', true)).toBe('dark');
    expect(resolveTheme('system', false)).toBe('light');
    expect(resolveTheme('light', true)).toBe('light');
    expect(resolveTheme('dark', false)).toBe('dark');
  });
});

describe('toggledChoice', () => {
  it('switches to the theme the system is not showing', () => {
    expect(toggledChoice('system', true)).toBe('light');
    expect(toggledChoice('system', false)).toBe('dark');
  });

  it('returns to following the system when toggled back', () => {
    expect(toggledChoice('light', true)).toBe('system');
    expect(toggledChoice('dark', false)).toBe('system');
  });

  it('keeps an explicit choice that differs from the system', () => {
    // Chose light on a dark system, then the system turned light: toggling gives dark.
    expect(toggledChoice('light', false)).toBe('dark');
  });
});

describe('parseThemeChoice', () => {
  it('reads a stored choice and falls back to the system for anything else', () => {
    expect(parseThemeChoice('dark')).toBe('dark');
    expect(parseThemeChoice('light')).toBe('light');
    expect(parseThemeChoice(null)).toBe('system');
    expect(parseThemeChoice('sepia')).toBe('system');
  });
});
