/**
 * Which slice of a list fits `height` rows with row `selected` in view: the selection sits in the
 * middle where it can, and the window never runs past either end.
 */
export function scrollWindow(length: number, height: number, selected: number): { start: number; end: number } {
  if (height <= 0) return { start: 0, end: 0 };
  const start = Math.max(0, Math.min(selected - Math.floor(height / 2), length - height));
  return { start, end: Math.min(length, start + height) };
}
