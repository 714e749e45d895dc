/**
 * `doctor [--profile P] [--region R] [<url>]` (README: Troubleshooting): checks, for the repository's origin or
 * the URL given, everything between `git fetch` and a signed password, one line each — ✓, ⚠ (works,
 * but weak) or ✗ with the exact command that fixes it. Exit 0 when nothing failed, 1 otherwise.
 */
import type { Command } from "./command.js";
import { HelperError } from "../errors.js";
import { recognizeHost } from "../host.js";
import { fail, ok, renderCheck, type Check } from "../doctor/check.js";
import { gitVersionCheck, helperChecks, helperRunCheck, setupCommand, useHttpPathCheck, type Place } from "../doctor/git-checks.js";
import { helperProfileCheck } from "../doctor/profile-check.js";
import { remoteHelperCheck } from "../doctor/remote-check.js";
import { ENV } from "../env.js";
import { invocation } from "../git/self-command.js";
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
  const self = (await io.selfCommand?.()) ?? (io.selfPath === undefined ? undefined : [io.selfPath]);
  const place: Place = { inRepository, profile: args.profile, invocation: invocation(self, io.env[ENV.path]) };

  const unknown = (args.switches ?? []).filter((w) => w !== "--fix");
  if (unknown.length > 0)
    throw new HelperError("usage", `doctor does not take ${unknown.join(" ")}`, "Run git-credential-codecommit doctor --help");
  // --fix first, then the report of how things stand after it.
  if ((args.switches ?? []).includes("--fix") && !/^codecommit:/.test(url) && /^https:\/\//i.test(url)) {
    const { applyFixes } = await import("../doctor/fix.js");
    const done = await applyFixes(git, { url, inRepository, profile: args.profile, program: self, invocation: place.invocation });
    const indent = (text: string): string =>
      text
        .trimEnd()
        .split("\n")
        .map((l, i) => (i === 0 ? `  ${l}` : `    ${l}`))
        .join("\n");
    io.stdout(done.length === 0 ? "Nothing to fix that --fix may change.\n" : `Applied the safe fixes:\n${done.map(indent).join("\n")}\n`);
  }

  let failed = 0;
  const report = (check: Check): void => {
    if (check.status === "fail") failed++;
    io.stdout(renderCheck(check));
  };
  io.stdout(`Checking ${withoutUserinfo(url)}${from}\n`);

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
  }
  let parsed: URL | undefined;
  try {
    parsed = new URL(https);
  } catch {
    parsed = undefined;
  }
  const found = !remoteHelper && parsed?.protocol === "https:" ? await helperChecks(git, https, place) : undefined;
  report(await gitVersionCheck(git, found?.storing ?? false));
  if (remoteHelper) report(ok(`${url} is fetched through the codecommit:: remote helper, which sets up its credential helper itself`));
  if (parsed?.protocol !== "https:") {
    report(
      fail(
        `${url} is not an https URL; CodeCommit's HTTPS access needs one`,
        "git remote set-url origin https://git-codecommit.<region>.amazonaws.com/v1/repos/<name>",
      ),
    );
    return 1;
  }

  // The profile git-remote-codecommit's URL names, unless --profile overrides it.
  let profile = args.profile ?? urlProfile;
  if (found) {
    found.checks.forEach(report);
    profile = found.profile;
    report(await useHttpPathCheck(git, https, place, found.oursAt));
    if (found.oursAt) report(await helperRunCheck(git, found.oursAt.value, { ...place, profile }, found.oursAt.scope));
  } else if (self !== undefined) {
    report(await remoteHelperCheck(git, self[self.length - 1] as string, place.invocation));
  }
  const ours = found?.ours;

  const host = recognizeHost(parsed.host, endpoint?.overridden ? [endpoint.host] : (ours?.hosts ?? []));
  if (!host) {
    report(
      fail(
        `${parsed.host} is not a CodeCommit host, so git-credential-codecommit stays silent for it`,
        `add --host ${parsed.hostname} to the credential.helper line if it is a VPC endpoint's private name or a proxy`,
      ),
    );
  } else {
    // A profile on the helper line that the files do not have: a typo, most likely.
    const misnamed =
      found && profile !== undefined
        ? helperProfileCheck(profile, io.env, (p) => setupCommand({ ...place, profile: p }, found.oursAt?.scope))
        : undefined;
    if (misnamed) {
      report(misnamed);
    } else {
      const { awsChecks } = await import("../doctor/aws-checks.js");
      await awsChecks(
        {
          profile,
          region: args.region ?? endpoint?.region ?? ours?.region,
          host,
          env: io.env,
          now: io.now,
          trace,
          promptMfa: io.promptMfa,
        },
        report,
      );
    }
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

/** The URL with any user name and password masked: they are secrets, and ours need none (the password is signed for each request). */
function withoutUserinfo(url: string): string {
  return url.replace(/^(https?:\/\/)[^/@]*@/i, "$1***@");
}
