/**
 * Cases for the differential test against botocore (test/botocore-differential.test.ts): config
 * and credentials files, an environment and a --profile, written to disk so that botocore and our
 * reader read the very same bytes. Three families: generated from a seeded PRNG (the same cases on
 * every run), one targeted case per parsing/decision rule, and the situations of botocore's own
 * `tests/unit/cfg/` fixtures, written afresh in our own words.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { largeConfig, QUIRKS, type Chain } from "./large-config.js";
import { prng } from "./prng.js";

/** How the environment points at the files. */
export type PathMode = "absolute" | "default-home" | "tilde" | "vars" | "empty-config";

export interface BotocoreCase {
  readonly id: string;
  readonly config?: string | Uint8Array;
  readonly credentials?: string | Uint8Array;
  readonly env?: Readonly<Record<string, string>>;
  readonly profileArg?: string;
  readonly paths?: PathMode;
}

/** A case on disk: the environment both readers get. */
export interface MaterializedCase {
  readonly id: string;
  readonly env: Record<string, string>;
  readonly profileArg: string | undefined;
}

export function materialize(root: string, index: number, c: BotocoreCase): MaterializedCase {
  const dir = join(root, `case-${index}`);
  const home = join(dir, "home");
  mkdirSync(join(home, ".aws"), { recursive: true });
  const env: Record<string, string> = { HOME: home, AWS_EC2_METADATA_DISABLED: "true" };
  const put = (path: string, content: string | Uint8Array | undefined): void => {
    if (content === undefined) return;
    mkdirSync(join(path, ".."), { recursive: true });
    writeFileSync(path, content);
  };
  switch (c.paths ?? "absolute") {
    case "absolute":
      env.AWS_CONFIG_FILE = join(dir, "config");
      env.AWS_SHARED_CREDENTIALS_FILE = join(dir, "credentials");
      put(env.AWS_CONFIG_FILE, c.config);
      put(env.AWS_SHARED_CREDENTIALS_FILE, c.credentials);
      break;
    case "default-home":
      put(join(home, ".aws", "config"), c.config);
      put(join(home, ".aws", "credentials"), c.credentials);
      break;
    case "tilde":
      env.AWS_CONFIG_FILE = "~/conf/the config";
      env.AWS_SHARED_CREDENTIALS_FILE = "~/conf/creds";
      put(join(home, "conf", "the config"), c.config);
      put(join(home, "conf", "creds"), c.credentials);
      break;
    case "vars":
      env.CONF_DIR = join(dir, "v");
      env.AWS_CONFIG_FILE = "$CONF_DIR/config";
      env.AWS_SHARED_CREDENTIALS_FILE = "${HOME}/v2/credentials";
      put(join(dir, "v", "config"), c.config);
      put(join(home, "v2", "credentials"), c.credentials);
      break;
    case "empty-config":
      env.AWS_CONFIG_FILE = "";
      env.AWS_SHARED_CREDENTIALS_FILE = join(dir, "credentials");
      put(join(dir, "config"), c.config);
      put(env.AWS_SHARED_CREDENTIALS_FILE, c.credentials);
      break;
  }
  Object.assign(env, c.env);
  return { id: c.id, env, profileArg: c.profileArg };
}

/** Profile names that stress the reader: spaces, shell and INI punctuation, JavaScript's own names. */
const NAMES = ["dev", "prod", "my profile", "__proto__", "constructor", "a$b,c=d&e!f", "Dev", "x.y", "ünï", "toString", "default"];
const EOLS = ["\n", "\r\n", "\r"];

