/**
 * The one reading of `~/.aws/config` and `~/.aws/credentials`, as botocore's
 * session sees them: `configloader.load_config` for the config file (`[profile NAME]` and
 * `[default]` are profiles, `[sso-session NAME]` and `[services NAME]` their own kinds, the rest
 * ignored), `raw_config_parse` for the credentials file (every section is a profile, named as
 * written), and `Session.full_config` merging the two (credentials file settings win).
 */
import { nodeFs } from "../runtime/node-fs.js";
import type { Env } from "../env.js";
import { HelperError } from "../errors.js";
import { emptySettings, type IniSections, type Settings } from "./ini.js";
import { readIni, type IniReading } from "./ini-reading.js";
import { OnDemandMap } from "./on-demand-map.js";
import { sharedFilePaths } from "./paths.js";
import { shlexSplit } from "./shlex.js";

/** One profile's settings, keys lower-cased as configparser does (a null-prototype record). */
export type ProfileSettings = Settings;

/**
 * The shape the other modules build against, so it only grows: three fields, the rest
 * optional so that hand-made configs in tests stay valid. {@link loadSharedConfig} fills them all.
 */
export interface SharedConfig {
  /** The config file's path ("" when AWS_CONFIG_FILE is set to empty: no file). */
  readonly configFile: string;
  readonly credentialsFile: string;
  /** botocore's `full_config["profiles"]`: both files, a name in both has the credentials file's keys over the config's. */
  readonly profiles: ReadonlyMap<string, ProfileSettings>;
  /** The config file's profiles alone (botocore's ConfigProvider reads only these); absent: {@link profiles}. */
  readonly configProfiles?: ReadonlyMap<string, ProfileSettings>;
  /** The credentials file's sections alone (botocore's SharedCredentialProvider reads only these); absent: none. */
  readonly credentialsProfiles?: ReadonlyMap<string, ProfileSettings>;
  /** `[sso-session NAME]` sections of the config file. */
  readonly ssoSessions?: ReadonlyMap<string, ProfileSettings>;
  /** `[services NAME]` sections of the config file. */
  readonly services?: ReadonlyMap<string, ProfileSettings>;
  /** Every section header of the config file as written, e.g. to spot `[cross]` meant as `[profile cross]`. */
  readonly configSections?: readonly string[];
}

/** A {@link SharedConfig} as read from the files: every field present. */
export type LoadedSharedConfig = Required<SharedConfig>;

/**
 * Reads both files, refusing either as botocore would, and reads each section when it is first
 * asked for (ini-reading.ts): a `get` reads its profile chain fully, not the thousands of profiles
 * around it. Listing or counting a map reads the whole file. A missing file is empty, as for the AWS CLI.
 */
export function loadSharedConfig(env: Env, wholeBelowBytes = WHOLE_BELOW_BYTES): LoadedSharedConfig {
  const { configFile, credentialsFile } = sharedFilePaths(env);
  // botocore parses the config file first, so its errors are the ones reported.
  const config = readIniFile(configFile, wholeBelowBytes);
  const credentials = readIniFile(credentialsFile, wholeBelowBytes);
  return config.mode === "whole" && credentials.mode === "whole"
    ? sharedConfigFrom(configFile, config.all(), credentialsFile, credentials.all())
    : sharedConfigOnDemand(configFile, config, credentialsFile, credentials);
}

/**
 * A file shorter than this is parsed whole, at once. Reading a file on demand first compiles the
 * handful of regular expressions that check its shape (ini-reading.ts), which costs a compiled run
 * about as much as parsing 20 lines (~0.4 M instructions, callgrind); most credentials files, and
 * the config files of people with a profile or two, are shorter than that.
 */
const WHOLE_BELOW_BYTES = 512;

/** {@link sharedConfigFrom}'s maps, each entry read when asked for; the same values. */
export function sharedConfigOnDemand(
  configFile: string,
  config: IniReading,
  credentialsFile: string,
  credentials: IniReading,
): LoadedSharedConfig {
  let full: LoadedSharedConfig | undefined;
  const whole = (): LoadedSharedConfig => (full ??= sharedConfigFrom(configFile, config.all(), credentialsFile, credentials.all()));
  const headerOf = sectionHeaders(config);
  const configSection = (kind: SectionKind) => (name: string) => {
    const header = headerOf(kind, name);
    return header === undefined ? undefined : config.section(header);
  };
  const configProfiles = new OnDemandMap(configSection("profile"), () => whole().configProfiles);
  const credentialsProfiles = new OnDemandMap(
    (name) => credentials.section(name),
    () => whole().credentialsProfiles,
  );
  const profiles = new OnDemandMap<ProfileSettings>(
    (name) => {
      const fromConfig = configProfiles.get(name);
      const fromCredentials = credentialsProfiles.get(name);
      return fromCredentials === undefined ? fromConfig : Object.assign(emptySettings(), fromConfig, fromCredentials);
    },
    () => whole().profiles,
  );
  return {
    configFile,
    credentialsFile,
    profiles,
    configProfiles,
    credentialsProfiles,
    ssoSessions: new OnDemandMap(configSection("sso-session"), () => whole().ssoSessions),
    services: new OnDemandMap(configSection("services"), () => whole().services),
    get configSections() {
      return config.headers();
    },
  };
}

type SectionKind = "profile" | "sso-session" | "services";

