// Transforms for the settings classes: environment strings to the values they validate.
const UNIT_SECONDS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86400 };

/** `90`, `90s`, `30m`, `2h`, `1d` → seconds; anything else is left for the validator to refuse. */
export const toSeconds = ({ value }: { value: unknown }) => {
  const match = typeof value === 'string' ? /^(\d{1,9})([smhd]?)$/.exec(value.trim()) : null;
  return match ? Number(match[1]) * UNIT_SECONDS[match[2] || 's'] : value;
};

export const toBool = ({ value }: { value: unknown }) =>
  value === 'true' ? true : value === 'false' ? false : value;

export const toInt = ({ value }: { value: unknown }) =>
  typeof value === 'string' && /^-?\d+$/.test(value.trim()) ? Number(value) : value;
