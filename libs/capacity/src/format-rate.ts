// Rates as error messages show them: readable at a glance, exact in parentheses.
const UNITS = ['KiB/s', 'MiB/s', 'GiB/s', 'TiB/s'] as const;

export function formatRate(bytesPerSecond: number): string {
  const exact = `${Math.round(bytesPerSecond)} B/s`;
  let value = bytesPerSecond;
  let unit: string | undefined;
  for (const next of UNITS) {
    if (Math.abs(value) < 1024) break;
    value /= 1024;
    unit = next;
  }
  return unit === undefined ? exact : `${value.toFixed(1)} ${unit} (${exact})`;
}
