/**
 * `clone [--profile P] [--region R] <repository> [<dir>] [-- <git clone args>]` (contract §9): the
 * whole recipe in one step. Runs the real `git clone` with `setup`'s settings as `--config`, so the
 * new clone's .git/config already has them for every later pull and push. git's own progress goes
 * straight to the terminal; the exit status is git's.
 */
import type { Command } from "../cli.js";
import { ENV, type Env } from "../env.js";
import { HelperError } from "../errors.js";
import { helperLine } from "../git/helper-line.js";
import type { Spawn } from "../git/spawn.js";
import { gitContextOf, gitMissing } from "../git/run-git.js";
import { parseRepository } from "../repository-url.js";

/** `clone`'s arguments. */
export interface CloneOptions {
  readonly profile: string | undefined;
  readonly region: string | undefined;
  readonly repository: string;
  readonly directory: string | undefined;
  /** Passed to git clone as given (after `--` on our command line). */
  readonly gitArgs: readonly string[];
}

/** What `clone` needs from the shell. */
export interface CloneContext {
  readonly spawn: Spawn;
  readonly env: Env;
  readonly cwd: string;
  /** The profile's `region` setting (read only when the repository names no region). */
  readonly profileRegion: (profile: string | undefined) => string | undefined;
}

/** The `git clone` arguments for a clone set up for this helper. */
export function cloneArgs(options: CloneOptions, ctx: Pick<CloneContext, "env" | "profileRegion">): string[] {
  const ref = parseRepository(options.repository, (urlProfile) => {
    const profile = options.profile ?? urlProfile;
    return options.region || ctx.profileRegion(profile) || ctx.env[ENV.region] || ctx.env[ENV.defaultRegion];
  });
  const helper = helperLine(options.profile ?? ref.profile, options.region);
  return [
    "clone",
    // The same three settings as `setup`, written into the new .git/config before the fetch.
    "--config",
    "credential.helper=",
    "--config",
    `credential.helper=${helper}`,
    "--config",
    "credential.UseHttpPath=true",
    ...options.gitArgs,
    "--",
    ref.url,
    ...(options.directory === undefined ? [] : [options.directory]),
  ];
}

/** Runs git clone with the terminal as its stdio; returns git's exit status. */
export async function clone(options: CloneOptions, ctx: CloneContext): Promise<number> {
  const args = cloneArgs(options, ctx);
  try {
    return (await ctx.spawn("git", args, { env: ctx.env, cwd: ctx.cwd, stdio: "inherit" })).code;
  } catch (err) {
    throw gitMissing(err);
  }
}

/** `git-credential-codecommit clone …` from the command line. */
export const cloneCommand: Command = async (args, io) => {
  if (args.global || args.hosts.length > 0) throw new HelperError("usage", `clone does not take ${args.global ? "--global" : "--host"}`, "Run git-credential-codecommit clone --help");
  const [repository, directory, ...extra] = args.rest;
  if (repository === undefined || extra.length > 0) {
    throw new HelperError("usage", repository === undefined ? "clone needs a repository" : `clone takes a repository and a directory, not "${extra.join(" ")}"`, "Run git-credential-codecommit clone --help");
  }
  const git = await gitContextOf(io);
  const [{ loadSharedConfig }, { effectiveProfile }] = await Promise.all([import("../credentials/config-files.js"), import("../credentials/providers.js")]);
  // The files are read only when the repository argument names no region.
  const profileRegion = (profile: string | undefined): string | undefined => loadSharedConfig(io.env).profiles.get(effectiveProfile(profile, io.env))?.region;
  return clone({ profile: args.profile, region: args.region, repository, directory, gitArgs: args.passthrough }, { ...git, profileRegion });
};
