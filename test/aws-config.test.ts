/**
 * The shared files read as botocore reads them (src/aws-config/): configparser's rules, botocore's
 * profile maps, paths, profile selection and the source decision, each with exact expected values.
 * The same rules are checked against botocore itself in test/botocore-differential.test.ts.
 */
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { credentialSourceFor } from "../src/aws-config/credential-source-for.js";
import { parseIni, parseNested } from "../src/aws-config/ini.js";
import { expandUser, expandVars, homeDir, sharedFilePaths } from "../src/aws-config/paths.js";
import { selectProfile } from "../src/aws-config/profile-name.js";
import { loadSharedConfig, sharedConfigFrom } from "../src/aws-config/shared-config.js";
import { shlexSplit } from "../src/aws-config/shlex.js";
import { cliCacheDir } from "../src/session-cache/key.js";
import { HelperError } from "../src/errors.js";

const F = "/home/u/.aws/config";

/** Sections as plain objects, for exact comparison. */
function sections(text: string): Record<string, Record<string, string>> {
  return Object.fromEntries([...parseIni(text, F)].map(([name, settings]) => [name, { ...settings }]));
}

function refusal(fn: () => unknown): { kind: string; message: string } {
  try {
    fn();
  } catch (err) {
    if (err instanceof HelperError) return { kind: err.kind, message: err.message };
    throw err;
  }
  throw new Error("expected a HelperError");
}

describe("parseIni: configparser's rules", () => {
  it("reads = and : separators, lower-cases keys, keeps inline # and ;", () => {
    expect(sections("[default]\nAWS_Access_Key_ID: AKID\nregion = eu-west-1 # Ireland\nx=a;b\n")).toEqual({
      default: { aws_access_key_id: "AKID", region: "eu-west-1 # Ireland", x: "a;b" },
    });
  });

  it("joins continuation lines, keeping inner blank lines and dropping comments", () => {
    expect(sections("[a]\nk = 1\n\n  2\n# c\n  3\n\nj = 4\n")).toEqual({ a: { k: "1\n\n2\n3", j: "4" } });
  });

  it("an indented first option sets the indentation a continuation must exceed", () => {
    expect(sections("[a]\n  k = 1\n  j = 2\n    more\n")).toEqual({ a: { k: "1", j: "2\nmore" } });
  });

  it("gives every section the [DEFAULT] settings it lacks, and lists no DEFAULT section", () => {
    expect(sections("[DEFAULT]\nregion = r\nk = d\n[a]\nk = own\n[b]\n")).toEqual({
      a: { k: "own", region: "r" },
      b: { region: "r", k: "d" },
    });
  });

  it("splits lines on LF, CRLF and CR alone, but not on form feed or U+2028", () => {
    expect(sections("[a]\rk = 1\r\nj = 2\nv = x\fy\u2028z\n")).toEqual({ a: { k: "1", j: "2", v: "x\fy\u2028z" } });
  });

  it("strips Python's whitespace (U+0085, U+001F, NBSP) but not U+FEFF", () => {
    expect(sections("[a]\nk =\u00a0v\u001f\u0085\n")).toEqual({ a: { k: "v" } });
  });

  it("takes the header up to the last ], ignoring text after it", () => {
    expect(sections("[a]b] trailing\n[c] ; note\n")).toEqual({ "a]b": {}, c: {} });
  });

  it("keeps __proto__ and constructor as ordinary names", () => {
    const parsed = parseIni("[__proto__]\n__proto__ = x\nconstructor = y\n", F);
    const settings = parsed.get("__proto__");
    expect(Object.keys(settings ?? {})).toEqual(["__proto__", "constructor"]);
    // biome-ignore lint/suspicious/noProto: "__proto__" is an ordinary option name to configparser, read here as an own property
    expect(settings?.__proto__).toBe("x");
    expect(Object.getPrototypeOf(settings)).toBe(null);
  });

  it.each([
    ["[a]\nk=1\n[b]\n[a]\n", "line 4 repeats the section [a]"],
    ["[DEFAULT]\nk=1\n[DEFAULT]\nK=2\n", 'line 4 repeats the setting "k" in [DEFAULT]'],
    ["[a]\nRegion = x\nregion = y\n", 'line 3 repeats the setting "region" in [a]'],
    ["# c\nk = 1\n[a]\n", "line 2 comes before any [section] header"],
    ["[a]\nk = 1\nwords only\nmore words\n", "line 3 is neither a [section] header nor a key = value setting"],
    ["[a]\n= v\n", "line 2 is neither a [section] header nor a key = value setting"],
    ["\ufeff[a]\n", "line 1 starts with a UTF-8 byte order mark, which the AWS CLI does not accept"],
    ["[a]\nok = 1\ns3 =\n  fine = 1\n  broken\n", 'line 3 has a nested block under "s3" with a line that is not key = value'],
  ])("refuses %j: %s", (text, what) => {
    expect(refusal(() => parseIni(text, F))).toEqual({
      kind: "config-parse",
      message: `${F} ${what}, so the AWS CLI would refuse this file too. Fix that line (sections are [profile NAME], settings are key = value)`,
    });
  });

  it("reports a duplicate found before the end over an earlier line without =", () => {
    expect(refusal(() => parseIni("[a]\nbad\n[b]\n[b]\n", F)).message).toContain(`${F} line 4 repeats the section [b]`);
  });

  it("parses nested blocks as botocore's _parse_nested (keys as written, later wins)", () => {
    expect({ ...parseNested("\nSignature_Version = s3v4\n a = 1 \na=2") }).toEqual({ Signature_Version: "s3v4", a: "2" });
    expect(parseNested("\nno equals")).toBe(undefined);
  });
});

