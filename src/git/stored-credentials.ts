/**
 * CodeCommit passwords that `git credential-store` kept in its files: once expired, git replays
 * them and gets 403 forever (the trap `setup`'s empty helper avoids). The files and their format
 * are git-credential-store(1)'s: one `https://user:password@host[:port][/path]` URL a line, in
 * ~/.git-credentials and $XDG_CONFIG_HOME/git/credentials (or a `--file`).
 */
import { nodeFs } from "../runtime/node-fs.js";
import { joinPath } from "../runtime/file-path.js";
import { ENV, type Env } from "../env.js";
import { recognizeHost } from "../host.js";
import { shellWords } from "./helper-line.js";

/** A stored entry for a CodeCommit host. Carries no secret: only where it is and for which host. */
export interface StoredEntry {
  readonly file: string;
  /** `host[:port]` as stored, which is what `git credential-store erase` matches. */
  readonly host: string;
}

/** git's idea of home, where credential-store's files are: HOME, else USERPROFILE (git for Windows). */
export function gitHome(env: Env): string {
  return env[ENV.home] ?? env[ENV.userProfile] ?? "";
}

/** The files `git credential-store` reads with these options (a helper value such as `store --file x`). */
export function storeFiles(helperValue: string | undefined, env: Env, home: string): string[] {
  const words = helperValue === undefined ? [] : shellWords(helperValue);
  const at = words.findIndex((w) => w === "--file" || w.startsWith("--file="));
  if (at !== -1) {
    const given = (words[at] as string).startsWith("--file=") ? (words[at] as string).slice("--file=".length) : words[at + 1];
    if (given) return [given.startsWith("~/") ? joinPath(home, given.slice(2)) : given];
  }
  const xdg = env[ENV.xdgConfigHome] || joinPath(home, ".config");
  return [joinPath(home, ".git-credentials"), joinPath(xdg, "git", "credentials")];
}

/** Every entry for a CodeCommit host in `files`; a file that cannot be read holds none. */
export function storedCodeCommitEntries(files: readonly string[]): StoredEntry[] {
  const found: StoredEntry[] = [];
  for (const file of files) {
    let text: string;
    try {
      text = nodeFs().readFileSync(file, "utf8");
    } catch {
      continue;
    }
    for (const line of text.split("\n")) {
      let url: URL;
      try {
        url = new URL(line.trim());
      } catch {
        continue;
      }
      if (url.protocol === "https:" && recognizeHost(url.host) && !found.some((e) => e.file === file && e.host === url.host)) {
        found.push({ file, host: url.host });
      }
    }
  }
  return found;
}
