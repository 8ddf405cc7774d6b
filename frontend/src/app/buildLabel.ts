const SHORT_SHA_LENGTH = 7;
const UNKNOWN_VALUES = new Set(['', 'unknown', 'none', 'null']);

function known(value: string | null | undefined): string | undefined {
  const trimmed = value?.trim();
  return trimmed && !UNKNOWN_VALUES.has(trimmed.toLowerCase()) ? trimmed : undefined;
}

/** The release shown in the navigation, e.g. "v0.1.0 · abc1234"; empty when nothing is known. */
export function formatBuildLabel(version: string | null | undefined, gitSha: string | null | undefined): string {
  const rawVersion = known(version);
  const sha = known(gitSha)?.slice(0, SHORT_SHA_LENGTH);
  const shownVersion = rawVersion && /^\d/.test(rawVersion) ? `v${rawVersion}` : rawVersion;
  return [shownVersion, sha].filter(Boolean).join(' · ');
}