describe("shlexSplit: Python shlex.split", () => {
  it.each([
    ["profile dev", ["profile", "dev"]],
    ['profile "my team"', ["profile", "my team"]],
    ["profile 'a b'", ["profile", "a b"]],
    ['profile ""', ["profile", ""]],
    ['profile a"b c"d', ["profile", "ab cd"]],
    ['profile "a\\"b\\\\c\\d"', ["profile", 'a"b\\c\\d']],
    ["profile a\\ b", ["profile", "a b"]],
    ["  profile\t x  ", ["profile", "x"]],
  ])("%j → %j", (text, words) => {
    expect(shlexSplit(text)).toEqual(words);
  });

  it.each(['profile "open', "profile 'open", "profile x\\"])("%j raises (undefined)", (text) => {
    expect(shlexSplit(text)).toBe(undefined);
  });
});

describe("profile maps: botocore's build_profile_map and full_config", () => {
  const both = (config: string, credentials: string) => sharedConfigFrom("/c", parseIni(config, "/c"), "/k", parseIni(credentials, "/k"));

  it("maps [profile x], quoted names, [default]; ignores [x], three words and bad quotes", () => {
    const cfg = both(
      '[profile a]\n[profile "b c"]\n[default]\n[x]\n[profile "d" "e"]\n[profile "f]\n[profilex g]\n[sso-session s]\nk=1\n[services v]\n',
      "",
    );
    expect([...cfg.profiles.keys()]).toEqual(["a", "b c", "default", "g"]);
    expect([...cfg.ssoSessions.keys()]).toEqual(["s"]);
    expect([...cfg.services.keys()]).toEqual(["v"]);
    expect(cfg.configSections).toEqual([
      "profile a",
      'profile "b c"',
      "default",
      "x",
      'profile "d" "e"',
      'profile "f',
      "profilex g",
      "sso-session s",
      "services v",
    ]);
  });

  it("a later section for the same profile replaces the earlier one", () => {
    expect({ ...both("[profile default]\nregion = a\nk = 1\n[default]\nregion = b\n", "").profiles.get("default") }).toEqual({
      region: "b",
    });
    expect({ ...both("[default]\nregion = b\n[profile default]\nregion = a\n", "").profiles.get("default") }).toEqual({ region: "a" });
  });

  it("credentials file sections are profiles as named, their settings over the config's", () => {
    const cfg = both("[profile p]\nregion = a\nrole_arn = r\n", "[p]\nregion = b\n[profile q]\nk = 1\n");
    expect({ ...cfg.profiles.get("p") }).toEqual({ region: "b", role_arn: "r" });
    expect({ ...cfg.configProfiles.get("p") }).toEqual({ region: "a", role_arn: "r" });
    expect([...cfg.profiles.keys()]).toEqual(["p", "profile q"]);
  });
});

