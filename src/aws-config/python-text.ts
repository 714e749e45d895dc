/**
 * Python 3.11's notion of whitespace and lines, which configparser and botocore use and which
 * differs from JavaScript's: `str.strip()` also strips U+001C–U+001F and U+0085 but not U+FEFF,
 * and `str.splitlines()` breaks on more characters than a text file's lines do.
 */

/**
 * Whether the UTF-16 unit at `i` is Python whitespace (all of them are single units): `str.isspace()`,
 * and `\s` in a `re` pattern. Comparisons, not a Set: a run is too short for the JIT, and the
 * interpreter pays a runtime call for every Set.has on every character of every line it strips.
 */
export function isPySpace(text: string, i: number): boolean {
  const c = text.charCodeAt(i);
  if (c <= 0x20) return c === 0x20 || (c >= 0x09 && c <= 0x0d) || (c >= 0x1c && c <= 0x1f);
  if (c < 0x85) return false;
  return (
    c === 0x85 ||
    c === 0xa0 ||
    c === 0x1680 ||
    (c >= 0x2000 && c <= 0x200a) ||
    c === 0x2028 ||
    c === 0x2029 ||
    c === 0x202f ||
    c === 0x205f ||
    c === 0x3000
  );
}

/** `str.strip()`. */
export function pyStrip(text: string): string {
  // Most lines have nothing to strip: two looks instead of two scans and two copies.
  const last = text.length - 1;
  if (last < 0 || (!isPySpace(text, 0) && !isPySpace(text, last))) return text;
  return pyRstrip(pyLstrip(text));
}

/** `str.lstrip()`. */
export function pyLstrip(text: string): string {
  let start = 0;
  while (start < text.length && isPySpace(text, start)) start++;
  return text.slice(start);
}

/** `str.rstrip()`. */
export function pyRstrip(text: string): string {
  let end = text.length;
  while (end > 0 && isPySpace(text, end - 1)) end--;
  return end === text.length ? text : text.slice(0, end);
}

/** Index of the first non-whitespace character (configparser's NONSPACECRE), or -1. */
export function firstNonSpace(text: string): number {
  for (let i = 0; i < text.length; i++) if (!isPySpace(text, i)) return i;
  return -1;
}

/** The lines of a file opened in text mode (universal newlines: `\r\n`, `\r`, `\n`). */
export function textFileLines(text: string): string[] {
  // Files written on Linux and macOS have no "\r": a native split by "\n". Otherwise a scan rather
  // than split(/\r\n|\r|\n/): a regular-expression split runs an interpreted builtin that costs a
  // Bun run more than the files' parsing.
  if (text.indexOf("\r") < 0) {
    const lines = text.split("\n");
    if (lines.length > 1 && lines[lines.length - 1] === "") lines.pop();
    return lines;
  }
  const lines: string[] = [];
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c !== 0x0a && c !== 0x0d) continue;
    lines.push(text.slice(start, i));
    if (c === 0x0d && text.charCodeAt(i + 1) === 0x0a) i++;
    start = i + 1;
  }
  // A final terminator does not start another line (but an empty text is one empty line).
  if (start < text.length || lines.length === 0) lines.push(text.slice(start));
  return lines;
}

/** `str.splitlines()` (botocore splits nested values with it). */
export function pySplitlines(text: string): string[] {
  const lines = text.split(/\r\n|[\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]/);
  if (lines[lines.length - 1] === "") lines.pop();
  return lines;
}

/** Python's `int(str)` for decimal text; undefined where it would raise ValueError. */
export function pyInt(value: string): number | undefined {
  const text = pyStrip(value);
  return /^[+-]?\d+(?:_\d+)*$/.test(text) ? Number(text.replace(/_/g, "")) : undefined;
}
