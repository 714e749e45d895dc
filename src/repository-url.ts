/**
 * The `<repository>` of `clone` (and a remote URL `doctor` checks) as an https CodeCommit URL:
 * a repository name (URL built from the region), an https URL of a CodeCommit endpoint, or
 * git-remote-codecommit's `codecommit::<region>://[<profile>@]<repo>` / `codecommit://[<profile>@]<repo>`.
 */
import { HelperError } from "./errors.js";
import { recognizeHost } from "./host.js";

/** CodeCommit repository names: letters, digits, `.`, `_`, `-`, up to 100 characters. */
const REPO_NAME = /^(?!\.{1,2}$)[A-Za-z0-9._-]{1,100}$/;

export interface RepositoryRef {
  /** The https URL git clones and later fetches from. */
  readonly url: string;
  /** A profile named by a `codecommit://profile@repo` URL. */
  readonly profile?: string;
}

/** The https URL of repository `name` in `region` (China regions are under amazonaws.com.cn). */
export function repositoryUrl(name: string, region: string): string {
  const domain = region.startsWith("cn-") ? "amazonaws.com.cn" : "amazonaws.com";
  return `https://git-codecommit.${region}.${domain}/v1/repos/${name}`;
}

/**
 * Parses `<repository>`. `region` is asked for only when the argument names no region (a bare
 * name or `codecommit://`); it gets the profile the argument names, if any.
 */
export function parseRepository(arg: string, region: (profile: string | undefined) => string | undefined): RepositoryRef {
  const remote = /^codecommit(?:::([a-z0-9-]+))?:\/\/(?:(.*)@)?([^@]*)$/.exec(arg);
  if (remote) {
    const [, urlRegion, profile, name] = remote as unknown as [string, string | undefined, string | undefined, string];
    if (!REPO_NAME.test(name)) throw notARepository(arg);
    const where = urlRegion ?? needRegion(region(profile || undefined), name);
    return { url: repositoryUrl(name, where), ...(profile ? { profile } : {}) };
  }
  if (/^https:\/\//i.test(arg)) {
    let parsed: URL;
    try {
      parsed = new URL(arg);
    } catch {
      throw notARepository(arg);
    }
    // git would keep a user name or password in the remote URL; ours are computed each time (§8).
    if (parsed.username || parsed.password) {
      throw new HelperError("usage", "the repository URL carries a user name or password", "Leave it out: git-credential-codecommit computes them for every request");
    }
    const host = parsed.host;
    if (!recognizeHost(host)) {
      throw new HelperError("usage", `${arg} is not a CodeCommit URL`, "Give an https://git-codecommit.<region>.amazonaws.com/v1/repos/<name> URL or just the repository name");
    }
    return { url: arg };
  }
  if (REPO_NAME.test(arg)) return { url: repositoryUrl(arg, needRegion(region(undefined), arg)) };
  throw notARepository(arg);
}

function needRegion(region: string | undefined, name: string): string {
  if (region) return region;
  throw new HelperError(
    "no-region",
    `no AWS region is configured to find the repository ${name} in`,
    "Give --region REGION, set region in the profile, or use the full https URL",
  );
}

function notARepository(arg: string): HelperError {
  return new HelperError(
    "usage",
    `"${arg}" is neither a CodeCommit repository name nor a CodeCommit URL`,
    "Give a name, an https URL, or codecommit::<region>://[<profile>@]<name>",
  );
}
