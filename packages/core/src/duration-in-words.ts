/** A distance in time as people say it ("1 second", "12 minutes", "3 hours"), for hints and tools. */
export function durationInWords(seconds: number): string {
  const s = Math.abs(Math.round(seconds));
  if (s === 1) return '1 second';
  if (s < 120) return `${s} seconds`;
  if (s < 7200) return `${Math.round(s / 60)} minutes`;
  if (s < 172_800) return `${Math.round(s / 3600)} hours`;
  return `${Math.round(s / 86_400)} days`;
}
