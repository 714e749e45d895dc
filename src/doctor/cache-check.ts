/**
 * doctor's warning about the role-session cache (~/.aws/cli/cache, or AWS_CLI_CACHE_DIR): `get`
 * ignores the whole directory when other users may write to it, and each entry that is not a
 * regular file of this user's (src/session-cache/own-file.ts) — so role and SSO credentials
 * are fetched anew every time, with an MFA prompt each time for an MFA role. Silent when all is well.
 */
import { nodeFs } from "../runtime/node-fs.js";
import { joinPath } from "../runtime/file-path.js";
import { untrustedDirectory } from "../session-cache/own-file.js";
import { shellQuote } from "../git/helper-line.js";
import { warn, type Check } from "./check.js";

/** A ⚠ when the cache directory or some of its entries are ignored; undefined otherwise (or on Windows, `owner` undefined). */
export function sessionCacheCheck(dir: string, owner: number | undefined): Check | undefined {
  if (owner === undefined) return undefined;
  const untrusted = untrustedDirectory(dir, owner);
  if (untrusted !== undefined) {
    return warn(
      `${untrusted}: git-credential-codecommit ignores the role sessions cached there, so it asks STS (and any MFA device) every time`,
      `chmod o-w ${shellQuote(dir)}`,
    );
  }
  const foreign = foreignEntries(dir, owner);
  if (foreign.length === 0) return undefined;
  const list = foreign.map(([name, why]) => `${name} (${why})`).join(", ");
  return warn(
    `${dir} holds ${foreign.length === 1 ? "an entry" : `${foreign.length} entries`} that git-credential-codecommit ignores, not being regular files of yours: ${list}`,
    `rm -f ${foreign.map(([name]) => shellQuote(joinPath(dir, name))).join(" ")}`,
  );
}

/** The `*.json` entries (what a lookup reads) that are links, not regular files, or another user's, with why; sorted by name. */
function foreignEntries(dir: string, owner: number): Array<[string, string]> {
  let names: string[];
  try {
    names = nodeFs().readdirSync(dir);
  } catch {
    return [];
  }
  return names
    .filter((name) => name.endsWith(".json"))
    .sort()
    .flatMap((name): Array<[string, string]> => {
      const why = describe(joinPath(dir, name), owner);
      return why === undefined ? [] : [[name, why]];
    });
}

/** Why an entry is ignored, or undefined when it is a regular file of `owner`'s (or vanished meanwhile). */
function describe(path: string, owner: number): string | undefined {
  try {
    const st = nodeFs().lstatSync(path);
    if (st.isSymbolicLink()) return "a symbolic link";
    if (!st.isFile()) return "not a regular file";
    return st.uid === owner ? undefined : `owned by uid ${st.uid}`;
  } catch {
    return undefined;
  }
}
