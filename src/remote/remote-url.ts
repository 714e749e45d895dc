/**
 * The URL grammar of AWS's Python `git-remote-codecommit` (README, "From git-remote-codecommit"):
 * `codecommit://[PROFILE@]REPO` and `codecommit::REGION://[PROFILE@]REPO`. git strips
 * `codecommit::` before it runs the helper, so the second form arrives as
 * `REGION://[PROFILE@]REPO`: the region sits where a scheme would.
 *
 * Split the way the Python tool's `urllib.parse.urlparse` splits it: scheme up to the first `:`
 * (lower-cased), then `//` and an authority up to the next `/`, `?` or `#`; the profile is what comes
 * before the first `@`. Stricter in three places, each of which only ever produced a URL CodeCommit
 * refuses: the repository must be a CodeCommit repository name, nothing but a lone `/` may follow it,
 * and the profile may not be empty or hold control characters.
 */
import { HelperError } from "../errors.js";

/** What a remote URL names. */
export interface RemoteUrl {
  readonly repository: string;
  /** The profile before `@`; undefined means the default chain (AWS_PROFILE, then `default`). */
  readonly profile: string | undefined;
  /** The region of the `codecommit::REGION://` form; undefined for `codecommit://`. */
  readonly region: string | undefined;
}

/** AWS region names: us-east-1, us-gov-west-1, cn-north-1, eu-isoe-west-1 — the shape, not a list. */
export const REGION_NAME = /^[a-z]{2}(?:-[a-z0-9]+)+-\d+$/;

/** CodeCommit repository names: letters, digits, `.`, `_`, `-`, at most 100, not `.` or `..`. */
const REPOSITORY_NAME = /^(?!\.{1,2}$)[A-Za-z0-9._-]{1,100}$/;

/** RFC 3986 scheme characters, as urlparse accepts them. */
const SCHEME = /^[A-Za-z][A-Za-z0-9+.-]*$/;

const FORMS = "Use codecommit://[PROFILE@]REPOSITORY or codecommit::REGION://[PROFILE@]REPOSITORY";

/** Parses the URL git hands a remote helper; throws a `remote-url` HelperError when it is none of ours. */
export function parseRemoteUrl(url: string): RemoteUrl {
  const colon = url.indexOf(":");
  const scheme = colon > 0 && SCHEME.test(url.slice(0, colon)) ? url.slice(0, colon).toLowerCase() : undefined;
  // Shown as the user wrote it: git removed "codecommit::" from the region form.
  const written = scheme === undefined || scheme === "codecommit" ? url : `codecommit::${url}`;
  const malformed = (why: string): HelperError => new HelperError("remote-url", `the remote URL "${written}" ${why}`, FORMS);

  if (scheme === undefined) throw malformed("has no scheme");
  const rest = url.slice(colon + 1);
  if (!rest.startsWith("//")) throw malformed(`needs "//" after "${url.slice(0, colon)}:"`);
  const end = rest.slice(2).search(/[/?#]/);
  const authority = end === -1 ? rest.slice(2) : rest.slice(2, 2 + end);
  const tail = end === -1 ? "" : rest.slice(2 + end);
  if (authority === "") throw malformed("names no repository");
  if (tail !== "" && tail !== "/") throw malformed(`has "${tail}" after the repository name`);

  let region: string | undefined;
  if (scheme !== "codecommit") {
    if (!REGION_NAME.test(scheme)) throw malformed(`starts with "${url.slice(0, colon)}", which is neither codecommit nor an AWS region`);
    region = scheme;
  }

  const at = authority.indexOf("@");
  const profile = at === -1 ? undefined : authority.slice(0, at);
  const repository = at === -1 ? authority : authority.slice(at + 1);
  // eslint-disable-next-line no-control-regex
  if (profile !== undefined && (profile === "" || /[\x00-\x1f\x7f]/.test(profile)))
    throw malformed("has an empty or unprintable profile before @");
  if (!REPOSITORY_NAME.test(repository))
    throw malformed(`names "${repository}", which is not a CodeCommit repository name (letters, digits, ".", "_", "-")`);
  return { repository, profile, region };
}