describe("paths", () => {
  const osHome = () => "/home/from-passwd";

  it("HOME, else USERPROFILE, else the account's home; empty or relative counts as unset", () => {
    expect(homeDir({ HOME: "/h" }, osHome)).toBe("/h");
    expect(homeDir({ HOME: "", USERPROFILE: "/w" }, osHome)).toBe("/w");
    expect(homeDir({ HOME: "" }, osHome)).toBe("/home/from-passwd");
    expect(homeDir({ HOME: "relative/dir" }, osHome)).toBe("/home/from-passwd");
    expect(refusal(() => homeDir({ HOME: "" }, () => undefined)).kind).toBe("config-parse");
  });

  it("expands $VAR and ${VAR} of set variables only, then ~", () => {
    expect(expandVars("$A/x/${B}/$NOPE/${}", { A: "/a", B: "b" })).toBe("/a/x/b/$NOPE/${}");
    expect(expandUser("~", "/h/")).toBe("/h");
    expect(expandUser("~/c", "/h")).toBe("/h/c");
    expect(expandUser("~bob/c", "/h")).toBe("~bob/c");
    expect(expandUser("~/c", "/")).toBe("/c");
  });

  it('defaults under the home directory; AWS_CONFIG_FILE="" means no file', () => {
    expect(sharedFilePaths({ HOME: "" }, osHome)).toEqual({
      configFile: "/home/from-passwd/.aws/config",
      credentialsFile: "/home/from-passwd/.aws/credentials",
    });
    expect(sharedFilePaths({ HOME: "/h", AWS_CONFIG_FILE: "~/x", AWS_SHARED_CREDENTIALS_FILE: "" }, osHome)).toEqual({
      configFile: "/h/x",
      credentialsFile: "",
    });
  });

  it("refuses a relative path: it would be read from the user's git repository", () => {
    expect(refusal(() => sharedFilePaths({ HOME: "/h", AWS_CONFIG_FILE: ".aws/config" }, osHome))).toEqual({
      kind: "config-parse",
      message:
        'AWS_CONFIG_FILE is the relative path ".aws/config", which would be read from the git repository\'s directory. Set AWS_CONFIG_FILE to an absolute path',
    });
  });

  it("the role cache directory is absolute with HOME empty", () => {
    expect(cliCacheDir({ HOME: "", USERPROFILE: "/w" })).toBe("/w/.aws/cli/cache");
    expect(cliCacheDir({ HOME: "/h", AWS_CLI_CACHE_DIR: "rel/cache" })).toBe("/h/.aws/cli/cache");
  });
});

/**
 * botocore on Windows: Python's ntpath. Expected values are what CPython's ntpath.expandvars and
 * ntpath.expanduser return for the same inputs and environment.
 */
