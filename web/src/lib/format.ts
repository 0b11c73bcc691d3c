/** "Ada Lovelace" -> "AL"; a single name gives its first two letters; nothing gives "?". */
export function getInitials(name: string): string {
  const words = name.trim().split(/\s+/).filter(Boolean);
  const first = words[0] ?? '';
  const last = words.length > 1 ? (words[words.length - 1] ?? '') : '';
  return `${first.slice(0, last ? 1 : 2)}${last.slice(0, 1)}`.toUpperCase() || '?';
}
