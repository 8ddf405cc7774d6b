/** Tag names as the server keeps them: trimmed, inner spaces made one, one per title whatever its case. */

export const MAX_TAG_LENGTH = 50;

export function cleanTag(name: string): string {
  return name.split(/\s+/).filter(Boolean).join(' ');
}

/** The tags with `name` added; the same list when it is empty, too long, or there already in any case. */
export function withTag(tags: string[], name: string): string[] {
  const clean = cleanTag(name);
  if (!clean || clean.length > MAX_TAG_LENGTH) return tags;
  if (tags.some((tag) => tag.toLowerCase() === clean.toLowerCase())) return tags;
  return [...tags, clean];
}

export function withoutTag(tags: string[], name: string): string[] {
  return tags.filter((tag) => tag !== name);
}
