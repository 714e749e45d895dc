/**
 * Where the shared files are: AWS_CONFIG_FILE / AWS_SHARED_CREDENTIALS_FILE, else `~/.aws/config`
 * and `~/.aws/credentials`, expanded as botocore expands them (`os.path.expandvars`, then
 * `os.path.expanduser`). Every path is absolute: the working directory is the user's git
 * repository, and a relative path would let a repository plant its own `.aws/` files.
 */
import { HOST_PATH_FLAVOUR, isAbsolutePath, isAbsolutePathFor, joinPathFor, type PathFlavour } from "../runtime/file-path.js";
import { ENV, type Env } from "../env.js";
import { HelperError } from "../errors.js";

/** The account's home directory from the system (not from the environment), or undefined. */
export function systemHome(): string | undefined {
  // Loaded only here: a run with HOME set never needs node:os, whose loading a Bun run pays for.
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
 * The home directory `~` stands for, as botocore finds it through Python's `os.path.expanduser`:
 * on POSIX HOME, then USERPROFILE; on Windows USERPROFILE, then HOMEDRIVE+HOMEPATH, never HOME
 * (Python's ntpath ignores it, and Git Bash sets it to its own idea of home). Then the account's
 * home. An empty or relative value counts as unset (botocore would read `/.aws/config` for
 * HOME="", or a path under the working directory for a relative one).
 */
export function homeDir(env: Env, fallback: () => string | undefined = systemHome, flavour: PathFlavour = HOST_PATH_FLAVOUR): string {
  // The account's home is asked for only when no variable will do.
  const candidates =
    flavour === "win32"
      ? [() => envValue(env, ENV.userProfile, flavour), () => windowsHomePath(env), fallback]
      : [() => env[ENV.home], () => env[ENV.userProfile], fallback];
  for (const candidate of candidates) {
    const home = candidate();
    if (home && isAbsolutePathFor(flavour, home)) return home;
  }
  throw new HelperError(
    "config-parse",
    flavour === "win32"
      ? "cannot tell where the home directory is (USERPROFILE is unset or not an absolute path)"
      : "cannot tell where the home directory is (HOME is unset or not an absolute path)",
    flavour === "win32" ? "Set USERPROFILE to your home directory" : "Set HOME to your home directory",
  );
}

/** ntpath.expanduser's second choice: HOMEPATH joined to HOMEDRIVE (which may be unset). */
function windowsHomePath(env: Env): string | undefined {
  const homePath = envValue(env, ENV.homePath, "win32");
  if (homePath === undefined) return undefined;
  return joinPathFor("win32", envValue(env, ENV.homeDrive, "win32") ?? "", homePath);
}

/**
 * A variable's value; on Windows names are case-insensitive, as the environment there is (and
 * Python's os.environ with it), so `%UserProfile%` finds USERPROFILE in a plain record too.
 */
function envValue(env: Env, name: string, flavour: PathFlavour): string | undefined {
  const exact = env[name];
  if (exact !== undefined || flavour !== "win32") return exact;
  const upper = name.toUpperCase();
  for (const key of Object.keys(env)) if (key.toUpperCase() === upper) return env[key];
  return undefined;
}

/**
 * Python's os.path.expandvars. POSIX (posixpath): `$NAME` and `${NAME}` of set variables. Windows
 * (ntpath): `%NAME%`, `$NAME` and `${NAME}`, `%%` and `$$` for a literal sign, nothing inside
 * single quotes. Unset variables stay as written on both.
 */
export function expandVars(path: string, env: Env, flavour: PathFlavour = HOST_PATH_FLAVOUR): string {
  if (flavour === "win32") return expandWindowsVars(path, env);
  // Most paths name no variable: skip the replace, whose callback form runs an interpreted builtin under Bun.
  if (!path.includes("$")) return path;
  return path.replace(/\$(\w+|\{[^}]*\})/g, (match, name: string) => {
    const key = name.startsWith("{") && name.endsWith("}") ? name.slice(1, -1) : name;
    const value = env[key];
    return value === undefined ? match : value;
  });
}

/** ntpath.expandvars, step for step (its variable names are letters, digits, `_` and `-`). */
function expandWindowsVars(path: string, env: Env): string {
  if (!path.includes("$") && !path.includes("%")) return path;
  const lookup = (name: string): string | undefined => envValue(env, name, "win32");
  let out = "";
  let i = 0;
  while (i < path.length) {
    const c = path[i] as string;
    if (c === "'") {
      // Quoted text is copied as is, up to and with the closing quote (or to the end).
      const close = path.indexOf("'", i + 1);
      const end = close < 0 ? path.length : close + 1;
      out += path.slice(i, end);
      i = end;
    } else if (c === "%") {
      if (path[i + 1] === "%") {
        out += "%";
        i += 2;
        continue;
      }
      const close = path.indexOf("%", i + 1);
      if (close < 0) {
        out += path.slice(i);
        break;
      }
      const name = path.slice(i + 1, close);
      out += lookup(name) ?? `%${name}%`;
      i = close + 1;
    } else if (c === "$") {
      if (path[i + 1] === "$") {
        out += "$";
        i += 2;
      } else if (path[i + 1] === "{") {
        const close = path.indexOf("}", i + 2);
        if (close < 0) {
          out += path.slice(i);
          break;
        }
        const name = path.slice(i + 2, close);
        out += lookup(name) ?? `\${${name}}`;
        i = close + 1;
      } else {
        let end = i + 1;
        while (end < path.length && /[A-Za-z0-9_-]/.test(path[end] as string)) end++;
        const name = path.slice(i + 1, end);
        out += lookup(name) ?? `$${name}`;
        i = end;
      }
    } else {
      out += c;
      i++;
    }
  }
  return out;
}

/**
 * Python's os.path.expanduser for `~` and `~/…` (`~\…` too on Windows); `~user` is left as
 * written. posixpath drops the home's trailing slashes; ntpath joins the two as they are.
 */
export function expandUser(path: string, home: string, flavour: PathFlavour = HOST_PATH_FLAVOUR): string {
  if (flavour === "win32") return /^~(?:[/\\]|$)/.test(path) ? home + path.slice(1) : path;
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
export function sharedFilePaths(env: Env, fallback?: () => string | undefined, flavour: PathFlavour = HOST_PATH_FLAVOUR): SharedFilePaths {
  const resolve = (variable: string, defaultPath: string): string => {
    const configured = env[variable];
    if (configured === "") return "";
    const expanded = expandVars(configured ?? defaultPath, env, flavour);
    // Only an expansion that starts with "~" needs the home directory.
    const path = expanded.startsWith("~") ? expandUser(expanded, homeDir(env, fallback, flavour), flavour) : expanded;
    if (!isAbsolutePathFor(flavour, path)) {
      throw new HelperError(
        "config-parse",
        `${variable} is the relative path "${path}", which would be read from the git repository's directory`,
        `Set ${variable} to an absolute path`,
      );
    }
    return path;
  };
  return {
    configFile: resolve(ENV.configFile, joinPathFor(flavour, "~", ".aws", "config")),
    credentialsFile: resolve(ENV.credentialsFile, joinPathFor(flavour, "~", ".aws", "credentials")),
  };
}
