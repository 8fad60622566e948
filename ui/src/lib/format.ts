// How numbers, dates and shares read on screen. Presentation only: every figure comes from the engine.

export function percent(share: number): string {
  return `${Math.round(share * 100)} %`;
}

export function count(n: number, one: string, many = `${one}s`): string {
  return `${n.toLocaleString('en-GB')} ${n === 1 ? one : many}`;
}

/** "3 Dec 2026, 14:05" from seconds since the epoch. */
export function dateTime(seconds: number): string {
  return new Date(seconds * 1000).toLocaleString('en-GB', {
    day: 'numeric',
    month: 'short',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
  });
}

/** Share of a stage done, 0..1, or null when its total is unknown. */
export function stageShare(done: number, total: number): number | null {
  if (total <= 0) return null;
  return Math.min(1, done / total);
}

export function folderName(path: string): string {
  return path.split(/[\\/]/).filter(Boolean).pop() ?? path;
}

/** A file name for an export: the repository's name and the date, no characters a file system refuses. */
export function exportFileName(repository: string, date: Date, extension: string): string {
  const safe = repository.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^-+|-+$/g, '') || 'plan';
  return `${safe}-remediation-plan-${date.toISOString().slice(0, 10)}.${extension}`;
}