describe("paths on Windows, as botocore finds them there", () => {
  const osHome = () => "C:\\Users\\from-os";
  const gitBash = { HOME: "/c/Users/ann", USERPROFILE: "C:\\Users\\Ann" };

  it("USERPROFILE, then HOMEDRIVE+HOMEPATH, never HOME (Git Bash sets it)", () => {
    expect(homeDir(gitBash, osHome, "win32")).toBe("C:\\Users\\Ann");
    expect(homeDir({ HOME: "C:\\Users\\home", HOMEDRIVE: "D:", HOMEPATH: "\\Home\\Ann" }, osHome, "win32")).toBe("D:\\Home\\Ann");
    expect(homeDir({ HOMEPATH: "\\Home\\Ann" }, osHome, "win32")).toBe("\\Home\\Ann");
    expect(homeDir({ HOME: "C:\\Users\\home" }, osHome, "win32")).toBe("C:\\Users\\from-os");
    expect(homeDir({ USERPROFILE: "relative" }, osHome, "win32")).toBe("C:\\Users\\from-os");
    expect(refusal(() => homeDir({ HOME: "C:\\h" }, () => undefined, "win32"))).toEqual({
      kind: "config-parse",
      message:
        "cannot tell where the home directory is (USERPROFILE is unset or not an absolute path). Set USERPROFILE to your home directory",
    });
  });

  it("expands %VAR%, $VAR and ${VAR} as ntpath.expandvars, names case-insensitive", () => {
    const env = { USERPROFILE: "C:\\Users\\Ann", A: "x" };
    const cases: Array<[string, string]> = [
      ["%USERPROFILE%\\.aws\\config", "C:\\Users\\Ann\\.aws\\config"],
      ["%UserProfile%\\c", "C:\\Users\\Ann\\c"],
      ["%NOPE%\\c", "%NOPE%\\c"],
      ["100%%", "100%"],
      ["50%", "50%"],
      ["$A\\${A}\\$NOPE\\${NOPE}", "x\\x\\$NOPE\\${NOPE}"],
      ["'%A%'\\%A%", "'%A%'\\x"],
      ["'%A%", "'%A%"],
      ["$$A", "$A"],
      ["${A", "${A"],
      ["$A-b.c", "$A-b.c"],
      ["C:\\plain", "C:\\plain"],
    ];
    expect(cases.map(([path]) => [path, expandVars(path, env, "win32")])).toEqual(cases);
  });

  it("expands ~ and ~\\ with the home as it is; ~user stays", () => {
    expect(expandUser("~\\.aws\\config", "C:\\Users\\Ann", "win32")).toBe("C:\\Users\\Ann\\.aws\\config");
    expect(expandUser("~/x", "C:\\Users\\Ann", "win32")).toBe("C:\\Users\\Ann/x");
    expect(expandUser("~", "C:\\Users\\Ann", "win32")).toBe("C:\\Users\\Ann");
    expect(expandUser("~bob\\x", "C:\\Users\\Ann", "win32")).toBe("~bob\\x");
  });

  it("the shared files: defaults under USERPROFILE, %VAR% and ~ in the variables, relative refused", () => {
    expect(sharedFilePaths(gitBash, osHome, "win32")).toEqual({
      configFile: "C:\\Users\\Ann\\.aws\\config",
      credentialsFile: "C:\\Users\\Ann\\.aws\\credentials",
    });
    expect(
      sharedFilePaths(
        { ...gitBash, AWS_CONFIG_FILE: "%USERPROFILE%\\cfg\\config", AWS_SHARED_CREDENTIALS_FILE: "~\\creds" },
        osHome,
        "win32",
      ),
    ).toEqual({ configFile: "C:\\Users\\Ann\\cfg\\config", credentialsFile: "C:\\Users\\Ann\\creds" });
    expect(sharedFilePaths({ ...gitBash, AWS_CONFIG_FILE: "\\\\server\\share\\config" }, osHome, "win32").configFile).toBe(
      "\\\\server\\share\\config",
    );
    expect(refusal(() => sharedFilePaths({ ...gitBash, AWS_CONFIG_FILE: "%NOPE%\\config" }, osHome, "win32"))).toEqual({
      kind: "config-parse",
      message:
        'AWS_CONFIG_FILE is the relative path "%NOPE%\\config", which would be read from the git repository\'s directory. Set AWS_CONFIG_FILE to an absolute path',
    });
  });

  it("POSIX is unchanged by Windows' variables", () => {
    expect(expandVars("%HOME%/x", { HOME: "/h" }, "posix")).toBe("%HOME%/x");
    expect(homeDir({ HOME: "/h", USERPROFILE: "/w" }, osHome, "posix")).toBe("/h");
  });
});

