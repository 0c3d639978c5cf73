/** Number formatting shared by tables and charts. Null shows as an en dash. */
const dash = '–';

export function percent(value: number | null | undefined, digits = 1): string {
  return value === null || value === undefined || Number.isNaN(value) ? dash : `${(value * 100).toFixed(digits)}%`;
}

export function ms(value: number | null | undefined): string {
  if (value === null || value === undefined || Number.isNaN(value)) return dash;
  return value >= 10_000 ? `${(value / 1000).toFixed(1)} s` : `${Math.round(value)} ms`;
}

export function usd(value: number | null | undefined): string {
  if (value === null || value === undefined || Number.isNaN(value)) return dash;
  if (value === 0) return '$0';
  if (Math.abs(value) < 0.01) return `$${value.toPrecision(2)}`;
  return `$${value.toFixed(2)}`;
}

/**
 * A price per million tokens, always to 3 significant digits so a column of prices reads
 * alike (24 → "$24.0/M", 0.26249999999999996 → "$0.262/M", 0.0001 → "$0.000100/M");
 * a price of $1,000 or more shows whole dollars.
 */
export function perMTok(value: number | null | undefined): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return dash;
  if (value === 0) return '$0/M';
  // Round first, so 9.996 becomes "10.0" rather than "10.00".
  const rounded = Number(value.toPrecision(3));
  const magnitude = Math.abs(rounded);
  if (magnitude >= 1000) return `$${Math.round(rounded).toLocaleString('en-US')}/M`;
  const decimals = Math.min(20, Math.max(0, 2 - Math.floor(Math.log10(magnitude))));
  return `$${rounded.toFixed(decimals)}/M`;
}

/** A route constraint's value in its unit (the keys of the route config's `constraints`). */
export function constraint(key: string, value: number | null | undefined): string {
  switch (key) {
    case 'maxCostPerMTok':
      return perMTok(value);
    case 'maxCostPerRequestUsd':
    case 'budgetPer1kUsd':
      return usd(value);
    case 'maxTtftMs':
      return ms(value);
    case 'minQuality':
      return percent(value, 0);
    default:
      return value === null || value === undefined ? dash : String(Number(value.toPrecision(6)));
  }
}

/** A count with its noun, singular for one: "1 item", "1,234 items". */
export function count(value: number, noun: string, nounPlural = `${noun}s`): string {
  return `${value.toLocaleString('en-US')} ${value === 1 ? noun : nounPlural}`;
}

export function number(value: number | null | undefined, digits = 0): string {
  return value === null || value === undefined || Number.isNaN(value) ? dash : value.toFixed(digits);
}

export function shortHash(hash: string | null | undefined): string {
  return hash ? hash.slice(0, 10) : dash;
}

export function when(iso: string | null | undefined): string {
  if (!iso) return dash;
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? dash : date.toLocaleString(undefined, { dateStyle: 'short', timeStyle: 'medium' });
}

export function interval(value: [number, number] | null | undefined): string {
  return value ? `${percent(value[0], 0)}–${percent(value[1], 0)}` : dash;
}
