/**
 * An INI file read as much as a run uses (ini.ts gives the reading itself). SSO tools write one
 * profile per account and role, so `~/.aws/config` may hold thousands of sections, of which a `get`
 * needs a handful: reading every one on every git request would make the helper's cost follow the
 * size of the organisation.
 *
 * So a file of the shape the AWS tools write ("plain": every line starts in column 0 and is empty,
 * a comment, a `[section]` header or a `key = value` setting with a plain key; "\n" line ends) is
 * first checked, with a few whole-text regular-expression searches (the runtime's native matcher,
 * fast long before any JavaScript is compiled), for everything that makes configparser refuse a
 * plain file: a setting before the first header, a section header twice, a setting twice within a
 * section. A plain file that passes holds no continuation line, so each section is exactly the
 * lines from its header to the next one, and a section is read on demand by giving parseIni just
 * the `[DEFAULT]` sections and that one: the same parser, the same values. Any other file — and any
 * plain file that fails a check, so that the refusal names the same line — is read whole at once.
 */
import { parseIni, type IniSections, type Settings } from "./ini.js";

/** What a run asks of one file. */
export interface IniReading {
  /** How the file is read: each section when asked for, or all at once. */
  readonly mode: "on demand" | "whole";
  /** Every section header as written, in file order, without `[DEFAULT]` (as the keys of parseIni's result). */
  headers(): readonly string[];
  /** Where the section with this exact header stands among the file's sections (-1: none), to tell which comes later. */
  position(header: string): number;
  /** Whether `pattern` matches the file's header lines, written `[NAME]` one per line. */
  someHeader(pattern: RegExp): boolean;
  /** The settings of the section with this exact header (inheriting `[DEFAULT]`'s), or undefined. */
  section(header: string): Settings | undefined;
  /** Every section, read whole (once). */
  all(): IniSections;
}

const DEFAULT_HEADER = "DEFAULT";

/**
 * A line of the plain shape: empty (spaces and tabs aside), a comment in column 0, a header ending
 * the line, or a setting whose key starts in column 0 with a letter, digit or "_" (ASCII keys
 * lower-case the same in Python and JavaScript, and need no Unicode strip).
 */
const PLAIN_LINE = String.raw`[ \t]*(?:\n|$)|[#;]|\[[^\n]+\][ \t]*(?:\n|$)|[A-Za-z0-9_][A-Za-z0-9_.-]*[ \t]*[=:]`;

/** The searches that tell a plain file from others and find what configparser refuses in one. */
interface PlainSearches {
  /**
   * A character that ends a line for Python's text files ("\r") or for JavaScript's "^" and "$"
   * but not Python's: the searches below would see other lines than configparser.
   */
  readonly otherLineEnd: RegExp;
  /** The first line, then any other, outside the plain shape (a search from each "\n" costs half of one from each "^"). */
  readonly notPlainFirstLine: RegExp;
  readonly notPlainLine: RegExp;
  /** A header line of a plain file (the whole line up to its last "]"). */
  readonly headerLine: RegExp;
  /** A setting in a plain file before its first header: configparser's MissingSectionHeaderError. */
  readonly settingLine: RegExp;
  /**
   * A key set twice within one section of a plain file (configparser's DuplicateOptionError; keys
   * are compared lower-cased): a setting line, then, before any header line, a line with the same key.
   */
  readonly repeatedKey: RegExp;
}

let searches: PlainSearches | undefined;

