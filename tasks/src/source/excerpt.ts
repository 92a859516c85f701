/**
 * A short, escaped excerpt of a value taken from a file, the only form in which file content may
 * appear in an error, a step result or a mail: at most `max` characters, JSON-quoted (so control
 * characters, quotes and trailing spaces are visible and nothing can break the line it is in).
 */
export function excerpt(value: string, max = 32): string {
  const chars = [...value];
  return JSON.stringify(chars.length > max ? `${chars.slice(0, max).join('')}…` : value);
}
