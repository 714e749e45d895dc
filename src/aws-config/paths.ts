/**
 * Where the shared files are: AWS_CONFIG_FILE / AWS_SHARED_CREDENTIALS_FILE, else `~/.aws/config`
 * and `~/.aws/credentials`, expanded as botocore expands them (`os.path.expandvars`, then
 * `os.path.expanduser`). Every path is absolute: the working directory is the user's git
 * repository, and a relative path would let a repository plant its own `.aws/` files.
 */
import { isAbsolutePath, joinPath } from "../file-path.js";
import { ENV, type Env } from "../env.js";
import { HelperError } from "../errors.js";

/** The account's home directory from the system (not from the environment), or undefined. */
export function systemHome(): string | undefined {
  // Loaded only here: a run with HOME set never needs node:os (issue 13).
  const { homedir, userInfo } = require("node:os") as typeof import("node:os");
  try {
    const fromPasswd = userInfo().homedir;
    if (fromPasswd && isAbsolutePath(fromPasswd)) return fromPasswd;
  } catch {
    // No passwd entry (a container's arbitrary uid): fall through.
  }
  const fromOs = homedir();
  return fromOs && isAbsolutePath(fromOs) ? fromOs : undefined;
}

/**
 * The home directory `~` stands for: HOME, else USERPROFILE, else the account's home. An empty or
 * relative value counts as unset (botocore would read `/.aws/config` for HOME="", or a path under
 * the working directory for a relative one).
 */
export function homeDir(env: Env, fallback: () => string | undefined = systemHome): string {
  // The account's home is asked for only when neither variable will do.
  for (const candidate of [() => env[ENV.home], () => env[ENV.userProfile], fallback]) {
    const home = candidate();
    if (home && isAbsolutePath(home)) return home;
  }
  throw new HelperError(
    "config-parse",
    "cannot tell where the home directory is (HOME is unset or not an absolute path)",
    "Set HOME to your home directory",
  );
}

/** Python's posixpath.expandvars: `$NAME` and `${NAME}` of set variables; others stay as written. */
export function expandVars(path: string, env: Env): string {
  // Most paths name no variable: skip the replace, whose callback form runs an interpreted builtin under Bun.
  if (!path.includes("$")) return path;
  return path.replace(/\$(\w+|\{[^}]*\})/g, (match, name: string) => {
    const key = name.startsWith("{") && name.endsWith("}") ? name.slice(1, -1) : name;
    const value = env[key];
    return value === undefined ? match : value;
  });
}

/** Python's posixpath.expanduser for `~` and `~/…` (`~user` is left as written). */
export function expandUser(path: string, home: string): string {
  if (!/^~(?:[/\\]|$)/.test(path)) return path;
  return home.replace(/[/\\]+$/, "") + path.slice(1) || "/";
}

/** The two shared files; "" stands for a variable set to empty, which botocore treats as no file. */
export interface SharedFilePaths {
  readonly configFile: string;
  readonly credentialsFile: string;
}

/**
 * The config and credentials file paths the AWS CLI would read, made absolute; a relative result is
 * refused rather than read from the working directory.
 */
export function sharedFilePaths(env: Env, fallback?: () => string | undefined): SharedFilePaths {
  const resolve = (variable: string, defaultPath: string): string => {
    const configured = env[variable];
    if (configured === "") return "";
    const expanded = expandVars(configured ?? defaultPath, env);
    // Only an expansion that starts with "~" needs the home directory.
    const path = expanded.startsWith("~") ? expandUser(expanded, homeDir(env, fallback)) : expanded;
    if (!isAbsolutePath(path)) {
      throw new HelperError(
        "config-parse",
        `${variable} is the relative path "${path}", which would be read from the git repository's directory`,
        `Set ${variable} to an absolute path`,
      );
    }
    return path;
  };
  return {
    configFile: resolve(ENV.configFile, joinPath("~", ".aws", "config")),
    credentialsFile: resolve(ENV.credentialsFile, joinPath("~", ".aws", "credentials")),
  };
}
