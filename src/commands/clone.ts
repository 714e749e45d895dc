/**
 * `clone [--profile P] [--region R] <repository> [<dir>] [-- <git clone args>]` (README: Per repository): the
 * whole recipe in one step. Runs the real `git clone` with `setup`'s settings as `--config`, so the
 * new clone's .git/config already has them for every later pull and push. git's own progress goes
 * straight to the terminal; the exit status is git's.
 *
 * git reads a repository's config before the `git -c` entries it inherits in GIT_CONFIG_PARAMETERS
 * (a `!git -c credential.helper=store …` alias, a wrapper), so `--config` alone would let such a
 * `store` be handed the 15-minute password during the clone. The clone's own environment therefore
 * gets the same settings once more, scoped to the repository's origin, where git reads them last.
 */
import type { Command } from "./command.js";
import type { Env } from "../env.js";
import { HelperError } from "../errors.js";
import { withConfigEntries } from "../git/config-env.js";
import { helperLine } from "../git/helper-line.js";
import { scopedHelperEntries } from "../git/scoped-helper.js";
import type { Spawn } from "../git/spawn.js";
import { gitContextOf, gitMissing } from "../git/run-git.js";
import { invocation } from "../git/self-command.js";
import { setupNotes } from "../doctor/setup-notes.js";
import { ENV } from "../env.js";
import { parseRepository, profileLookup, type ProfileInEffect } from "../repository-url.js";

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
  /** The profile in effect for the one given (undefined: none) and its settings (region, use_fips_endpoint). */
  readonly profileInEffect: (profile: string | undefined) => ProfileInEffect;
  /** This program's start command, written by absolute path (self-command.ts); absent: the bare name. */
  readonly program?: readonly string[];
}

/** What to run for a clone: `git` with these arguments, in this environment. */
export interface ClonePlan {
  /** The https URL cloned. */
  readonly url: string;
  readonly args: readonly string[];
  readonly env: Readonly<Record<string, string | undefined>>;
}

/** The `git clone` command line and environment for a clone set up for this helper. */
export function planClone(options: CloneOptions, ctx: Pick<CloneContext, "env" | "profileInEffect" | "program">): ClonePlan {
  const ref = parseRepository(options.repository, {
    region: options.region,
    env: ctx.env,
    profile: (urlProfile) => ctx.profileInEffect(options.profile ?? urlProfile),
  });
  // A host from CODE_COMMIT_ENDPOINT may name no region: the helper is told both, as the remote helper tells it.
  const overridden = ref.endpoint?.overridden ? ref.endpoint : undefined;
  const helper = helperLine(
    options.profile ?? ref.profile,
    overridden?.region ?? options.region,
    overridden?.host.replace(/:\d+$/, ""),
    ctx.program,
  );
  const args = [
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
  // For this run only, and for the repository's origin only: submodules elsewhere keep their helpers.
  return { url: ref.url, args, env: withConfigEntries(ctx.env, scopedHelperEntries(new URL(ref.url).origin, helper)) };
}

/** Runs git clone with the terminal as its stdio; returns git's exit status. */
export async function clone(options: CloneOptions, ctx: CloneContext): Promise<number> {
  const { args, env } = planClone(options, ctx);
  try {
    return (await ctx.spawn("git", args, { env, cwd: ctx.cwd, stdio: "inherit" })).code;
  } catch (err) {
    throw gitMissing(err);
  }
}

/** `git-credential-codecommit clone …` from the command line. */
export const cloneCommand: Command = async (args, io) => {
  if (args.global || args.hosts.length > 0)
    throw new HelperError(
      "usage",
      `clone does not take ${args.global ? "--global" : "--host"}`,
      "Run git-credential-codecommit clone --help",
    );
  const [repository, directory, ...extra] = args.rest;
  if (repository === undefined || extra.length > 0) {
    throw new HelperError(
      "usage",
      repository === undefined ? "clone needs a repository" : `clone takes a repository and a directory, not "${extra.join(" ")}"`,
      "Run git-credential-codecommit clone --help",
    );
  }
  const git = await gitContextOf(io);
  // The files are read only for a name or a codecommit: URL (region, use_fips_endpoint).
  const profileInEffect = await profileLookup(io.env);
  const program = await io.selfCommand?.();
  const options = { profile: args.profile, region: args.region, repository, directory, gitArgs: args.passthrough };
  // The clone resets every helper configured before: what a storing one kept from before is said here.
  io.stderr(
    await setupNotes(
      git,
      planClone(options, { env: io.env, profileInEffect, ...(program ? { program } : {}) }).url,
      `${invocation(program, io.env[ENV.path])} doctor --fix`,
      true,
    ),
  );
  return clone(
    { profile: args.profile, region: args.region, repository, directory, gitArgs: args.passthrough },
    { ...git, profileInEffect, ...(program ? { program } : {}) },
  );
};
