/**
 * `get`: answer git with a CodeCommit username and password, or stay silent for any other host
 * (the "get" operation of gitcredentials(7)). AWS code is loaded only once the request is known to
 * be ours.
 */
import { environmentAnswers } from "../aws-config/environment-credentials.js";
import type { ProfileSelection } from "../aws-config/profile-name.js";
import type { Env } from "../env.js";
import { HelperError } from "../errors.js";
import { recognizeHost } from "../host.js";
import { hostRegion, regionBeforeProfile } from "../host-region.js";
import { formatResponse, parseRequest } from "../protocol.js";
import type { Tracer } from "../trace.js";
import type { Command } from "./command.js";

/** `get` as git runs it: the request on stdin, the answer on stdout. */
export const getCommand: Command = async (args, io, trace, selection) => {
  // Unless the environment's keys answer, a CodeCommit request reads the shared files next.
  const input = await io.readStdin(!environmentAnswers(args.profile, io.env));
  io.stdout(await get(input, { ...args, selection }, { env: io.env, now: io.now, trace, promptMfa: io.promptMfa }));
  return 0;
};

export interface GetOptions {
  readonly profile: string | undefined;
  /** The profile of this run, as cli.ts selected it from `profile` and the environment. */
  readonly selection: ProfileSelection;
  readonly region: string | undefined;
  readonly hosts: readonly string[];
}

export interface GetContext {
  readonly env: Env;
  readonly now: () => Date;
  readonly trace: Tracer;
  readonly promptMfa?: (mfaSerial: string, profile: string) => string;
}

/** Returns what to print on stdout: the credential, or "" when the request is not for us. */
export async function get(input: Uint8Array, options: GetOptions, ctx: GetContext): Promise<string> {
  const request = parseRequest(input);
  const { trace } = ctx;
  trace("request", { protocol: request.protocol, host: request.host, path: request.path, username: request.username });
  if (request.protocol !== "https" || request.host === undefined) {
    trace("not an https request: no answer");
    return "";
  }
  const host = recognizeHost(request.host, options.hosts);
  if (!host) {
    trace(`${request.host} is not a CodeCommit host: no answer`);
    return "";
  }
  if (request.path === undefined || request.path === "") {
    throw new HelperError(
      "no-path",
      `git did not send the repository path for ${host.signedHost}, which the CodeCommit signature needs`,
      `Run "git config --global credential.https://${host.signedHost}.UseHttpPath true" (or set credential.UseHttpPath=true for this repository)`,
    );
  }

  refuseControlCharacters(options.selection.named);

  // Only now pull in the AWS code and the signer (STYLE: lazy weight); the SDK and the network
  // code only if the credentials are not at hand (resolve-credentials.ts).
  const { checkProfile, resolveCredentials, signGitPassword } = await import("../credentials/warm-path.js");
  const checked = await checkProfile(options.profile, ctx.env);
  // The environment's keys answered without the files: they are read (and their code loaded) only
  // if the region must come from the profile, neither the host name nor --region giving one.
  const files =
    checked.config ??
    (regionBeforeProfile(host, options.region) ? undefined : (await import("../credentials/config-files.js")).loadSharedConfig(ctx.env));
  const profileRegion = (): string | undefined => files?.profiles.get(checked.profile)?.region;
  const region = hostRegion(host, { region: options.region, profileRegion, env: ctx.env });
  if (region === undefined) {
    throw new HelperError(
      "no-region",
      `${host.signedHost} does not name an AWS region and none is configured`,
      `Add --region REGION to the credential.helper line, or set region in the profile`,
    );
  }
  trace("host recognised", { host: host.signedHost, variant: host.variant, region });

  const credentials = await resolveCredentials(
    { profile: options.profile, hostRegion: region, env: ctx.env, trace, promptMfa: ctx.promptMfa, now: ctx.now },
    checked,
  );
  const signed = signGitPassword({ credentials, host: host.signedHost, path: request.path, region, now: ctx.now() });
  trace.secret(signed.password);
  trace("signed", { username: signed.username, password: signed.password, expiresAt: signed.expiresAt });
  return formatResponse({ username: signed.username, password: signed.password, passwordExpiryUtc: signed.expiresAt });
}

/**
 * No profile name holds a control character (a config file's section header is one line), and one
 * printed in a message would split the user's one error line in two (git shows each stderr line
 * as it comes, and the README promises one line per failure).
 */
function refuseControlCharacters(profile: string | undefined): void {
  if (profile !== undefined && /[\x00-\x1f\x7f]/.test(profile)) {
    throw new HelperError(
      "unknown-profile",
      `the AWS profile name ${JSON.stringify(profile)} contains a control character, which no profile name can`,
      "Check --profile in the credential.helper setting and AWS_PROFILE",
    );
  }
}
