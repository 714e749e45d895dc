/**
 * Reading a small file of ours from the session cache without trusting what is there:
 * a FIFO would block a plain read forever, a symbolic link to /dev/zero would never end, a huge
 * file would take seconds, and a file someone else planted could hand us their credentials. So
 * the file is opened without blocking and without following a final symbolic link, and only a
 * regular file of at most `maxBytes` that the user owns is read at all.
 */
import { nodeFs } from "../runtime/node-fs.js";

/**
 * Why a file was not read: there is none; something that is not a regular file of ours (a FIFO, a
 * device, a directory, a link, another user's file); too big; or an I/O error.
 */
export type NotRead = { readonly problem: string; readonly kind: "absent" | "foreign" | "oversize" | "unreadable" };

/** What {@link readOwnFile} found: the text, or why it is not read. */
export type OwnFile =
  | { readonly text: string; readonly id: string }
  /** The same file as `unchangedSince` named: not read again. */
  | { readonly unchanged: true; readonly id: string }
  | NotRead;

// O_NOFOLLOW and O_NONBLOCK do not exist on Windows, where neither FIFOs nor /dev/zero lurk.
function openFlags(): number {
  const { constants } = nodeFs();
  return constants.O_RDONLY | (constants.O_NONBLOCK ?? 0) | (constants.O_NOFOLLOW ?? 0);
}

/**
 * Reads `path` if it is a regular file of at most `maxBytes` owned by `owner` (when given). `id`
 * identifies this version of the file (device, inode, size, times): a caller that passes the id it
 * saw last gets `unchanged` instead of a second read of the same bytes.
 */
export function readOwnFile(path: string, maxBytes: number, owner: number | undefined, unchangedSince?: string): OwnFile {
  const fs = nodeFs();
  let fd: number;
  try {
    fd = fs.openSync(path, openFlags());
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === "ENOENT") return { problem: "absent", kind: "absent" };
    // Linux and macOS say ELOOP for O_NOFOLLOW on a link, FreeBSD EMLINK.
    if (code === "ELOOP" || code === "EMLINK") return { problem: "a symbolic link, not a regular file", kind: "foreign" };
    return { problem: `unreadable (${code ?? "error"})`, kind: code === "EISDIR" ? "foreign" : "unreadable" };
  }
  try {
    const st = fs.fstatSync(fd);
    if (!st.isFile()) return { problem: "not a regular file", kind: "foreign" };
    if (owner !== undefined && st.uid !== owner) return { problem: `owned by uid ${st.uid}, not by this user`, kind: "foreign" };
    if (st.size > maxBytes) return { problem: `${st.size} bytes, over the ${maxBytes}-byte limit`, kind: "oversize" };
    const id = `${st.dev}:${st.ino}:${st.size}:${st.mtimeMs}:${st.ctimeMs}`;
    if (id === unchangedSince) return { unchanged: true, id };
    // Read to the end rather than trust the size: the file may grow while we read.
    const buffer = new Uint8Array(maxBytes + 1);
    let size = 0;
    for (let n = -1; n !== 0 && size <= maxBytes; size += n) n = fs.readSync(fd, buffer, size, buffer.length - size, null);
    if (size > maxBytes) return { problem: `over the ${maxBytes}-byte limit`, kind: "oversize" };
    // TextDecoder, not Buffer#toString: the same UTF-8 reading, without Buffer's first-use cost under Bun.
    return { text: new TextDecoder("utf-8", { ignoreBOM: true }).decode(buffer.subarray(0, size)), id };
  } catch (err) {
    return { problem: `unreadable (${(err as NodeJS.ErrnoException).code ?? "error"})`, kind: "unreadable" };
  } finally {
    fs.closeSync(fd);
  }
}

/**
 * Why entries in `dir` cannot be trusted, or undefined when they can: a directory other users may
 * write to lets them plant or swap entries. (Group-writable is allowed: with per-user groups, the
 * default on Debian and Ubuntu, the AWS CLI creates the directory that way.)
 */
export function untrustedDirectory(dir: string, owner: number | undefined): string | undefined {
  // Without a uid (Windows) there are no POSIX permission bits to judge by.
  if (owner === undefined) return undefined;
  try {
    const st = nodeFs().statSync(dir);
    if (!st.isDirectory()) return `${dir} is not a directory`;
    if ((st.mode & 0o002) !== 0) return `${dir} is writable by other users`;
    return undefined;
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    return code === "ENOENT" ? undefined : `${dir} is unreadable (${code ?? "error"})`;
  }
}

/** Removes a file if it can; a file already gone or a read-only directory is not an error here. */
export function unlinkQuietly(path: string): void {
  try {
    nodeFs().unlinkSync(path);
  } catch {
    // gone already, or the directory is read-only: nothing to do
  }
}

/**
 * The user whose files the cache may hold: this process's effective uid, undefined on Windows.
 * (With lockOptionsForThisProcess, the only places outside main.ts that ask the process about
 * itself: trust is about who we are.)
 */
export function thisUser(): number | undefined {
  return process.geteuid?.();
}

/** The largest cache file (role session, SSO token, login session) read at all: real ones are 1–4 KiB. */
export const MAX_CACHE_FILE_BYTES = 64 * 1024;

/**
 * A cache file's text, for callers that treat any failure as a miss: throws instead of returning
 * why, and never blocks or reads past {@link MAX_CACHE_FILE_BYTES} (a FIFO, /dev/zero, a huge file).
 */
export function readCacheText(path: string): string {
  const file = readOwnFile(path, MAX_CACHE_FILE_BYTES, thisUser());
  if ("text" in file) return file.text;
  throw new Error(`${path} is ${"problem" in file ? file.problem : "unchanged"}`);
}
