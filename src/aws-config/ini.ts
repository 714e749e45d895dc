/**
 * An INI file read exactly as botocore reads one: Python 3.11 `configparser.RawConfigParser()`
 * with its defaults (strict, `=`/`:` delimiters, `#`/`;` full-line comments only, empty lines kept
 * in values, `[DEFAULT]` inherited by every section, option names lower-cased), then botocore's
 * `configloader.raw_config_parse` (a value that starts on the next line is a nested block of
 * `key = value` lines). A file configparser refuses is refused here, naming the file and line.
 */
import { HelperError } from "../errors.js";
import { firstNonSpace, pyRstrip, pySplitlines, pyStrip, textFileLines } from "./python-text.js";

/** One section's settings: a null-prototype record, so names like `__proto__` are plain keys. */
export type Settings = Readonly<Record<string, string>>;

/** Sections in file order (without `[DEFAULT]`), each with the `[DEFAULT]` settings it inherits. */
export type IniSections = ReadonlyMap<string, Settings>;

/** configparser's special section, inherited by all others and never listed itself. */
const DEFAULT_SECTION = "DEFAULT";

interface RawSection {
  readonly values: Map<string, string[]>;
  /** Line of each option's first line (for messages). */
  readonly lines: Map<string, number>;
}

/** A null-prototype record: keys such as `__proto__` or `constructor` are ordinary data. */
export function emptySettings(): Record<string, string> {
  return Object.create(null) as Record<string, string>;
}

/** Whether a setting is present (even empty), as Python's `key in dict`. */
export function hasSetting(settings: Settings | undefined, key: string): boolean {
  return settings !== undefined && Object.hasOwn(settings, key);
}

/** A setting's value, or undefined when absent. */
export function setting(settings: Settings | undefined, key: string): string | undefined {
  return hasSetting(settings, key) ? settings![key] : undefined;
}

/**
 * configparser's `_read` and `_join_multiline_values`, then botocore's `raw_config_parse`.
 * `file` names the file in error messages.
 */
export function parseIni(text: string, file: string): IniSections {
  const defaults: RawSection = { values: new Map(), lines: new Map() };
  const sections = new Map<string, RawSection>();
  /** configparser's `elements_added`: sections, and each section's options, seen in this file. */
  const added = new Map<string, Set<string>>();
  let cursect: RawSection | undefined;
  let sectname = "";
  let optname: string | undefined;
  let indentLevel = 0;
  let firstBadLine: number | undefined;

  const lines = textFileLines(text);
  for (let index = 0; index < lines.length; index++) {
    const line = lines[index] as string;
    const lineNo = index + 1;
    const stripped = pyStrip(line);
    // Comments are whole lines only: an inline "#" or ";" stays part of the value.
    const isComment = stripped.startsWith("#") || stripped.startsWith(";");
    const value = isComment ? "" : stripped;
    if (value === "") {
      // An empty line (not a comment) belongs to the value being read, if any.
      if (!isComment && cursect && optname) cursect.values.get(optname)?.push("");
      continue;
    }
    const indent = firstNonSpace(line);
    if (cursect && optname && indent > indentLevel) {
      cursect.values.get(optname)?.push(value);
      continue;
    }
    indentLevel = indent;
    // SECTCRE `\[(?P<header>.+)\]`, matched at the start: the header runs to the last "]".
    const close = value.startsWith("[") ? value.lastIndexOf("]") : -1;
    if (close >= 2) {
      const name = value.slice(1, close);
      if (sections.has(name)) {
        throw parseError(file, lineNo, `repeats the section [${name}]`);
      } else if (name === DEFAULT_SECTION) {
        cursect = defaults;
      } else {
        cursect = { values: new Map(), lines: new Map() };
        sections.set(name, cursect);
      }
      if (!added.has(name)) added.set(name, new Set());
      sectname = name;
      optname = undefined;
      continue;
    }
    if (!cursect) {
      throw parseError(
        file,
        lineNo,
        lineNo === 1 && value.startsWith("\ufeff")
          ? "starts with a UTF-8 byte order mark, which the AWS CLI does not accept"
          : "comes before any [section] header",
      );
    }
    // OPTCRE: the option name runs to the first "=" or ":".
    const delimiter = firstOf(value, "=", ":");
    if (delimiter < 0) {
      firstBadLine ??= lineNo;
      continue;
    }
    const name = pyRstrip(value.slice(0, delimiter)).toLowerCase();
    if (name === "") firstBadLine ??= lineNo;
    const options = added.get(sectname) as Set<string>;
    if (options.has(name)) throw parseError(file, lineNo, `repeats the setting "${name}" in [${sectname}]`);
    options.add(name);
    cursect.values.set(name, [pyStrip(value.slice(delimiter + 1))]);
    cursect.lines.set(name, lineNo);
    optname = name;
  }
  if (firstBadLine !== undefined) {
    throw parseError(file, firstBadLine, "is neither a [section] header nor a key = value setting");
  }

  const result = new Map<string, Settings>();
  for (const [name, section] of sections) {
    const settings = emptySettings();
    for (const source of [section, defaults]) {
      for (const [option, parts] of source.values) {
        if (hasSetting(settings, option)) continue;
        const joined = pyRstrip(parts.join("\n"));
        if (joined.startsWith("\n") && parseNested(joined) === undefined) {
          throw parseError(file, source.lines.get(option) ?? 0, `has a nested block under "${option}" with a line that is not key = value`);
        }
        settings[option] = joined;
      }
    }
    result.set(name, settings);
  }
  return result;
}

/**
 * botocore's `_parse_nested`: a value starting with a newline is a block of `key = value` lines
 * (keys kept as written, later keys win). Undefined when a line has no "=" (botocore refuses the file).
 */
export function parseNested(value: string): Record<string, string> | undefined {
  const nested = emptySettings();
  for (const raw of pySplitlines(value)) {
    const line = pyStrip(raw);
    if (line === "") continue;
    const eq = line.indexOf("=");
    if (eq < 0) return undefined;
    nested[pyStrip(line.slice(0, eq))] = pyStrip(line.slice(eq + 1));
  }
  return nested;
}

/** Whether a value is a nested block (botocore turns it into a dictionary). */
export function isNested(value: string): boolean {
  return value.startsWith("\n");
}

function parseError(file: string, line: number, what: string): HelperError {
  return new HelperError(
    "config-parse",
    `${file} line ${line} ${what}, so the AWS CLI would refuse this file too`,
    "Fix that line (sections are [profile NAME], settings are key = value)",
  );
}

/** The first index of either character, or -1 (String#search would run an interpreted builtin). */
function firstOf(text: string, a: string, b: string): number {
  const i = text.indexOf(a);
  const j = text.indexOf(b);
  return i < 0 ? j : j < 0 ? i : Math.min(i, j);
}
