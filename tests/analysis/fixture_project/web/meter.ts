// Level meter for the plugin's web view.
export function toDecibels(level: number): number {
  return level > 0 ? 20 * Math.log10(level) : -100;
}
