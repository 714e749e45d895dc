/**
 * The `<repository>` of `clone` (and a remote URL `doctor` checks) as an https CodeCommit URL:
 * a repository name (URL built from the region), an https URL of a CodeCommit endpoint, or
 * git-remote-codecommit's `codecommit::<region>://[<profile>@]<repo>` / `codecommit://[<profile>@]<repo>`.
 *
 * A `codecommit:` URL is read by the remote helper's own parser and goes to the host the remote
 * helper would choose (src/remote/: China, FIPS, CODE_COMMIT_ENDPOINT), so `clone codecommit::…`
 * and `git clone codecommit::…` reach the same place; a bare name is `codecommit://<name>`.
 */
import { selectProfile } from "./aws-config/profile-name.js";
import type { ProfileSettings, SharedConfig } from "./credentials/config-files.js";
import { ENV, type Env } from "./env.js";
import { HelperError } from "./errors.js";
import { recognizeHost } from "./host.js";
import { remoteEndpoint, type RemoteEndpoint } from "./remote/endpoint.js";
import { parseRemoteUrl, type RemoteUrl } from "./remote/remote-url.js";

/** CodeCommit repository names: letters, digits, `.`, `_`, `-`, up to 100 characters. */
const REPO_NAME = /^(?!\.{1,2}$)[A-Za-z0-9._-]{1,100}$/;

export interface RepositoryRef {
  /** The https URL git clones and later fetches from. */
  readonly url: string;
  /** A profile named by a `codecommit://profile@repo` URL. */
  readonly profile?: string;
  /** Region and host chosen for a name or `codecommit:` URL; absent for an https URL. */
  readonly endpoint?: RemoteEndpoint;
}

/** The profile in effect (src/aws-config/profile-name.ts: the one given, else botocore's choice from the environment) and its settings. */
export interface ProfileInEffect {
  readonly name: string;
  readonly settings: ProfileSettings | undefined;
}

/**
 * The lookup `clone` and `doctor` pass to {@link parseRepository}: the profile selected as `get`
 * selects it; the shared files loaded (once) only when it is called.
 */
export async function profileLookup(env: Env): Promise<(profile: string | undefined) => ProfileInEffect> {
  const { loadSharedConfig } = await import("./credentials/config-files.js");
  let config: SharedConfig | undefined;
  return (profile) => {
    const name = selectProfile(profile, env).profile;
    config ??= loadSharedConfig(env);
    return { name, settings: config.profiles.get(name) };
  };
}

/** What a name or `codecommit:` URL needs besides itself. */
export interface RepositoryContext {
  /** `--region`: used when the argument names no region. */
  readonly region: string | undefined;
  readonly env: Env;
  /** The profile in effect for the argument's profile (undefined: none named); read from the files only when called. */
  readonly profile: (urlProfile: string | undefined) => ProfileInEffect;
}

/** Parses `<repository>`. */
export function parseRepository(arg: string, ctx: RepositoryContext): RepositoryRef {
  if (/^codecommit:/.test(arg)) {
    // git strips "codecommit::" before it runs the remote helper; its parser reads what git hands it.
    const url = parseRemoteUrl(arg.replace(/^codecommit::/, ""));
    return { ...endpointRef(url, ctx), ...(url.profile !== undefined ? { profile: url.profile } : {}) };
  }
  if (/^https:\/\//i.test(arg)) {
    let parsed: URL;
    try {
      parsed = new URL(arg);
    } catch {
      throw notARepository(arg);
    }
    // git would keep a user name or password in the remote URL; ours are computed each time, and a
    // secret must not be kept on disk.
    if (parsed.username || parsed.password) {
      throw new HelperError(
        "usage",
        "the repository URL carries a user name or password",
        "Leave it out: git-credential-codecommit computes them for every request",
      );
    }
    const host = parsed.host;
    if (!recognizeHost(host)) {
      throw new HelperError(
        "usage",
        `${arg} is not a CodeCommit URL`,
        "Give an https://git-codecommit.<region>.amazonaws.com/v1/repos/<name> URL or just the repository name",
      );
    }
    return { url: arg };
  }
  if (!REPO_NAME.test(arg)) throw notARepository(arg);
  const profile = ctx.profile(undefined);
  // The remote helper's region order, with a message that fits a name (it has no URL to put one in).
  const region = ctx.region || profile.settings?.region || ctx.env[ENV.region] || ctx.env[ENV.defaultRegion];
  if (!region) {
    throw new HelperError(
      "no-region",
      `no AWS region is configured to find the repository ${arg} in`,
      "Give --region REGION, set region in the profile, or use the full https URL",
    );
  }
  return endpointRef({ repository: arg, profile: undefined, region: ctx.region || undefined }, ctx, profile);
}

/** The remote helper's host choice; `--region` counts where the URL names none. */
function endpointRef(
  url: RemoteUrl,
  ctx: RepositoryContext,
  profile = ctx.profile(url.profile),
): { url: string; endpoint: RemoteEndpoint } {
  const endpoint = remoteEndpoint({ ...url, region: url.region ?? (ctx.region || undefined) }, profile.name, profile.settings, ctx.env);
  return { url: `https://${endpoint.host}/v1/repos/${url.repository}`, endpoint };
}

function notARepository(arg: string): HelperError {
  return new HelperError(
    "usage",
    `"${arg}" is neither a CodeCommit repository name nor a CodeCommit URL`,
    "Give a name, an https URL, or codecommit::<region>://[<profile>@]<name>",
  );
}
