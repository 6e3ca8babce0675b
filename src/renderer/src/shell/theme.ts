import { useEffect, useState } from 'react';

export type ThemeChoice = 'system' | 'light' | 'dark';
const KEY = 'passk-theme';

/** Light, dark, or the system's; kept in this window's storage (it is a preference, not data). */
export function useTheme(): [ThemeChoice, (t: ThemeChoice) => void] {
  const [theme, setTheme] = useState<ThemeChoice>(() => {
    const saved = typeof localStorage === 'undefined' ? null : localStorage.getItem(KEY);
    return saved === 'light' || saved === 'dark' ? saved : 'system';
  });
  useEffect(() => {
    document.documentElement.dataset.theme = theme;
    try {
      localStorage.setItem(KEY, theme);
    } catch {
      // Storage may be off (a private window); the choice then lasts for this page only.
    }
  }, [theme]);
  return [theme, setTheme];
}
