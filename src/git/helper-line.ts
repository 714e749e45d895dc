/**
 * `credential.helper` values: the one `setup` writes, and what the others found in a config are
 * (ours, the AWS CLI's, or one that stores passwords). git runs a value as gitcredentials(7) says:
 * `!cmd` through the shell, an absolute path as is, anything else as `git credential-<value>`.
 */

/** The `/` or `C:\` (or `\\server`) that starts an absolute path, as git's is_absolute_path sees one. */
const ABSOLUTE = /^([A-Za-z]:)?[\\/]/;

/**
 * The value that makes git run this helper: `<program> [--profile P] [--region R] [--host H]`.
 * `program` is this program's start command (see self-command.ts); without it, the bare name
 * `codecommit`, which git looks up on its PATH as `git credential-codecommit`.
 */
export function helperLine(profile: string | undefined, region: string | undefined, host?: string, program?: readonly string[]): string {
  const words = [helperProgram(program)];
  if (profile !== undefined) words.push("--profile", shellQuote(profile));
  if (region !== undefined) words.push("--region", shellQuote(region));
  if (host !== undefined) words.push("--host", shellQuote(host));
  return words.join(" ");
}

/**
 * git runs a helper value that is an absolute path as is, through the shell, and any other value
 * without `!` as `git credential-<value>` (gitcredentials(7), credential.c). A path that needs
 * quoting (a space, as in `C:\Program Files\…`) does not start with a slash once quoted, so it is
 * written as a `!` shell command instead, which git also runs through the shell.
 */
function helperProgram(program: readonly string[] | undefined): string {
  if (program === undefined || program.length === 0) return "codecommit";
  const quoted = program.map(shellQuote);
  const plain = quoted.every((w, i) => w === program[i]) && ABSOLUTE.test(program[0] as string);
  return plain ? quoted.join(" ") : `!${quoted.join(" ")}`;
}

/**
 * Single-quotes a word for a POSIX shell only when it needs it: git runs helper lines (and `!`
 * helpers, also on Windows) with sh, and doctor prints commands to paste into one. `=` is quoted
 * too: in a command's first word, `NAME=value` would be taken for an assignment.
 */
export function shellQuote(word: string): string {
  return /^[A-Za-z0-9._@%+:,/-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

/** Splits a shell line into words: '…', "…" and backslash escapes; no expansion (none is needed here). */
export function shellWords(line: string): string[] {
  const words: string[] = [];
  let word: string | undefined;
  for (let i = 0; i < line.length; i++) {
    const c = line[i] as string;
    if (/\s/.test(c)) {
      if (word !== undefined) words.push(word);
      word = undefined;
    } else if (c === "'") {
      const end = line.indexOf("'", i + 1);
      word = (word ?? "") + line.slice(i + 1, end === -1 ? line.length : end);
      i = end === -1 ? line.length : end;
    } else if (c === '"') {
      let j = i + 1;
      let text = "";
      for (; j < line.length && line[j] !== '"'; j++) text += line[j] === "\\" && j + 1 < line.length ? (line[++j] as string) : line[j];
      word = (word ?? "") + text;
      i = j;
    } else if (c === "\\" && i + 1 < line.length) {
      word = (word ?? "") + line[++i];
    } else {
      word = (word ?? "") + c;
    }
  }
  if (word !== undefined) words.push(word);
  return words;
}

/** What a helper value is, for `setup` (migrate) and `doctor` (order and storage). */
export type HelperKind =
  /** This program: `codecommit …` or a path ending in `git-credential-codecommit`. */
  | { readonly kind: "ours"; readonly profile?: string; readonly region?: string; readonly hosts: readonly string[] }
  /** `!aws [--profile x] codecommit credential-helper [--profile x] $@`, AWS's documented recipe. */
  | { readonly kind: "aws-cli"; readonly profile?: string; readonly region?: string }
  /** A helper that keeps passwords (a file, a keychain, memory): it would replay an expired one. */
  | { readonly kind: "storing"; readonly name: string }
  | { readonly kind: "other"; readonly name: string };

/** Helpers that store what git approves (gitcredentials(7), Git Credential Manager, contrib/). */
const STORING = new Set(["osxkeychain", "manager", "manager-core", "store", "cache", "libsecret", "wincred", "gnome-keyring"]);

/** Classifies one `credential.helper` value. */
export function classifyHelper(value: string): HelperKind {
  const shell = value.startsWith("!");
  const words = shellWords(shell ? value.slice(1) : value);
  // The npm bin written as `/abs/node /abs/git-credential-codecommit.cjs`: the script is the program.
  const at =
    /^node(\.exe)?$/i.test(baseName(words[0] ?? "")) && /^git-credential-codecommit(\.c?js)?$/.test(baseName(words[1] ?? "")) ? 1 : 0;
  const first = words[at] ?? "";
  const base = baseName(first).replace(/\.(exe|cmd|bat|cjs|js)$/i, "");
  const options = optionsOf(words.slice(at + 1));
  if (shell && base === "aws" && words.some((w, i) => w === "codecommit" && words[i + 1] === "credential-helper")) {
    return { kind: "aws-cli", ...options };
  }
  // Without "!", git prefixes "credential-" to a bare name and runs it as a git command.
  const name = shell || /[\\/]/.test(first) ? base.replace(/^git-credential-/, "") : first;
  if (name === "codecommit") return { kind: "ours", ...options, hosts: hostsOf(words.slice(at + 1)) };
  return STORING.has(name) ? { kind: "storing", name } : { kind: "other", name };
}

/** The last part of a path, either separator. */
function baseName(path: string): string {
  return path.split(/[\\/]/).pop() ?? "";
}

/** `--profile`/`--region` (either spelling) among a helper's words. */
function optionsOf(words: readonly string[]): { profile?: string; region?: string } {
  const found: { profile?: string; region?: string } = {};
  for (let i = 0; i < words.length; i++) {
    const m = /^--(profile|region)(?:=(.*))?$/.exec(words[i] as string);
    if (!m) continue;
    const value = m[2] ?? words[++i];
    if (value !== undefined && value !== "") found[m[1] as "profile" | "region"] = value;
  }
  return found;
}

/** Every `--host NAME` among a helper's words. */
function hostsOf(words: readonly string[]): string[] {
  const hosts: string[] = [];
  words.forEach((w, i) => {
    if (w === "--host" && words[i + 1]) hosts.push(words[i + 1] as string);
    else if (w.startsWith("--host=") && w.length > 7) hosts.push(w.slice(7));
  });
  return hosts;
}

/** Whether git finds this helper by name on PATH (`git credential-<name>`), rather than running a path or a `!` command. */
export function runsByName(value: string): boolean {
  return !value.startsWith("!") && !ABSOLUTE.test(value);
}

/** The shell command git builds from a helper value and an operation (credential.c: `!`, an absolute path, or `git credential-`). */
export function helperCommand(value: string, operation: string): string {
  if (value.startsWith("!")) return `${value.slice(1)} ${operation}`;
  if (ABSOLUTE.test(value)) return `${value} ${operation}`;
  return `git credential-${value} ${operation}`;
}

/**
 * The command that erases a stored CodeCommit password from this helper: what git would run for
 * `erase`, with the request on stdin (git-credential(1)).
 */
export function eraseCommand(value: string, host: string): string {
  return `printf 'protocol=https\\nhost=${host}\\n\\n' | ${helperCommand(value, "erase")}`;
}
