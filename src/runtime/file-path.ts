/**
 * `join` and `isAbsolute` as node:path has them for this platform, without loading node:path on
 * POSIX systems (bench/bench.ts --breakdown: requiring it costs a compiled run about as much as all of `store`'s own
 * work). The POSIX forms are a few lines; Windows paths (drive letters, UNC shares, both slashes)
 * are left to node:path.win32, loaded there on first use. test/file-path.test.ts holds the POSIX
 * forms to node:path.posix on generated paths.
 */

const windows = process.platform === "win32";

/** Which rules a path follows: this build's platform, or the other one in a test. */
export type PathFlavour = "posix" | "win32";

/** The flavour of the platform this program runs on. */
export const HOST_PATH_FLAVOUR: PathFlavour = windows ? "win32" : "posix";

function win32(): typeof import("node:path").win32 {
  return (require("node:path") as typeof import("node:path")).win32;
}

/** node:path's `isAbsolute` on this platform. */
export function isAbsolutePath(path: string): boolean {
  return windows ? win32().isAbsolute(path) : posixIsAbsolute(path);
}

/** node:path's `isAbsolute` for the given flavour (drive letters and UNC shares on win32). */
export function isAbsolutePathFor(flavour: PathFlavour, path: string): boolean {
  return flavour === "win32" ? win32().isAbsolute(path) : posixIsAbsolute(path);
}

/** node:path's `join` for the given flavour. */
export function joinPathFor(flavour: PathFlavour, ...parts: string[]): string {
  return flavour === "win32" ? win32().join(...parts) : posixJoin(...parts);
}

/** node:path's `join` on this platform: the non-empty parts joined, then normalized. */
export function joinPath(...parts: string[]): string {
  return windows ? win32().join(...parts) : posixJoin(...parts);
}

export function posixIsAbsolute(path: string): boolean {
  return path.startsWith("/");
}

export function posixJoin(...parts: string[]): string {
  // Loops rather than Array#filter and String#split: interpreted builtins that cost a Bun run more
  // than the paths themselves (bench/bench.ts --breakdown).
  let joined = "";
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i] as string;
    if (part !== "") joined = joined === "" ? part : `${joined}/${part}`;
  }
  return joined === "" ? "." : posixNormalize(joined);
}

/**
 * Collapses repeated slashes and `.` segments and resolves `..` against the segment before it
 * (above the root of an absolute path there is nothing; a relative path keeps its leading `..`),
 * keeping a trailing slash.
 */
export function posixNormalize(path: string): string {
  if (path === "") return ".";
  const absolute = path.startsWith("/");
  const trailing = path.endsWith("/");
  const kept: string[] = [];
  for (let start = 0; start <= path.length; ) {
    let end = path.indexOf("/", start);
    if (end < 0) end = path.length;
    const segment = path.slice(start, end);
    start = end + 1;
    if (segment === "" || segment === ".") continue;
    if (segment !== "..") kept.push(segment);
    else if (kept.length > 0 && kept[kept.length - 1] !== "..") kept.pop();
    else if (!absolute) kept.push("..");
  }
  const body = kept.join("/");
  if (body === "") return absolute ? "/" : trailing ? "./" : ".";
  return `${absolute ? "/" : ""}${body}${trailing ? "/" : ""}`;
}
