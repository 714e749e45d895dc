/**
 * git's credential wire format (git-credential(1), "INPUT/OUTPUT FORMAT"): lenient reading, strict
 * writing.
 */
import { HelperError } from "./errors.js";

/** The attributes of a request that this helper looks at; everything else git sends is dropped. */
export interface CredentialRequest {
  readonly protocol?: string;
  /** As git sent it, possibly with `:port`. */
  readonly host?: string;
  /** Without a leading slash, already percent-decoded by git. Present only with UseHttpPath. */
  readonly path?: string;
  readonly username?: string;
}

/** Input larger than this is refused: git never sends anything near it. */
export const MAX_INPUT_BYTES = 1024 * 1024;

/**
 * Whether a whole request has arrived: a blank line (`\n` or `\r\n` alone) ends it, and git keeps
 * stdin open after it, waiting for the answer, so the reader must stop there rather than at EOF
 * (git-credential(1)). `data` may be a window of the input; `atStart` says whether it begins the input.
 * A blank line is one at the very start, or one right after a line feed.
 */
export function hasBlankLine(data: Uint8Array, atStart: boolean): boolean {
  const LF = 0x0a;
  const CR = 0x0d;
  if (atStart && (data[0] === LF || (data[0] === CR && data[1] === LF))) return true;
  // A byte loop rather than Buffer#includes, whose first use costs a Bun run more than the request does.
  for (let i = data.indexOf(LF); i >= 0 && i < data.length - 1; i = data.indexOf(LF, i + 1)) {
    if (data[i + 1] === LF || (data[i + 1] === CR && data[i + 2] === LF)) return true;
  }
  return false;
}

/**
 * Parses what git writes on the helper's stdin. Lines are `key=value`, split on the first `=`, a
 * trailing CR is stripped, and reading stops at the first blank line. Unknown keys, and the
 * repeatable `capability[]`, `wwwauth[]` and `state[]`, are ignored.
 */
export function parseRequest(input: Uint8Array | string): CredentialRequest {
  const size = typeof input === "string" ? Buffer.byteLength(input) : input.length;
  if (size > MAX_INPUT_BYTES) {
    throw badInput(`input is ${size} bytes, over the 1 MiB limit`);
  }
  // UTF-8 with U+FFFD for bad bytes, as Buffer#toString decodes (a BOM is kept as a character).
  const text = typeof input === "string" ? input : new TextDecoder("utf-8", { ignoreBOM: true }).decode(input);
  if (text.includes("\0")) throw badInput("input contains a NUL byte");

  const fields: Record<string, string | undefined> = {};
  for (let i = 0, start = 0; start < text.length; i++) {
    let end = text.indexOf("\n", start);
    if (end < 0) end = text.length;
    const line = text.slice(start, text[end - 1] === "\r" ? end - 1 : end);
    start = end + 1;
    if (line === "") {
      // A blank line ends the request; so does EOF.
      break;
    }
    const eq = line.indexOf("=");
    if (eq < 0) throw badInput(`line ${i + 1} has no "="`);
    const key = line.slice(0, eq);
    const value = line.slice(eq + 1);
    if (key === "url") {
      // git: a url= line replaces every URL-derived attribute read so far (credential_from_url).
      for (const k of Object.keys(fields)) delete fields[k];
      Object.assign(fields, fieldsFromUrl(value));
    } else if (key === "protocol" || key === "host" || key === "path" || key === "username") {
      fields[key] = value;
    }
  }
  return fields;
}

/**
 * Expands `url=` the way git's credential_from_url does: userinfo → username, host with port,
 * path percent-decoded without leading and trailing slashes.
 */
function fieldsFromUrl(url: string): Record<string, string | undefined> {
  const protoEnd = url.indexOf("://");
  if (protoEnd <= 0) throw badInput(`url "${redactUserinfo(url)}" has no protocol`);
  const rest = url.slice(protoEnd + 3);
  const slashAt = searchAny(rest, "/?#");
  const authority = rest.slice(0, slashAt);
  const at = authority.indexOf("@");
  const userinfo = at >= 0 ? authority.slice(0, at) : undefined;
  const host = at >= 0 ? authority.slice(at + 1) : authority;
  const username = userinfo === undefined ? undefined : decode(userinfo.split(":")[0] as string);
  let path: string | undefined = rest.slice(slashAt).replace(/^\/+/, "");
  path = path === "" ? undefined : decode(path).replace(/(.)\/+$/, "$1");
  return { protocol: url.slice(0, protoEnd), host: decode(host), path, username };
}

function searchAny(s: string, chars: string): number {
  for (let i = 0; i < s.length; i++) if (chars.includes(s[i] as string)) return i;
  return s.length;
}

function decode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

/**
 * Never echo a password from a url= line into an error message, with or without a scheme: everything
 * up to the last "@" goes (a secret key may itself contain "/", so the authority's end is no guide).
 */
function redactUserinfo(url: string): string {
  return url.replace(/^((?:[^:/?#]*:\/\/)?).*@/, "$1<redacted>@");
}

function badInput(problem: string): HelperError {
  return new HelperError(
    "bad-input",
    `bad input from git: ${problem}`,
    "Expected key=value lines as git sends them (see git-credential(1))",
  );
}

/** What a successful `get` prints (git-credential(1), "INPUT/OUTPUT FORMAT"). */
export interface CredentialResponse {
  readonly username: string;
  readonly password: string;
  /** Unix seconds. */
  readonly passwordExpiryUtc: number;
}

/** Formats the answer with LF line endings only, on every platform. */
export function formatResponse(r: CredentialResponse): string {
  for (const v of [r.username, r.password]) {
    // The protocol cannot carry these; git would misread the rest of the answer.
    if (/[\n\0]/.test(v))
      throw new HelperError("credentials", "the credentials contain a newline or NUL byte", "Check the credential source");
  }
  return `username=${r.username}\npassword=${r.password}\npassword_expiry_utc=${r.passwordExpiryUtc}\n`;
}

/** Tells git to stop trying other helpers and not to prompt (git-credential(1), `quit`). */
export const QUIT = "quit=1\n";
