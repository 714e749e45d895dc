/**
 * Python 3.11's notion of whitespace and lines, which configparser and botocore use and which
 * differs from JavaScript's: `str.strip()` also strips U+001C–U+001F and U+0085 but not U+FEFF,
 * and `str.splitlines()` breaks on more characters than a text file's lines do.
 */

/** `str.isspace()` (and `\s` in a `re` pattern): the characters Python treats as whitespace. */
const PY_SPACE = new Set<number>([
  0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x1c, 0x1d, 0x1e, 0x1f, 0x20, 0x85, 0xa0, 0x1680, 0x2000, 0x2001, 0x2002, 0x2003, 0x2004, 0x2005, 0x2006,
  0x2007, 0x2008, 0x2009, 0x200a, 0x2028, 0x2029, 0x202f, 0x205f, 0x3000,
]);

/** Whether the UTF-16 unit at `i` is Python whitespace (all of them are single units). */
export function isPySpace(text: string, i: number): boolean {
  return PY_SPACE.has(text.charCodeAt(i));
}

/** `str.strip()`. */
export function pyStrip(text: string): string {
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
  return text.slice(0, end);
}

/** Index of the first non-whitespace character (configparser's NONSPACECRE), or -1. */
export function firstNonSpace(text: string): number {
  for (let i = 0; i < text.length; i++) if (!isPySpace(text, i)) return i;
  return -1;
}

/** The lines of a file opened in text mode (universal newlines: `\r\n`, `\r`, `\n`). */
export function textFileLines(text: string): string[] {
  // A scan rather than split(/\r\n|\r|\n/): a regular-expression split runs an interpreted
  // builtin that costs a Bun run more than the files' parsing.
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
