// Transforms for the settings classes: environment strings to the values they validate.
const UNIT_SECONDS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86400 };

/** `90`, `90s`, `30m`, `2h`, `1d` → seconds; anything else is left for the validator to refuse. */
export const toSeconds = ({ value }: { value: unknown }) => {
  const match = typeof value === 'string' ? /^(\d{1,9})([smhd]?)$/.exec(value.trim()) : null;
  return match ? Number(match[1]) * UNIT_SECONDS[match[2] || 's'] : value;
};

const UNIT_MS: Record<string, number> = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000 };

/** `500ms`, or seconds as `5`, `5s`, `1m`, `1h` → milliseconds; anything else is left to refuse. */
export const toMilliseconds = ({ value }: { value: unknown }) => {
  const match = typeof value === 'string' ? /^(\d{1,7})(ms|s|m|h)?$/.exec(value.trim()) : null;
  return match ? Number(match[1]) * UNIT_MS[match[2] ?? 's'] : value;
};

export const toBool = ({ value }: { value: unknown }) =>
  value === 'true' ? true : value === 'false' ? false : value;

export const toInt = ({ value }: { value: unknown }) =>
  typeof value === 'string' && /^-?\d+$/.test(value.trim()) ? Number(value) : value;
