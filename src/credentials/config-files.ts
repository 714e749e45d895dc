/**
 * The AWS CLI's shared config and credentials files, read the way botocore reads them
 * (configparser.RawConfigParser, strict): so that a file the AWS CLI would refuse is refused here
 * too, with its file and line, instead of the SDK's lenient parser silently skipping lines.
 */
import { readFileSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import { ENV, type Env } from "../env.js";
import { HelperError } from "../errors.js";

/** One profile's settings, keys lowercased as configparser does. */
export type ProfileSettings = Readonly<Record<string, string>>;

export interface SharedConfig {
  readonly configFile: string;
  readonly credentialsFile: string;
  /** Profiles from both files; a name in both has the credentials file's keys over the config's. */
  readonly profiles: ReadonlyMap<string, ProfileSettings>;
}

/** The home directory the AWS CLI expands `~` to: HOME, else USERPROFILE, else the OS's answer. */
export function homeDir(env: Env): string {
  return env[ENV.home] ?? env[ENV.userProfile] ?? homedir();
}

/** Where the AWS CLI looks: AWS_CONFIG_FILE / AWS_SHARED_CREDENTIALS_FILE, else ~/.aws/. */
export function sharedFilePaths(env: Env): { configFile: string; credentialsFile: string } {
  const home = homeDir(env);
  return {
    configFile: expandHome(env[ENV.configFile] ?? join(home, ".aws", "config"), home),
    credentialsFile: expandHome(env[ENV.credentialsFile] ?? join(home, ".aws", "credentials"), home),
  };
}

function expandHome(path: string, home: string): string {
  return path === "~" || path.startsWith("~/") ? join(home, path.slice(1)) : path;
}

/** Reads and validates both files. A missing file is empty, as for the AWS CLI. */
export function loadSharedConfig(env: Env): SharedConfig {
  const { configFile, credentialsFile } = sharedFilePaths(env);
  const profiles = new Map<string, Record<string, string>>();
  for (const [name, settings] of parseIniFile(configFile)) {
    // In the config file a profile is "[profile NAME]", except "[default]" (botocore).
    const m = /^profile\s+(.+)$/.exec(name);
    const profile = m ? (m[1] as string).trim() : name === "default" ? "default" : undefined;
    if (profile !== undefined) profiles.set(profile, { ...profiles.get(profile), ...settings });
  }
  for (const [name, settings] of parseIniFile(credentialsFile)) {
    profiles.set(name, { ...profiles.get(name), ...settings });
  }
  return { configFile, credentialsFile, profiles };
}

function parseIniFile(file: string): Map<string, Record<string, string>> {
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT" || (err as NodeJS.ErrnoException).code === "ENOTDIR") return new Map();
    throw new HelperError("config-parse", `cannot read ${file} (${(err as NodeJS.ErrnoException).code ?? "error"})`, "Check the file's permissions");
  }
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    throw parseError(file, firstInvalidUtf8Line(bytes), "is not valid UTF-8");
  }
  return parseIni(text, file);
}

function firstInvalidUtf8Line(bytes: Buffer): number {
  const lines = bytes.toString("latin1").split("\n");
  let offset = 0;
  for (let i = 0; i < lines.length; i++) {
    const len = (lines[i] as string).length;
    try {
      new TextDecoder("utf-8", { fatal: true }).decode(bytes.subarray(offset, offset + len));
    } catch {
      return i + 1;
    }
    offset += len + 1;
  }
  return lines.length;
}

function parseError(file: string, line: number, what: string): HelperError {
  return new HelperError(
    "config-parse",
    `${file} line ${line} ${what}, so the AWS CLI would refuse this file too`,
    "Fix that line (sections are [profile NAME], settings are key = value)",
  );
}

/**
 * configparser's reading rules (Python 3.11 RawConfigParser, strict=True, botocore's settings):
 * `#`/`;` full-line comments, `[section]` headers, `key = value` or `key: value` options,
 * indented continuation lines, duplicate sections or options are errors, and an option before any
 * section is an error. botocore additionally parses a value that starts on the next line as nested
 * `key = value` lines (e.g. `s3 =`), and refuses a nested line without `=`.
 */
export function parseIni(text: string, file: string): Map<string, Record<string, string>> {
  const sections = new Map<string, Record<string, string>>();
  const seen = new Set<string>();
  let current: Record<string, string> | undefined;
  let sectionName = "";
  let option: string | undefined;
  let optionLine = 0;
  let indentLevel = 0;
  const finishOption = (): void => {
    // botocore's _parse_nested: a value starting on its own line must hold key=value lines.
    if (current && option !== undefined && (current[option] ?? "").startsWith("\n")) {
      const nested = (current[option] as string).split("\n");
      for (let k = 1; k < nested.length; k++) {
        if ((nested[k] as string).trim() !== "" && !(nested[k] as string).includes("=")) {
          throw parseError(file, optionLine + k, `has a nested setting without "=" under "${option}"`);
        }
      }
    }
  };

  const lines = text.split(/\r?\n|\r/);
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i] as string;
    const lineNo = i + 1;
    const stripped = raw.trim();
    if (stripped === "" || stripped.startsWith("#") || stripped.startsWith(";")) {
      if (stripped === "" && current && option !== undefined) current[option] += "\n";
      continue;
    }
    const indent = raw.length - raw.trimStart().length;
    if (current && option !== undefined && indent > indentLevel) {
      current[option] = `${current[option]}\n${stripped}`;
      continue;
    }
    indentLevel = indent;
    const header = /^\[(.+)\]/.exec(stripped);
    if (header) {
      finishOption();
      sectionName = header[1] as string;
      if (seen.has(sectionName)) throw parseError(file, lineNo, `repeats the section [${sectionName}]`);
      seen.add(sectionName);
      current = {};
      sections.set(sectionName, current);
      option = undefined;
      continue;
    }
    if (!current) throw parseError(file, lineNo, "comes before any [section] header");
    const opt = /^(.*?)\s*([=:])\s*(.*)$/.exec(stripped);
    if (!opt || (opt[1] as string) === "") throw parseError(file, lineNo, "is neither a [section] header nor a key = value setting");
    finishOption();
    const key = (opt[1] as string).trimEnd().toLowerCase();
    if (Object.prototype.hasOwnProperty.call(current, key)) {
      throw parseError(file, lineNo, `repeats the setting "${key}" in [${sectionName}]`);
    }
    current[key] = (opt[3] as string).trim();
    option = key;
    optionLine = lineNo;
  }
  finishOption();
  // Values keep no trailing blank lines (configparser joins and strips).
  for (const settings of sections.values()) {
    for (const k of Object.keys(settings)) settings[k] = (settings[k] as string).replace(/\n+$/, "");
  }
  return sections;
}