/** The searches, made on first use: a run that reads only small files, whole, never builds them. */
function plainSearches(): PlainSearches {
  searches ??= {
    otherLineEnd: /[\r\u2028\u2029]/,
    notPlainFirstLine: new RegExp(`^(?!${PLAIN_LINE})`),
    notPlainLine: new RegExp(`\\n(?!${PLAIN_LINE})`),
    headerLine: /^\[[^\n]+\]/gm,
    settingLine: /^[A-Za-z0-9_]/m,
    repeatedKey: /^([A-Za-z0-9_][A-Za-z0-9_.-]*)[ \t]*[=:][^\n]*\n(?:[^[\n][^\n]*\n|\n)*?\1[ \t]*[=:]/im,
  };
  return searches;
}

/**
 * Reads `text` (the contents of `file`) as the run asks; a file configparser refuses throws here,
 * as parseIni does. A text shorter than `wholeBelowBytes` is parsed whole at once (see
 * shared-config.ts for when that is cheaper).
 */
export function readIni(text: string, file: string, wholeBelowBytes = 0): IniReading {
  return (text.length >= wholeBelowBytes ? plainReading(text, file) : undefined) ?? wholeReading(parseIni(text, file));
}

function wholeReading(sections: IniSections): IniReading {
  const headers = [...sections.keys()];
  return {
    mode: "whole",
    headers: () => headers,
    position: (header) => headers.indexOf(header),
    someHeader: (pattern) => pattern.test(headers.map((h) => `[${h}]`).join("\n")),
    section: (header) => sections.get(header),
    all: () => sections,
  };
}

/** The on-demand reading of a plain file without refusals, or undefined for any other. */
function plainReading(text: string, file: string): IniReading | undefined {
  const search = plainSearches();
  if (search.otherLineEnd.test(text) || search.notPlainFirstLine.test(text) || search.notPlainLine.test(text)) return undefined;
  const lines: readonly string[] = text.match(search.headerLine) ?? [];
  const firstHeader = lines.length > 0 ? headerAt(text, lines[0] as string) : text.length;
  if (search.settingLine.test(text.slice(0, firstHeader))) return undefined;
  // A header repeated (even [DEFAULT], whose repeated keys configparser refuses too).
  if (new Set(lines).size !== lines.length) return undefined;
  if (search.repeatedKey.test(text)) return undefined;

  const defaultLine = `[${DEFAULT_HEADER}]`;
  const hasDefault = lines.indexOf(defaultLine) >= 0;
  const defaults = hasDefault ? sectionLines(text, defaultLine) : "";
  const cache = new Map<string, Settings | undefined>();
  let whole: IniSections | undefined;
  let headers: readonly string[] | undefined;
  return {
    mode: "on demand",
    headers() {
      headers ??= lines.filter((line) => line !== defaultLine).map((line) => line.slice(1, -1));
      return headers;
    },
    position: (header) => (header === DEFAULT_HEADER ? -1 : lines.indexOf(`[${header}]`)),
    someHeader: (pattern) => pattern.test(lines.join("\n")),
    section(header) {
      if (header === DEFAULT_HEADER) return undefined;
      if (whole) return whole.get(header);
      if (!cache.has(header)) {
        const line = `[${header}]`;
        // Only a header of this file (not a longer one it begins) is a section.
        const found = lines.indexOf(line) >= 0 ? parseIni(defaults + sectionLines(text, line), file) : undefined;
        cache.set(header, found?.get(header));
      }
      return cache.get(header);
    },
    all() {
      whole ??= parseIni(text, file);
      return whole;
    },
  };
}

/** Where the line that is this header (trailing spaces and tabs aside) starts; -1 when none is. */
function headerAt(text: string, headerLine: string): number {
  for (let at = text.indexOf(headerLine); at >= 0; at = text.indexOf(headerLine, at + 1)) {
    if (at > 0 && text.charCodeAt(at - 1) !== 0x0a) continue;
    let end = at + headerLine.length;
    while (text.charCodeAt(end) === 0x20 || text.charCodeAt(end) === 0x09) end++;
    if (end === text.length || text.charCodeAt(end) === 0x0a) return at;
  }
  return -1;
}

/** The lines of the section headed by `headerLine` (which the file holds once), "\n"-ended. */
function sectionLines(text: string, headerLine: string): string {
  const start = headerAt(text, headerLine);
  // A header line may end in spaces or tabs; the next header starts a line with "[".
  const next = text.indexOf("\n[", start + headerLine.length - 1);
  const end = next < 0 ? text.length : next + 1;
  const body = text.slice(start, end);
  return body.endsWith("\n") ? body : `${body}\n`;
}
