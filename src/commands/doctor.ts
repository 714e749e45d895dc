/**
 * `doctor [--profile P] [--region R] [<url>]` (contract §9): checks, for the repository's origin or
 * the URL given, everything between `git fetch` and a signed password, one line each — ✓, ⚠ (works,
 * but weak) or ✗ with the exact command that fixes it. Exit 0 when nothing failed, 1 otherwise.
 */
import type { Command } from "../cli.js";
import { HelperError } from "../errors.js";
import { recognizeHost } from "../host.js";
import { fail, ok, renderCheck, type Check } from "../doctor/check.js";
import { gitVersionCheck, helperChecks, programCheck, useHttpPathCheck, type Place } from "../doctor/git-checks.js";
import { gitContextOf, runGit, type GitContext } from "../git/run-git.js";
import type { RemoteEndpoint } from "../remote/endpoint.js";
import { parseRepository, profileLookup } from "../repository-url.js";

/** `git-credential-codecommit doctor …` from the command line: prints each check, returns 1 if one failed. */
export const doctorCommand: Command = async (args, io, trace) => {
  if (args.global) throw new HelperError("usage", "doctor does not take --global", "Run git-credential-codecommit doctor --help");
  if (args.rest.length > 1 || args.passthrough.length > 0) {
    throw new HelperError("usage", "doctor takes at most one URL", "Run git-credential-codecommit doctor --help");
  }
  const git = await gitContextOf(io);
  const inRepository = (await runGit(git, ["rev-parse", "--git-dir"])).code === 0;
  const { url, from } = await targetUrl(git, args.rest[0], inRepository);

  let failed = 0;
  const report = (check: Check): void => {
    if (check.status === "fail") failed++;
    io.stdout(renderCheck(check));
  };
  io.stdout(`Checking ${withoutUserinfo(url)}${from}\n`);
  report(await gitVersionCheck(git));

  // git-remote-codecommit URLs configure their helper themselves: only the AWS side applies.
  const remoteHelper = /^codecommit:/.test(url);
  let https = url;
  let urlProfile: string | undefined;
  // The region and host the remote helper chooses (a CODE_COMMIT_ENDPOINT host may name no region).
  let endpoint: RemoteEndpoint | undefined;
  if (remoteHelper) {
    const lookup = await profileLookup(io.env);
    const ref = parseRepository(url, { region: args.region, env: io.env, profile: (p) => lookup(args.profile ?? p) });
    https = ref.url;
    urlProfile = ref.profile;
    endpoint = ref.endpoint;
    report(ok(`${url} is fetched through the codecommit:: remote helper, which sets up its credential helper itself`));
  }
  let parsed: URL | undefined;
  try {
    parsed = new URL(https);
  } catch {
    parsed = undefined;
  }
  if (parsed?.protocol !== "https:") {
    report(fail(`${url} is not an https URL; CodeCommit's HTTPS access needs one`, "git remote set-url origin https://git-codecommit.<region>.amazonaws.com/v1/repos/<name>"));
    return 1;
  }

  const place: Place = { inRepository, profile: args.profile };
  let ours: Awaited<ReturnType<typeof helperChecks>>["ours"];
  // The profile git-remote-codecommit's URL names, unless --profile overrides it.
  let profile = args.profile ?? urlProfile;
  if (!remoteHelper) {
    const found = await helperChecks(git, https, place);
    found.checks.forEach(report);
    ours = found.ours;
    profile = found.profile;
    report(await useHttpPathCheck(git, https, place));
  }
  report(await programCheck(git, io.selfPath));

  const host = recognizeHost(parsed.host, endpoint?.overridden ? [endpoint.host] : (ours?.hosts ?? []));
  if (!host) {
    report(fail(`${parsed.host} is not a CodeCommit host, so git-credential-codecommit stays silent for it`, "add --host " + parsed.hostname + " to the credential.helper line if it is a VPC endpoint's private name or a proxy"));
  } else {
    const { awsChecks } = await import("../doctor/aws-checks.js");
    await awsChecks(
      { profile, region: args.region ?? endpoint?.region ?? ours?.region, host, env: io.env, now: io.now, trace, promptMfa: io.promptMfa },
      report,
    );
  }
  io.stdout(failed === 0 ? "No problems found.\n" : `${failed} problem${failed === 1 ? "" : "s"} found.\n`);
  return failed === 0 ? 0 : 1;
};

/** The URL given, else the repository's origin (as git will fetch it, insteadOf applied). */
async function targetUrl(git: GitContext, given: string | undefined, inRepository: boolean): Promise<{ url: string; from: string }> {
  if (given !== undefined) return { url: given, from: "" };
  const r = inRepository ? await runGit(git, ["remote", "get-url", "origin"]) : undefined;
  if (r?.code === 0 && r.stdout.trim() !== "") return { url: r.stdout.trim(), from: " (origin)" };
  throw new HelperError(
    "usage",
    inRepository ? "this repository has no origin remote to check" : `${git.cwd} is not inside a git repository and no URL was given`,
    "Run doctor inside a clone, or give the URL: git-credential-codecommit doctor https://git-codecommit.<region>.amazonaws.com/v1/repos/<name>",
  );
}

/** The URL with any user name and password masked: they are secrets, and ours need none (§8). */
function withoutUserinfo(url: string): string {
  return url.replace(/^(https?:\/\/)[^/@]*@/i, "$1***@");
}
