// Light and dark themes. By default the app follows the system (`prefers-color-scheme`);
// the toggle picks the other theme explicitly, and toggling back to the system's theme
// returns to following the system.

export type Theme = 'light' | 'dark';
export type ThemeChoice = 'system' | Theme;

export const THEME_STORAGE_KEY = 'plumb.theme';

export function resolveTheme(choice: ThemeChoice, systemPrefersDark: boolean): Theme {
  if (choice === 'system') return systemPrefersDark ? 'dark' : 'light';
  return choice;
}

export function toggledChoice(choice: ThemeChoice, systemPrefersDark: boolean): ThemeChoice {
  const next: Theme = resolveTheme(choice, systemPrefersDark) === 'dark' ? 'light' : 'dark';
  const systemTheme = resolveTheme('system', systemPrefersDark);
  return next === systemTheme ? 'system' : next;
}

export function parseThemeChoice(stored: string | null): ThemeChoice {
  return stored === 'light' || stored === 'dark' ? stored : 'system';
}