/** Generated cases: random files built from the pieces botocore users write, with occasional faults. */
export function generatedCases(count: number, seed: number): BotocoreCase[] {
  const rand = prng(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(rand() * items.length)] as T;
  const chance = (p: number): boolean => rand() < p;
  const cases: BotocoreCase[] = [];

  for (let n = 0; n < count; n++) {
    const eol = chance(0.8) ? "\n" : pick(EOLS);
    const names = NAMES.filter((nm) => chance(nm === "default" ? 0.6 : 0.3));
    if (names.length === 0) names.push(pick(NAMES));

    const keyName = (key: string): string => (chance(0.1) ? key.toUpperCase() : chance(0.05) ? key.replace(/^a/, "A") : key);
    // Python's whitespace includes characters JavaScript's trim() does not (and the reverse).
    const exotic = (): string => pick(["\u00a0", "\u2003", "\u0085", "\u001f", "\f", "\v", "\ufeff", "\u200b"]);
    const sep = (): string => (chance(0.03) ? `${exotic()}=${exotic()}` : pick([" = ", "=", " : ", ":", "\t=\t", " =  "]));
    const indent = (): string => (chance(0.1) ? pick([" ", "  ", "\t"]) : chance(0.02) ? exotic() : "");
    const value = (base: string): string => {
      let v = base;
      if (chance(0.1)) v += pick([" # inline", " ; inline", "#x", " ;"]);
      if (chance(0.05)) v += "  \t";
      if (chance(0.02)) v = `${exotic()}${v}${exotic()}`;
      if (chance(0.01)) v += "\u{1F511}";
      return v;
    };

    const settingLines = (profile: string): string[] => {
      const lines: string[] = [];
      const add = (key: string, v: string): void => {
        lines.push(`${indent()}${keyName(key)}${sep()}${value(v)}`);
        if (chance(0.04)) lines.push(`${pick(["  ", "\t"])}continued ${key}`);
        if (chance(0.05)) lines.push(pick(["# a comment", "; a comment", "   # indented comment", ""]));
      };
      const kind = rand();
      if (kind < 0.35) {
        if (chance(0.9)) add("aws_access_key_id", `AKID${n}${profile.length}`);
        if (chance(0.85)) add("aws_secret_access_key", `secret/${n}+x`);
        if (chance(0.3)) add(pick(["aws_session_token", "aws_security_token"]), `tok${n}`);
        if (chance(0.1)) add(pick(["aws_session_token", "aws_security_token"]), `tok2${n}`);
      } else if (kind < 0.65) {
        add("role_arn", `arn:aws:iam::1234567890${n % 10}:role/r${n}`);
        const src = rand();
        if (src < 0.6) add("source_profile", chance(0.85) ? pick(names) : pick([...NAMES, "missing"]));
        else if (src < 0.85) add("credential_source", pick(["Environment", "EcsContainer", "Ec2InstanceMetadata", "environment", "Bogus"]));
        else if (src < 0.92) {
          add("source_profile", pick(names));
          add("credential_source", "Environment");
        }
        if (chance(0.2)) add("external_id", pick([`ext${n}`, ""]));
        if (chance(0.2)) add("role_session_name", pick([`s${n}`, ""]));
        if (chance(0.2)) add("mfa_serial", `arn:aws:iam::1:mfa/u${n}`);
        if (chance(0.2)) add("duration_seconds", pick(["3600", " 900", "abc", "1_800", "-5", "12.5"]));
        if (chance(0.1)) add("web_identity_token_file", `/tokens/t${n}`);
      } else if (kind < 0.72) {
        add("web_identity_token_file", pick([`/tokens/w${n}`, ""]));
        if (chance(0.8)) add("role_arn", `arn:aws:iam::1:role/w${n}`);
        if (chance(0.3)) add("role_session_name", `ws${n}`);
      } else if (kind < 0.8) {
        if (chance(0.9)) add("sso_account_id", "111122223333");
        if (chance(0.9)) add("sso_role_name", "Reader");
        if (chance(0.5)) add("sso_session", pick(["corp", "nowhere"]));
        else {
          if (chance(0.9)) add("sso_start_url", "https://d-1.awsapps.com/start");
          if (chance(0.9)) add("sso_region", "eu-west-1");
        }
      } else if (kind < 0.87) {
        add("credential_process", pick([`/bin/creds --profile ${n}`, `"/opt/my tool/creds" a 'b c'`, ""]));
        if (chance(0.3)) add("aws_access_key_id", `PAKID${n}`);
        if (chance(0.3)) add("aws_secret_access_key", `psecret${n}`);
      } else if (kind < 0.9) {
        add("login_session", `arn:aws:iam::1:user/l${n}`);
      }
      if (chance(0.5)) add("region", pick(["us-east-1", "eu-west-1", "cn-north-1", "ap-south-2"]));
      if (chance(0.1)) {
        lines.push(`${keyName("s3")}${pick([" =", "="])}`);
        lines.push(`  addressing_style = path`);
        if (chance(0.2)) lines.push(`  not a pair`);
      }
      return lines;
    };

    const configHeader = (name: string): string => {
      if (name === "default") return pick(["[default]", "[default]", "[profile default]"]);
      if (/[\s"']/.test(name)) return pick([`[profile "${name}"]`, `[profile '${name}']`, `[profile ${name}]`]);
      return pick([
        `[profile ${name}]`,
        `[profile ${name}]`,
        `[profile "${name}"]`,
        `[profile  ${name}]`,
        `[${name}]`,
        `[profile ${name}] ; note`,
      ]);
    };
    const credentialsHeader = (name: string): string => pick([`[${name}]`, `[${name}]`, `[${name}]`, `[profile ${name}]`, `[${name}]x`]);

    const build = (header: (name: string) => string, within: string[], extra: string[]): string => {
      const lines: string[] = [];
      if (chance(0.1)) lines.push("# written by a tool");
      if (chance(0.08)) lines.push("[DEFAULT]", `${keyName("region")}${sep()}us-west-2`);
      for (const name of within) {
        lines.push(header(name));
        lines.push(...settingLines(name));
        if (chance(0.15)) lines.push("");
      }
      lines.push(...extra);
      return lines.join(eol) + (chance(0.8) ? eol : "");
    };

    const inConfig = names.filter(() => chance(0.75));
    const inCredentials = names.filter((nm) => !inConfig.includes(nm) || chance(0.3));
    const configExtra: string[] = [];
    if (chance(0.25))
      configExtra.push(
        "[sso-session corp]",
        "sso_start_url = https://corp.awsapps.com/start",
        `sso_region = ${pick(["us-east-1", "eu-west-1"])}`,
        ...(chance(0.3) ? ["sso_registration_scopes = sso:account:access"] : []),
      );
    if (chance(0.1)) configExtra.push("[services mine]", "s3 =", "  endpoint_url = http://localhost:1");
    if (chance(0.05)) configExtra.push("[preview]", "cloudfront = true");

    let config = build(configHeader, inConfig, configExtra);
    let credentials = build(credentialsHeader, inCredentials, []);

    // Faults botocore refuses (or, for some, accepts in a surprising way).
    const fault = rand() * 1.4;
    if (fault < 0.03) config = `${config}[profile ${inConfig[0] ?? "dev"}]${eol}region = x${eol}`;
    else if (fault < 0.06) credentials = `aws_access_key_id = early${eol}${credentials}`;
    else if (fault < 0.08) config = `${config}[dup]${eol}Key = 1${eol}KEY = 2${eol}`;
    else if (fault < 0.1) credentials = `${credentials}[odd]${eol}just words${eol}`;
    else if (fault < 0.11) config = `${config}[odd]${eol}= no name${eol}`;
    else if (fault < 0.13) config = `\ufeff${config}`;
    else if (fault < 0.14) credentials = `${credentials}[nested]${eol}x =${eol}  broken line${eol}`;

    const env: Record<string, string> = {};
    const envChance = rand();
    if (envChance < 0.3) {
      env.AWS_ACCESS_KEY_ID = pick([`EAKID${n}`, `EAKID${n}`, ""]);
      if (chance(0.85)) env.AWS_SECRET_ACCESS_KEY = pick([`esecret${n}`, `esecret${n}`, ""]);
      if (chance(0.3)) env.AWS_SESSION_TOKEN = pick([`etok${n}`, ""]);
      if (chance(0.2)) env.AWS_SECURITY_TOKEN = pick([`esec${n}`, ""]);
      if (chance(0.1)) env.AWS_CREDENTIAL_EXPIRATION = "2099-01-01T00:00:00Z";
    }
    if (chance(0.3)) env.AWS_PROFILE = chance(0.85) ? pick(names) : pick(["nosuch", ""]);
    if (chance(0.15)) env.AWS_DEFAULT_PROFILE = chance(0.85) ? pick(names) : "nosuch";
    if (chance(0.06)) {
      env.AWS_WEB_IDENTITY_TOKEN_FILE = pick(["/env/token", ""]);
      if (chance(0.8)) env.AWS_ROLE_ARN = pick(["arn:aws:iam::1:role/env", ""]);
      if (chance(0.3)) env.AWS_ROLE_SESSION_NAME = "envsession";
    }
    if (chance(0.08)) env.AWS_CONTAINER_CREDENTIALS_RELATIVE_URI = "/v2/credentials/x";
    if (chance(0.05)) env.AWS_EC2_METADATA_DISABLED = pick(["false", "TRUE"]);
    const profileArg = chance(0.4) ? (chance(0.85) ? pick(names) : pick(["nosuch", ""])) : undefined;
    const paths = pick<PathMode>(["absolute", "absolute", "absolute", "default-home", "tilde", "vars", "empty-config"]);

    cases.push({
      id: `generated ${n}`,
      ...(chance(0.95) ? { config } : {}),
      ...(chance(0.9) ? { credentials } : {}),
      env,
      ...(profileArg !== undefined ? { profileArg } : {}),
      paths,
    });
  }
  return cases;
}

const KEYS = "aws_access_key_id = AKIDT\naws_secret_access_key = secretT\n";

/** One case per rule of the parser and of the source decision (botocore's configloader and create_credential_resolver). */
export function targetedCases(): BotocoreCase[] {
  const c = (id: string, rest: Omit<BotocoreCase, "id">): BotocoreCase => ({ id: `rule: ${id}`, ...rest });
  return [
    c("colon separator and upper-case keys", { credentials: "[default]\nAWS_ACCESS_KEY_ID: AKIDC\nAws_Secret_Access_Key : s\n" }),
    c("inline # and ; stay in the value", {
      config: "[default]\nregion = eu-west-1 # Ireland\naws_access_key_id=A;1\naws_secret_access_key = s ; x\n",
    }),
    c("continuation line joins the value", {
      config: `[profile r]\nrole_arn = arn:aws:iam::1:role/a\n  /b\nsource_profile = k\n[profile k]\n${KEYS}`,
      profileArg: "r",
    }),
    c("blank line inside a continued value", { config: `[default]\nx = 1\n\n  2\n\n${KEYS}` }),
    c("comment lines do not end a value", { config: `[default]\nx = 1\n# note\n  2\n${KEYS}` }),
    c("indented option after a header", { config: `[default]\n  region = us-east-2\n    more\n${KEYS}` }),
    c("DEFAULT inherited by every section", {
      config: "[DEFAULT]\nregion = ap-south-1\naws_secret_access_key = fromdefault\n[profile p]\naws_access_key_id = P\n",
      profileArg: "p",
    }),
    c("DEFAULT alone is not a profile", { config: `[DEFAULT]\n${KEYS}` }),
    c("DEFAULT twice, distinct keys", { config: `[DEFAULT]\na = 1\n[default]\n${KEYS}[DEFAULT]\nb = 2\n` }),
    c("DEFAULT twice, same key refused", { config: "[DEFAULT]\na = 1\n[DEFAULT]\nA = 2\n" }),
    c("DEFAULT in the credentials file", { credentials: `[DEFAULT]\naws_session_token = dtok\n[default]\n${KEYS}` }),
    c("quoted profile name", { config: `[profile "dev"]\n${KEYS}`, profileArg: "dev" }),
    c("quoted name with spaces", { config: `[profile "my team"]\n${KEYS}`, env: { AWS_PROFILE: "my team" } }),
    c("single-quoted name", { config: `[profile 'qa env']\n${KEYS}`, profileArg: "qa env" }),
    c("unclosed quote ignores the section", { config: `[profile "open]\n${KEYS}`, profileArg: "open" }),
    c("three words ignore the section", { config: `[profile "a" "b"]\n${KEYS}`, profileArg: "a" }),
    c("[profileX name] counts", { config: `[profilex odd]\n${KEYS}`, profileArg: "odd" }),
    c("[profile] alone ignored", { config: `[profile]\n${KEYS}`, profileArg: "profile" }),
    c("[x] in config is no profile, hint", { config: `[cross]\n${KEYS}`, profileArg: "cross" }),
    c("[profile x] in credentials is named so", { credentials: `[profile p]\n${KEYS}`, profileArg: "p" }),
    c("[profile default] then [default]", { config: `[profile default]\nregion = a\n[default]\nregion = b\n${KEYS}` }),
    c("[default] then [profile default]", { config: `[default]\nregion = a\n${KEYS}[profile default]\nregion = b\n` }),
    c("two headers for one profile replace", {
      config: `[profile p]\nregion = a\n${KEYS}[profile  p]\nregion = b\n`,
      profileArg: "p",
    }),
    c("credentials file settings win", {
      config: "[profile p]\nregion = a\naws_access_key_id = C\n",
      credentials: `[p]\nregion = b\n${KEYS}`,
      profileArg: "p",
    }),
    c("duplicate section refused", { credentials: "[a]\nx=1\n[b]\n[a]\n" }),
    c("duplicate key refused", { config: "[default]\nregion = a\nRegion = b\n" }),
    c("option before any header refused", { credentials: "aws_access_key_id = A\n[default]\n" }),
    c("line without = refused", { config: "[default]\nregion\n" }),
    c("empty key refused", { config: "[default]\n= v\n" }),
    c("CR-only line endings", { config: `[profile cr]\r${KEYS.replace(/\n/g, "\r")}`, profileArg: "cr" }),
    c("CRLF line endings", { credentials: `[default]\r\n${KEYS.replace(/\n/g, "\r\n")}` }),
    c("text after ]", { credentials: `[default] trailing words\n${KEYS}` }),
    c("] inside a header", { credentials: `[a]b]\n${KEYS}`, profileArg: "a]b" }),
    c("UTF-8 BOM refused", { config: "\ufeff[default]\nregion = x\n" }),
    c("invalid UTF-8 refused", { credentials: Uint8Array.from([0x5b, 0x61, 0x5d, 0x0a, 0x6b, 0x3d, 0xff, 0xfe, 0x0a]) }),
    c("__proto__ profile", { config: `[profile __proto__]\n${KEYS}[profile constructor]\nregion = r\n`, profileArg: "__proto__" }),
    c("__proto__ key", { config: `[default]\n__proto__ = x\nconstructor = y\n${KEYS}` }),
    c("punctuation in names", { credentials: `[a$b,c=d&e!f]\n${KEYS}`, env: { AWS_PROFILE: "a$b,c=d&e!f" } }),
    c("nested block", { config: `[default]\ns3 =\n  addressing_style = path\n  Signature_Version = s3v4\n${KEYS}` }),
    c("nested block without = refused", { config: "[default]\ns3 =\n  addressing_style path\n" }),
    c("nested via DEFAULT without sections", { config: "[DEFAULT]\ns3 =\n  broken\n" }),
    c("sso-session and services sections", {
      config:
        '[profile s]\nsso_session = corp\nsso_account_id = 1\nsso_role_name = R\n[sso-session corp]\nsso_start_url = https://x/start\nsso_region = eu-west-1\n[services "svc"]\ns3 =\n  endpoint_url = http://127.0.0.1:1\n',
      profileArg: "s",
    }),
    c("sso-session conflict", {
      config:
        "[default]\nsso_session = c\nsso_region = us-east-1\nsso_account_id = 1\nsso_role_name = R\n[sso-session c]\nsso_start_url = u\nsso_region = eu-west-1\n",
    }),
    c("sso missing settings", { config: "[default]\nsso_account_id = 1\n" }),
    c("legacy sso", {
      config: "[default]\nsso_start_url = https://s\nsso_region = us-east-2\nsso_account_id = 9\nsso_role_name = Admin\n",
    }),
    c("AWS_DEFAULT_PROFILE before AWS_PROFILE", {
      credentials: "[a]\naws_access_key_id = A\naws_secret_access_key = s\n[b]\naws_access_key_id = B\naws_secret_access_key = s\n",
      env: { AWS_PROFILE: "a", AWS_DEFAULT_PROFILE: "b" },
    }),
    c("--profile over both", {
      credentials: `[a]\n${KEYS}[c]\naws_access_key_id = C\naws_secret_access_key = s\n`,
      env: { AWS_PROFILE: "a", AWS_DEFAULT_PROFILE: "a" },
      profileArg: "c",
    }),
    c("unknown profile even with env keys", {
      credentials: `[a]\n${KEYS}`,
      env: { AWS_PROFILE: "zzz", AWS_ACCESS_KEY_ID: "E", AWS_SECRET_ACCESS_KEY: "s" },
    }),
    c("explicit default that does not exist", { env: { AWS_PROFILE: "default" } }),
    c("AWS_PROFILE empty", { credentials: `[default]\n${KEYS}`, env: { AWS_PROFILE: "" } }),
    c("--profile empty is no profile", { credentials: `[default]\n${KEYS}`, profileArg: "" }),
    c("env keys before a profile from AWS_PROFILE", {
      credentials: `[a]\n${KEYS}`,
      env: { AWS_PROFILE: "a", AWS_ACCESS_KEY_ID: "E", AWS_SECRET_ACCESS_KEY: "s" },
    }),
    c("--profile drops env keys", {
      credentials: `[a]\n${KEYS}`,
      env: { AWS_ACCESS_KEY_ID: "E", AWS_SECRET_ACCESS_KEY: "s" },
      profileArg: "a",
    }),
    c("env partial", { env: { AWS_ACCESS_KEY_ID: "E" } }),
    c("env empty key falls through", { credentials: `[default]\n${KEYS}`, env: { AWS_ACCESS_KEY_ID: "", AWS_SECRET_ACCESS_KEY: "s" } }),
    c("AWS_SECURITY_TOKEN first", {
      env: { AWS_ACCESS_KEY_ID: "E", AWS_SECRET_ACCESS_KEY: "s", AWS_SECURITY_TOKEN: "old", AWS_SESSION_TOKEN: "new" },
    }),
    c("empty AWS_SECURITY_TOKEN skipped", {
      env: { AWS_ACCESS_KEY_ID: "E", AWS_SECRET_ACCESS_KEY: "s", AWS_SECURITY_TOKEN: "", AWS_SESSION_TOKEN: "new" },
    }),
    c("aws_security_token in a file", { credentials: `[default]\n${KEYS}aws_security_token = legacy\n` }),
    c("aws_security_token wins over aws_session_token", {
      config: `[default]\n${KEYS}aws_session_token = new\naws_security_token = old\n`,
    }),
    c("empty session token kept", { credentials: `[default]\n${KEYS}aws_session_token =\n` }),
    c("partial split over the files", {
      config: "[default]\naws_access_key_id = A\n",
      credentials: "[default]\naws_secret_access_key = s\n",
    }),
    c("partial in the credentials file", { config: `[default]\n${KEYS}`, credentials: "[default]\naws_access_key_id = A\n" }),
    c("process before config-file keys", { config: `[default]\ncredential_process = /bin/x a\n${KEYS}` }),
    c("credentials-file keys before process", { config: "[default]\ncredential_process = /bin/x\n", credentials: `[default]\n${KEYS}` }),
    c("process in the credentials file", { credentials: "[default]\ncredential_process = /bin/y\n" }),
    c("role via source_profile", {
      config:
        "[profile r]\nrole_arn = arn:r\nsource_profile = k\nexternal_id = e\nrole_session_name = s\nduration_seconds = 1200\nmfa_serial = m\nregion = eu-central-1\n[profile k]\n" +
        KEYS,
      profileArg: "r",
    }),
    c("role chain of three", {
      config: `[profile a]\nrole_arn = arn:a\nsource_profile = b\n[profile b]\nrole_arn = arn:b\nsource_profile = c\n[profile c]\n${KEYS}`,
      profileArg: "a",
    }),
    c("source_profile names no profile", { config: "[profile r]\nrole_arn = arn:r\nsource_profile = ghost\n", profileArg: "r" }),
    c("source_profile loop", {
      config: "[profile a]\nrole_arn = arn:a\nsource_profile = b\n[profile b]\nrole_arn = arn:b\nsource_profile = a\n",
      profileArg: "a",
    }),
    c("self source with keys", { config: `[profile a]\nrole_arn = arn:a\nsource_profile = a\n${KEYS}`, profileArg: "a" }),
    c("self source without keys", { config: "[profile a]\nrole_arn = arn:a\nsource_profile = a\n", profileArg: "a" }),
    c("source profile without credentials", {
      config: "[profile r]\nrole_arn = arn:r\nsource_profile = e\n[profile e]\nregion = x\n",
      profileArg: "r",
    }),
    c("source profile with sso", {
      config:
        "[profile r]\nrole_arn = arn:r\nsource_profile = s\n[profile s]\nsso_start_url = u\nsso_region = us-east-1\nsso_account_id = 1\nsso_role_name = R\n",
      profileArg: "r",
    }),
    c("source profile with process", {
      config: "[profile r]\nrole_arn = arn:r\nsource_profile = p\n[profile p]\ncredential_process = /bin/p\n",
      profileArg: "r",
    }),
    c("role without source", { config: "[profile r]\nrole_arn = arn:r\n", profileArg: "r" }),
    c("both source_profile and credential_source", {
      config: "[profile r]\nrole_arn = arn:r\nsource_profile = r\ncredential_source = Environment\n",
      profileArg: "r",
    }),
    c("credential_source Environment", {
      config: "[profile r]\nrole_arn = arn:r\ncredential_source = Environment\n",
      env: { AWS_ACCESS_KEY_ID: "E", AWS_SECRET_ACCESS_KEY: "s" },
      profileArg: "r",
    }),
    c("credential_source Environment without keys", {
      config: "[profile r]\nrole_arn = arn:r\ncredential_source = Environment\n",
      profileArg: "r",
    }),
    c("credential_source wrong case", { config: "[profile r]\nrole_arn = arn:r\ncredential_source = environment\n", profileArg: "r" }),
    c("credential_source EcsContainer", {
      config: "[profile r]\nrole_arn = arn:r\ncredential_source = EcsContainer\n",
      env: { AWS_CONTAINER_CREDENTIALS_RELATIVE_URI: "/v2/x" },
      profileArg: "r",
    }),
    c("credential_source Ec2InstanceMetadata disabled", {
      config: "[profile r]\nrole_arn = arn:r\ncredential_source = Ec2InstanceMetadata\n",
      profileArg: "r",
    }),
    c("credential_source Ec2InstanceMetadata enabled", {
      config: "[profile r]\nrole_arn = arn:r\ncredential_source = Ec2InstanceMetadata\n",
      env: { AWS_EC2_METADATA_DISABLED: "no" },
      profileArg: "r",
    }),
    c("web identity in profile", { config: "[default]\nrole_arn = arn:w\nweb_identity_token_file = /t\nrole_session_name = ws\n" }),
    c("web identity from env", { env: { AWS_WEB_IDENTITY_TOKEN_FILE: "/t", AWS_ROLE_ARN: "arn:e" } }),
    c("web identity env ignored with --profile", {
      credentials: `[a]\n${KEYS}`,
      env: { AWS_WEB_IDENTITY_TOKEN_FILE: "/t", AWS_ROLE_ARN: "arn:e" },
      profileArg: "a",
    }),
    c("web identity without role", { env: { AWS_WEB_IDENTITY_TOKEN_FILE: "/t" } }),
    c("login_session", { config: "[default]\nlogin_session = arn:aws:iam::1:user/me\n" }),
    c("duration_seconds not a number", {
      config: `[profile r]\nrole_arn = arn:r\nsource_profile = k\nduration_seconds = 1h\n[profile k]\n${KEYS}`,
      profileArg: "r",
    }),
    c("nothing anywhere", {}),
    c("container env with nothing else", { env: { AWS_CONTAINER_CREDENTIALS_FULL_URI: "http://127.0.0.1:1/x" } }),
    c("default paths under HOME", { config: "[default]\nregion = us-east-1\n", credentials: `[default]\n${KEYS}`, paths: "default-home" }),
    c("~ in AWS_CONFIG_FILE", { config: "[default]\nregion = us-east-1\n", credentials: `[default]\n${KEYS}`, paths: "tilde" }),
    c("$VAR in the paths", { config: "[default]\nregion = us-east-1\n", credentials: `[default]\n${KEYS}`, paths: "vars" }),
    c("AWS_CONFIG_FILE empty means no file", {
      config: `[default]\nregion = us-east-1\n${KEYS}`,
      credentials: "[other]\n",
      paths: "empty-config",
    }),
    c("a directory is no file", { env: { AWS_CONFIG_FILE: "/" } }),
    c("config refused before credentials", { config: "[a]\n[a]\n", credentials: "[b]\n[b]\n" }),
    c("Python whitespace around values", {
      config: "[default]\nregion =\u00a0eu-west-1\u2003\n\u0085aws_access_key_id = A\u001f\naws_secret_access_key = s\n",
    }),
    c("form feed inside a line", { config: `[default]\nregion = a\fb\n${KEYS}` }),
    c("profile named by empty quotes", { config: `[profile ""]\nregion = empty\n[default]\n${KEYS}`, env: { AWS_PROFILE: "" } }),
    c("source profile with web identity", {
      config: "[profile r]\nrole_arn = arn:r\nsource_profile = w\n[profile w]\nrole_arn = arn:w\nweb_identity_token_file = /w\n",
      profileArg: "r",
    }),
    c("credential_source EcsContainer without its variables", {
      config: "[profile r]\nrole_arn = arn:r\ncredential_source = EcsContainer\n",
      profileArg: "r",
    }),
    c("web identity: token from env, role from profile", {
      config: "[default]\nrole_arn = arn:p\nweb_identity_token_file = /p\n",
      env: { AWS_WEB_IDENTITY_TOKEN_FILE: "/e" },
    }),
    c("web identity: empty AWS_ROLE_ARN", {
      config: "[default]\nrole_arn = arn:p\nweb_identity_token_file = /p\n",
      env: { AWS_ROLE_ARN: "" },
    }),
    c("web identity: empty token file in env hides the profile's", {
      config: `[default]\nrole_arn = arn:p\nweb_identity_token_file = /p\n${KEYS}`,
      env: { AWS_WEB_IDENTITY_TOKEN_FILE: "" },
    }),
    c("role_arn with web_identity_token_file is web identity", {
      config: "[profile r]\nrole_arn = arn:r\nweb_identity_token_file = /t\nsource_profile = nowhere\n",
      profileArg: "r",
    }),
    c("self source with keys in the credentials file", {
      config: "[profile a]\nrole_arn = arn:a\nsource_profile = a\n",
      credentials: `[a]\n${KEYS}`,
      profileArg: "a",
    }),
    c("header-like option and odd headers", { credentials: "[a=b]\n[a\nx = 1\n[ profile y]\n[]]\n", profileArg: "a=b" }),
    c("[] alone refused", { credentials: "[]\n" }),
    c("key with spaces, value with = and :", { config: `[default]\nmy key = v\nendpoint_url = http://h:1/a=b\na:b=c\n${KEYS}` }),
    c("[ profile x] is no profile", { config: `[ profile x]\n${KEYS}`, profileArg: "x" }),
  ];
}

/**
 * The situations botocore's own unit-test fixtures (`tests/unit/cfg/`) cover, restated with our
 * own names and values: quoted names, malformed headers, a setting before any section, random
 * bytes, nested blocks good and bad, a config without keys, the EC2 tools' key file, services and
 * sso-session sections, and boto2's [Credentials] file (read here as an AWS file).
 */
export function botocoreFixtureCases(): BotocoreCase[] {
  const c = (id: string, rest: Omit<BotocoreCase, "id">): BotocoreCase => ({ id: `fixture: ${id}`, ...rest });
  const junk = new Uint8Array(512);
  let x = 7;
  for (let i = 0; i < junk.length; i++) junk[i] = x = (x * 1103515245 + 12345) & 0xff;
  const badProfiles =
    "[default]\naws_access_key_id = d1\naws_secret_access_key = d2\n\n" +
    '# two quoted words: not a profile\n[profile "team" "extra"]\naws_access_key_id = t1\naws_secret_access_key = t2\n\n' +
    '[profile "team two"]\naws_access_key_id = s1\naws_secret_access_key = s2\n\n' +
    '[profile "no closing quote]\n\n[profile plain1]\naws_access_key_id = p1\naws_secret_access_key = p2\n';
  return [
    c("bad profile headers, default", { config: badProfiles }),
    c("bad profile headers, spaced name", { config: badProfiles, profileArg: "team two" }),
    c("bad profile headers, two words", { config: badProfiles, profileArg: "team" }),
    c("bad profile headers, plain name", { config: badProfiles, profileArg: "plain1" }),
    c("quoted profile with security token", {
      config:
        '[default]\naws_access_key_id = k1\naws_secret_access_key = k2\n\n[profile "work"]\naws_access_key_id = w1\naws_secret_access_key = w2\naws_security_token = w3\n',
      profileArg: "work",
    }),
    c("settings before any section", {
      config: 'aws_access_key_id = k1\naws_secret_access_key = k2\n\n[profile "work"]\naws_access_key_id = w1\n',
    }),
    c("random bytes as config", { config: junk }),
    c("nested blocks", {
      config:
        "[default]\naws_access_key_id = n1\naws_secret_access_key = n2\ns3 =\n    signature_version = s3v4\n    addressing_style = virtual\ndynamodb =\n    signature_version = v4\nregion=eu-north-1\n",
    }),
    c("nested block with bad syntax", {
      config: "[default]\naws_access_key_id = n1\naws_secret_access_key = n2\ns3 =\n    signature_version @ s3v4\nregion=eu-north-1\n",
    }),
    c("config without keys", { config: "[default]\nregion = sa-east-1\n" }),
    c("EC2 tools key file as credentials file", { credentials: "AWSAccessKeyId=e1\nAWSSecretKey=e2\n" }),
    c("services section", {
      config:
        "[default]\nendpoint_url = https://127.0.0.1:1/\nservices = local\n\n[services local]\ns3 =\n  endpoint_url = https://127.0.0.1:2/\nsqs =\n  endpoint_url = https://127.0.0.1:3/\n",
    }),
    c("sso-session without role", {
      config:
        "[default]\nsso_session = corp\n\n[sso-session corp]\nsso_start_url = https://corp.example/start\nsso_region = ap-southeast-2\n",
    }),
    c("other keys in a quoted profile", {
      config:
        '[default]\naws_access_key_id = k1\naws_secret_access_key = k2\nsome_region = us-east-2\n\n[profile "other"]\naws_access_key_id = o1\naws_secret_access_key = o2\n',
      profileArg: "other",
    }),
    c("boto2 Credentials section", {
      credentials: "[Credentials]\naws_access_key_id = b1\naws_secret_access_key = b2\n",
      profileArg: "Credentials",
    }),
    c("boto2 Credentials section without keys", { credentials: "[Credentials]\n# no keys\n", profileArg: "Credentials" }),
  ];
}

/**
 * Large files, as a large organisation's SSO tools write them: 1,500 profiles with the selected
 * one first, in the middle or last, and each unusual or refused thing (test/support/large-config.ts)
 * somewhere; and a credentials file of as many profiles.
 */
export function largeCases(): BotocoreCase[] {
  const chains: readonly Chain[] = ["static", "role", "sso"];
  const cases = QUIRKS.map((quirk, i): BotocoreCase => {
    const selectedAt = [0, 0.5, 1][i % 3] as number;
    const chain = chains[Math.floor(i / 3) % 3] as Chain;
    return {
      id: `large: ${quirk}, ${chain} dev at ${selectedAt}`,
      config: largeConfig({ profiles: 1500, selectedAt, othersAt: (i * 0.37) % 1, quirkAt: (i * 0.61) % 1, chain, quirk }),
      profileArg: "dev",
    };
  });
  const sections = Array.from({ length: 1500 }, (_, i) => `[acct-${i}]\naws_access_key_id = AKIA${i}\naws_secret_access_key = s${i}\n\n`);
  const credentials = [
    ...sections.slice(0, 700),
    "[dev]\naws_access_key_id = AKIADEV\naws_secret_access_key = sdev\n\n",
    ...sections.slice(700),
  ].join("");
  cases.push({
    id: "large: credentials file of 1,500 profiles",
    credentials,
    config: "[profile dev]\nregion = eu-west-1\n",
    profileArg: "dev",
  });
  cases.push({
    id: "large: credentials file of 1,500 profiles, a repeated key near the end",
    credentials: `${credentials}[late]\nx = 1\nX = 2\n`,
    profileArg: "dev",
  });
  return cases;
}
