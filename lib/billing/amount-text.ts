// Client-safe: no imports.

/**
 * An amount as typed, without the separators people group its digits with: "1,250.50" → "1250.50", "2 000 000" →
 * "2000000", "+1_000" → "+1000". A separator anywhere else ("1,50", "-5,00", "12,3456", "1,2,3") stays, so the
 * caller's pattern refuses the amount instead of reading a decimal comma as a thousands separator ($1.50 as $150).
 */
export function withoutDigitGroups(text: string): string {
  return /^[+-]?\d{1,3}(?:[,_\s]\d{3})+(?:\.\d*)?$/.test(text) ? text.replace(/[,_\s]/g, "") : text;
}