describe("files on disk", () => {
  let dir = "";
  afterEach(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("a missing file or a directory is empty; invalid UTF-8 is refused with its line", () => {
    dir = mkdtempSync(join(tmpdir(), "gcc-awscfg-"));
    mkdirSync(join(dir, "adir"));
    const bad = join(dir, "bad");
    writeFileSync(bad, Buffer.from("[a]\nk = 1\nv = \xff\n", "latin1"));
    expect(
      loadSharedConfig({ HOME: dir, AWS_CONFIG_FILE: join(dir, "adir"), AWS_SHARED_CREDENTIALS_FILE: join(dir, "none") }).profiles.size,
    ).toBe(0);
    expect(refusal(() => loadSharedConfig({ HOME: dir, AWS_SHARED_CREDENTIALS_FILE: bad }))).toEqual({
      kind: "config-parse",
      message: `${bad} line 3 is not valid UTF-8, so the AWS CLI would refuse this file too. Save the file as UTF-8`,
    });
  });
});

describe("selectProfile", () => {
  it("--profile, else AWS_DEFAULT_PROFILE, else AWS_PROFILE (botocore's order), else default", () => {
    expect(selectProfile("a", { AWS_PROFILE: "b", AWS_DEFAULT_PROFILE: "c" })).toEqual({ named: "a", profile: "a", fromArgument: true });
    expect(selectProfile(undefined, { AWS_PROFILE: "b", AWS_DEFAULT_PROFILE: "c" })).toEqual({
      named: "c",
      profile: "c",
      fromArgument: false,
    });
    expect(selectProfile(undefined, { AWS_PROFILE: "b" })).toEqual({ named: "b", profile: "b", fromArgument: false });
    expect(selectProfile("", {})).toEqual({ named: undefined, profile: "default", fromArgument: false });
    expect(selectProfile(undefined, { AWS_PROFILE: "" })).toEqual({ named: "", profile: "default", fromArgument: false });
  });
});

describe("credentialSourceFor", () => {
  const decide = (config: string, credentials: string, env: Record<string, string> = {}, profileArg?: string) =>
    credentialSourceFor({ profileArg, env, config: sharedConfigFrom("/c", parseIni(config, "/c"), "/k", parseIni(credentials, "/k")) });
  const refused = (...args: Parameters<typeof decide>) => refusal(() => decide(...args));

  it("environment keys first, AWS_SECURITY_TOKEN over AWS_SESSION_TOKEN", () => {
    expect(
      decide("", "[default]\naws_access_key_id = K\naws_secret_access_key = S\n", {
        AWS_ACCESS_KEY_ID: "E",
        AWS_SECRET_ACCESS_KEY: "s",
        AWS_SECURITY_TOKEN: "old",
        AWS_SESSION_TOKEN: "new",
        AWS_CREDENTIAL_EXPIRATION: "2030-01-01T00:00:00Z",
      }),
    ).toEqual({
      kind: "env",
      accessKeyId: "E",
      secretAccessKey: "s",
      sessionToken: "old",
      expiration: "2030-01-01T00:00:00Z",
    });
  });

  it("--profile skips environment keys; the token may come from aws_security_token", () => {
    expect(
      decide(
        "",
        "[p]\naws_access_key_id = K\naws_secret_access_key = S\naws_security_token = T\n",
        { AWS_ACCESS_KEY_ID: "E", AWS_SECRET_ACCESS_KEY: "s" },
        "p",
      ),
    ).toEqual({
      kind: "static",
      profile: "p",
      file: "/k",
      accessKeyId: "K",
      secretAccessKey: "S",
      sessionToken: "T",
    });
  });

  it("a role chain down to keys, with the role's settings", () => {
    const source = decide(
      "[profile r]\nrole_arn = arn:r\nsource_profile = k\nduration_seconds = 1_200\nexternal_id = x\nregion = cn-north-1\n[profile k]\naws_access_key_id = K\naws_secret_access_key = S\n",
      "",
      {},
      "r",
    );
    expect(source).toMatchObject({
      kind: "assume-role",
      profile: "r",
      roleArn: "arn:r",
      externalId: "x",
      durationSeconds: 1200,
      region: "cn-north-1",
      source: { kind: "static", profile: "k", file: "/c", accessKeyId: "K", secretAccessKey: "S" },
    });
  });

  it("credential_source Environment carries the environment keys", () => {
    expect(
      decide(
        "[default]\nrole_arn = arn:r\ncredential_source = Environment\n",
        "",
        { AWS_ACCESS_KEY_ID: "E", AWS_SECRET_ACCESS_KEY: "s" },
        "default",
      ),
    ).toMatchObject({
      kind: "assume-role",
      source: { kind: "canonical", name: "Environment", env: { kind: "env", accessKeyId: "E", secretAccessKey: "s" } },
    });
  });

  it("sso-session settings join the profile's", () => {
    expect(
      decide(
        "[default]\nsso_session = c\nsso_account_id = 1\nsso_role_name = R\n[sso-session c]\nsso_start_url = https://s\nsso_region = eu-west-1\nsso_registration_scopes = sso:account:access\n",
        "",
      ),
    ).toEqual({
      kind: "sso",
      profile: "default",
      startUrl: "https://s",
      ssoRegion: "eu-west-1",
      accountId: "1",
      roleName: "R",
      sessionName: "c",
      registrationScopes: "sso:account:access",
    });
  });

  it("nothing configured leaves the container and instance metadata", () => {
    expect(decide("", "")).toEqual({ kind: "container-or-imds" });
  });

  it("an unknown profile lists the known ones", () => {
    expect(refused("[profile b]\n", "[a c]\n", {}, "x")).toEqual({
      kind: "unknown-profile",
      message: 'the AWS profile "x" is not in /c or /k. Known profiles: "a c", "b"',
    });
  });

  it("[cross] where [profile cross] was meant gets that hint", () => {
    expect(refused("[cross]\nrole_arn = r\n", "", { AWS_PROFILE: "cross" })).toEqual({
      kind: "unknown-profile",
      message: 'the AWS profile "cross" is not in /c or /k. In /c the section must be [profile cross], not [cross]',
    });
  });

  it("a source_profile naming no profile says so", () => {
    expect(refused("[profile r]\nrole_arn = arn:r\nsource_profile = ghost\n", "", {}, "r")).toEqual({
      kind: "unknown-profile",
      message: 'the source_profile "ghost" of the AWS profile "r" names no profile in /c or /k. Known profiles: "r"',
    });
  });

  it("partial credentials are refused, as botocore", () => {
    expect(refused("[default]\naws_access_key_id = A\n", "[default]\naws_secret_access_key = s\n")).toEqual({
      kind: "credentials",
      message:
        'Partial credentials found in the profile "default" in /c, missing: aws_secret_access_key. Set both the access key ID and the secret access key, or neither',
    });
    expect(refused("", "", { AWS_ACCESS_KEY_ID: "E" }).message).toBe(
      "Partial credentials found in the environment, missing: AWS_SECRET_ACCESS_KEY. Set both the access key ID and the secret access key, or neither",
    );
  });

  it("a source_profile loop is refused", () => {
    expect(refused("[profile a]\nrole_arn = 1\nsource_profile = b\n[profile b]\nrole_arn = 2\nsource_profile = a\n", "", {}, "a")).toEqual({
      kind: "profile-config",
      message:
        'the source_profile chain of the AWS profile "a" loops ("a" → "b" → "a"). Make the last profile of the chain hold keys or use credential_source',
    });
  });

  it("an invalid credential_source is refused (names are case-sensitive)", () => {
    expect(refused("[default]\nrole_arn = 1\ncredential_source = environment\n", "")).toEqual({
      kind: "profile-config",
      message:
        'the credential_source "environment" of the AWS profile "default" is not valid. Use one of Environment, EcsContainer, Ec2InstanceMetadata',
    });
  });
});
