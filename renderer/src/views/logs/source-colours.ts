/**
 * A colour per container in the logs explorer. The container's name is on each line too, so the colour
 * is a second cue, never the only one. Hues are spread by the golden angle so neighbours differ.
 */
const SATURATION = 62;
const LIGHTNESS = 58;

export function sourceColour(key: number): string {
  const hue = Math.round((key * 137.508 + 200) % 360);
  return `hsl(${hue} ${SATURATION}% ${LIGHTNESS}%)`;
}