/**
 * A header that buildProfileMap reads in another way than `KIND NAME` with one space and a name
 * shlex leaves as it is: `[profile "a b"]`, `[profile  a]`, `[profiles a]` (botocore only checks
 * the prefix), `[profile a b]`...
 */
const OTHER_HEADER = /^\[(?:profile|sso-session|services)(?! [^ \t\r\n"'\\]+\]$)/m;

/** A name that a plain `[KIND NAME]` header can give. */
const PLAIN_NAME = /^[^ \t\r\n"'\\]+$/;

/**
 * Which config file header buildProfileMap takes the section of kind `kind` named `name` from
 * (the last one in the file, as later sections replace earlier ones). When every header is plain,
 * that is the header spelled `KIND NAME` (or `default`, for the default profile); else each header
 * is split with shlex, once.
 */
function sectionHeaders(config: IniReading): (kind: SectionKind, name: string) => string | undefined {
  if (config.someHeader(OTHER_HEADER)) {
    const byName = new Map<string, string>();
    for (const header of config.headers()) {
      const kind = kindOf(header);
      const words = kind && shlexSplit(header);
      if (words?.length === 2) byName.set(`${kind} ${words[1]}`, header);
      else if (header === "default") byName.set("profile default", header);
    }
    return (kind, name) => byName.get(`${kind} ${name}`);
  }
  return (kind, name) => {
    const header = `${kind} ${name}`;
    const at = PLAIN_NAME.test(name) ? config.position(header) : -1;
    if (kind === "profile" && name === "default" && config.position("default") > at) return "default";
    return at >= 0 ? header : undefined;
  };
}

/** buildProfileMap's test of a header's kind: its prefix, in this order. */
function kindOf(header: string): SectionKind | undefined {
  return header.startsWith("profile")
    ? "profile"
    : header.startsWith("sso-session")
      ? "sso-session"
      : header.startsWith("services")
        ? "services"
        : undefined;
}

/** The pure half of {@link loadSharedConfig}: both files' parsed sections to botocore's maps. */
export function sharedConfigFrom(
  configFile: string,
  configSections: IniSections,
  credentialsFile: string,
  credentialsProfiles: IniSections,
): LoadedSharedConfig {
  const { profiles: configProfiles, ssoSessions, services } = buildProfileMap(configSections);
  const profiles = new Map<string, ProfileSettings>();
  for (const [name, settings] of configProfiles) profiles.set(name, settings);
  for (const [name, settings] of credentialsProfiles) {
    profiles.set(name, Object.assign(emptySettings(), profiles.get(name), settings));
  }
  return {
    configFile,
    credentialsFile,
    profiles,
    configProfiles,
    credentialsProfiles,
    ssoSessions,
    services,
    configSections: [...configSections.keys()],
  };
}

/**
 * botocore's `build_profile_map`: a section whose header starts with "profile" (or "sso-session",
 * "services") and splits, shlex-wise, into exactly two words names the second word; `[default]`
 * is the default profile. Later sections replace earlier ones of the same name (not merged).
 */
export function buildProfileMap(sections: IniSections): {
  profiles: Map<string, ProfileSettings>;
  ssoSessions: Map<string, ProfileSettings>;
  services: Map<string, ProfileSettings>;
} {
  const profiles = new Map<string, ProfileSettings>();
  const ssoSessions = new Map<string, ProfileSettings>();
  const services = new Map<string, ProfileSettings>();
  const maps = { profile: profiles, "sso-session": ssoSessions, services };
  for (const [header, settings] of sections) {
    const kind = kindOf(header);
    const target = kind && maps[kind];
    if (target) {
      const words = shlexSplit(header);
      if (words?.length === 2) target.set(words[1] as string, settings);
    } else if (header === "default") {
      profiles.set(header, settings);
    }
  }
  return { profiles, ssoSessions, services };
}

/**
 * Reads one file as botocore does: only a regular file counts (`os.path.isfile`; a directory, FIFO
 * or device is no file, so nothing blocks), decoded as strict UTF-8 with any byte order mark kept
 * (Python's "utf-8" codec keeps it, and configparser then refuses the first line).
 */
function readIniFile(path: string, wholeBelowBytes: number): IniReading {
  if (path === "") return readIni("", path, wholeBelowBytes);
  let bytes: Buffer;
  try {
    if (!nodeFs().statSync(path).isFile()) return readIni("", path, wholeBelowBytes);
    bytes = nodeFs().readFileSync(path);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === "ENOENT" || code === "ENOTDIR" || code === "ELOOP" || code === "ENAMETOOLONG") return readIni("", path, wholeBelowBytes);
    throw new HelperError("config-parse", `cannot read ${path} (${code ?? "error"})`, "Check the file's permissions");
  }
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    throw new HelperError(
      "config-parse",
      `${path} line ${firstInvalidUtf8Line(bytes)} is not valid UTF-8, so the AWS CLI would refuse this file too`,
      "Save the file as UTF-8",
    );
  }
  return readIni(text, path, wholeBelowBytes);
}

function firstInvalidUtf8Line(bytes: Buffer): number {
  const decoder = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });
  let start = 0;
  let line = 1;
  for (let i = 0; i <= bytes.length; i++) {
    if (i === bytes.length || bytes[i] === 0x0a) {
      try {
        decoder.decode(bytes.subarray(start, i));
      } catch {
        return line;
      }
      start = i + 1;
      line++;
    }
  }
  return line - 1;
}
