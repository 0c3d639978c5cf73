/** A plain object (not null, not an array): the check before reading fields of parsed JSON. */
export const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
