/**
 * `setup [--profile P] [--region R] [--global] [--remove]` from the command line: checks the
 * arguments, writes the settings (src/git/setup.ts), then tells what a helper configured before
 * may still hold.
 */
import { HelperError } from "../errors.js";
import { helpersFor } from "../git/credential-config.js";
import { gitContextOf, runGit, type GitContext } from "../git/run-git.js";
import { invocation } from "../git/self-command.js";
import { setup } from "../git/setup.js";
import { setupNotes } from "../doctor/setup-notes.js";
import { ENV } from "../env.js";
import type { Command } from "./command.js";

/** `git-credential-codecommit setup …` from the command line. */
export const setupCommand: Command = async (args, io) => {
  if (args.hosts.length > 0)
    throw new HelperError(
      "usage",
      "setup does not take --host",
      "Add --host NAME to the credential.helper line by hand: git config --add credential.helper 'codecommit --host NAME --region REGION'",
    );
  if (args.rest.length > 0 || args.passthrough.length > 0) {
    throw new HelperError(
      "usage",
      `setup takes no other arguments (got "${[...args.rest, ...args.passthrough].join(" ")}")`,
      "Run git-credential-codecommit setup --help",
    );
  }
  const unknown = (args.switches ?? []).filter((w) => w !== "--remove");
  if (unknown.length > 0)
    throw new HelperError("usage", `setup does not take ${unknown.join(" ")}`, "Run git-credential-codecommit setup --help");
  const program = await io.selfCommand?.();
  const remove = (args.switches ?? []).includes("--remove");
  const git = await gitContextOf(io);
  const url = await probeUrl(git, args.global);
  const before = remove ? [] : await helpersFor(git, url, true);
  io.stdout(await setup({ profile: args.profile, region: args.region, global: args.global, remove, ...(program ? { program } : {}) }, git));
  // Outside a repository doctor needs the URL; with setup --global in place it erases every CodeCommit host store lists.
  const fix = `${invocation(program, io.env[ENV.path])} doctor --fix${args.global ? " https://git-codecommit.<region>.amazonaws.com/v1/repos/<name>" : ""}`;
  if (!remove) io.stdout(await setupNotes(git, url, fix, false, before));
  return 0;
};

/** The URL whose helpers the notes are about: the repository's https origin, else a CodeCommit URL that setup covers. */
async function probeUrl(ctx: GitContext, global: boolean): Promise<string> {
  const origin = global ? "" : (await runGit(ctx, ["remote", "get-url", "origin"])).stdout.trim();
  return /^https:\/\//i.test(origin) ? origin : "https://git-codecommit.us-east-1.amazonaws.com/v1/repos/any";
}
