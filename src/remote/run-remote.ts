/**
 * The git-remote-codecommit mode (README, "From git-remote-codecommit"): parse the URL → profile and region → host → hand
 * off to `git remote-https`, whose exit status becomes ours. git gives a remote helper no options,
 * so tracing is switched on by GIT_CREDENTIAL_CODECOMMIT_DEBUG. Failures before the hand-off are one
 * line each, the same form as the credential helper's.
 */
import { ENV, type Env } from "../env.js";
import { HelperError } from "../errors.js";
import { gitMissing } from "../git/run-git.js";
import { createTracer } from "../trace.js";
import { remoteEndpoint } from "./endpoint.js";
import { planHandOff } from "./hand-off.js";
import { parseRemoteUrl } from "./remote-url.js";

/** What the shell (main.ts) hands the remote helper. */
export interface RemoteIo {
  /** git's arguments: `<remote> <url>`. */
  readonly argv: readonly string[];
  readonly env: Env;
  readonly stderr: (text: string) => void;
  /** How to start this executable again: `[binary]`, or `[node, script]` for the npm bin. */
  readonly selfCommand: readonly string[];
  /** Runs the child with this process's stdin/stdout/stderr; resolves to its exit status. Injected by tests. */
  readonly handOff?: (command: string, args: readonly string[], env: Readonly<Record<string, string | undefined>>) => Promise<number>;
}

/** Runs one remote-helper invocation; returns the exit code. Never throws. */
export async function runRemote(io: RemoteIo): Promise<number> {
  const debug = ["1", "true"].includes((io.env[ENV.remoteDebug] ?? "").toLowerCase());
  const trace = createTracer(debug, io.stderr);
  try {
    if (io.argv.length !== 2) {
      throw new HelperError(
        "usage",
        `git-remote-codecommit takes a remote name and a URL from git, but was given ${io.argv.length} argument${io.argv.length === 1 ? "" : "s"}`,
        "Use it through git: git clone codecommit://[PROFILE@]REPOSITORY",
      );
    }
    const [remoteName, rawUrl] = io.argv as [string, string];
    const url = parseRemoteUrl(rawUrl);
    trace("remote", { remoteName, repository: url.repository, profile: url.profile, region: url.region });

    // The same reading of the shared files, and the same unknown-profile error, as `get`.
    const [{ checkProfile }, { loadSharedConfig }] = await Promise.all([
      import("../credentials/warm-path.js"),
      import("../credentials/config-files.js"),
    ]);
    const checked = await checkProfile(url.profile, io.env);
    const config = checked.config ?? loadSharedConfig(io.env);
    const profileName = checked.profile;
    const endpoint = remoteEndpoint(url, profileName, config.profiles.get(profileName), io.env);
    trace("endpoint", { profile: profileName, region: endpoint.region, host: endpoint.host, overridden: endpoint.overridden });

    const plan = planHandOff({
      remoteName,
      repository: url.repository,
      profile: url.profile,
      endpoint,
      selfCommand: io.selfCommand,
      env: io.env,
      debug,
    });
    trace("hand-off", { command: [plan.command, ...plan.args].join(" "), config: plan.config.map(([k, v]) => `${k}=${v}`) });
    const code = await (io.handOff ?? handOffInherited)(plan.command, plan.args, plan.env);
    trace(`git remote-https exited with ${code}`);
    return code;
  } catch (err) {
    const error =
      err instanceof HelperError
        ? err
        : new HelperError(
            "credentials",
            `unexpected failure: ${err instanceof Error ? err.message.split("\n")[0] : String(err)}`,
            `Run again with ${ENV.remoteDebug}=1 and report it`,
          );
    io.stderr(`${error.userLine()}\n`);
    return 1;
  }
}

/**
 * Starts `git remote-https` on this process's own stdin, stdout and stderr: git talks the
 * remote-helper protocol straight to it, and nothing of that conversation passes through us.
 */
async function handOffInherited(
  command: string,
  args: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
): Promise<number> {
  const { spawnProgram } = await import("../git/spawn.js");
  try {
    return (await spawnProgram(command, args, { env, cwd: ".", stdio: "inherit" })).code;
  } catch (err) {
    throw gitMissing(err);
  }
}
