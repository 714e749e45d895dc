/**
 * Transcript tests (git's t/lib-credential.sh style): stdin → exact stdout, stderr and exit code,
 * through the BUILT binary (dist/git-credential-codecommit), for every case of git's input, of
 * the hosts answered and of the errors. Requests recorded from real git 2.39
 * (test/fixtures/record-git-input.sh) are used as stdin where git would send them. Expected
 * passwords were computed by `aws codecommit credential-helper get` under the same frozen clock
 * (see the constants below).
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { PROGRAM_HELP as USAGE, helpText } from "../src/help.js";
import { expectNoSecrets } from "./support/no-secrets.js";
import { type IsolatedEnv, isolatedEnv } from "./support/isolated-env.js";
import { ROOT, frozenAt, runHelper } from "./support/run-binary.js";

// Temporary credentials, so the username carries the token and every secret kind can be checked.
const AKID = "ASIAIOSFODNN7EXAMPLE";
const SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
const TOKEN = "IQoJb3JpZ2luX2VjEJr//////////wEaCXVzLWVhc3QtMSJHMEUCIQD+transcript/token==";
const STATIC_AKID = "AKIAIOSFODNN7EXAMPLE";
const TIME = "2025-06-15 08:30:45"; // 1749976245
const EXPIRY = 1749976245 + 900;

const HOST = "git-codecommit.us-east-1.amazonaws.com";
const PROXY = "my.proxy.example";
// From the pip AWS CLI v1.45 under `faketime -f "2025-06-15 08:30:45"`, with the credentials above:
//   printf 'protocol=https\nhost=git-codecommit.us-east-1.amazonaws.com\npath=v1/repos/demo\n\n' | aws codecommit credential-helper get
const DEMO_PASSWORD = "20250615T083045Z885deef37ba2bd1fd5eb25b3fceddd8061c01d08d0330d77e19eebf3ea798930";
//   printf 'protocol=https\nhost=my.proxy.example\npath=v1/repos/demo\n\n' | aws --region eu-west-1 codecommit credential-helper get --ignore-host-check
const PROXY_PASSWORD = "20250615T083045Zfcd37d885d6cfcd3bd9cf8ba8d020b17de3a6a8b582c1c47b1d3f8bc1feba5ee";

const answer = (password: string, username = `${AKID}%${TOKEN}`): string =>
  `username=${username}\npassword=${password}\npassword_expiry_utc=${EXPIRY}\n`;
const DEMO_ANSWER = answer(DEMO_PASSWORD);
const PROXY_ANSWER = answer(PROXY_PASSWORD);
const SECRETS = [SECRET, TOKEN, DEMO_PASSWORD, PROXY_PASSWORD, `${AKID}%${TOKEN}`];

const BAD_INPUT_HINT = "Expected key=value lines as git sends them (see git-credential(1))";
const NO_PATH_LINE = `git-credential-codecommit: git did not send the repository path for ${HOST}, which the CodeCommit signature needs. Run "git config --global credential.https://${HOST}.UseHttpPath true" (or set credential.UseHttpPath=true for this repository)\n`;
const NO_REGION_LINE = `git-credential-codecommit: ${PROXY} does not name an AWS region and none is configured. Add --region REGION to the credential.helper line, or set region in the profile\n`;
const VERSION = (JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { version: string }).version;
// The runtime compiled into the binary: the bun package that built it.
const BUN_VERSION = (JSON.parse(readFileSync(join(ROOT, "node_modules", "bun", "package.json"), "utf8")) as { version: string }).version;

const recorded = (name: string): Buffer => readFileSync(join(__dirname, "fixtures", "git-input", name));
const request = (...lines: string[]): string => `${lines.join("\n")}\n\n`;
const DEMO_REQUEST = request("protocol=https", `host=${HOST}`, "path=v1/repos/demo");

/** An AWS config the AWS CLI refuses (an option before any section): reading it is an error. */
const MALFORMED_CONFIG = "region = us-east-1\n[default]\nregion = us-east-1\n";

interface Transcript {
  readonly name: string;
  readonly args: readonly string[];
  readonly stdin: string | Buffer;
  /** Extra environment for this case. */
  readonly env?: Readonly<Record<string, string>>;
  /** Run with a malformed ~/.aws/config (and credentials file). */
  readonly malformedConfig?: true;
  /** Use static credentials (no session token). */
  readonly staticCredentials?: true;
  readonly stdout: string;
  readonly stderr: string;
  readonly code: number;
}

const silent = { stdout: "", stderr: "", code: 0 } as const;
const answered = (stdout: string) => ({ stdout, stderr: "", code: 0 }) as const;
const badInput = (problem: string) =>
  ({ stdout: "", stderr: `git-credential-codecommit: bad input from git: ${problem}. ${BAD_INPUT_HINT}\n`, code: 1 }) as const;

const transcripts: readonly Transcript[] = [
  // --- requests recorded from git 2.39 ---
  { name: "recorded: get with UseHttpPath=true", args: ["get"], stdin: recorded("usehttppath.get.txt"), ...answered(DEMO_ANSWER) },
  {
    name: "recorded: get for a :443 URL signs the host without port",
    args: ["get"],
    stdin: recorded("port-443.get.txt"),
    ...answered(DEMO_ANSWER),
  },
  {
    name: "recorded: get without UseHttpPath → the UseHttpPath error and quit=1",
    args: ["get"],
    stdin: recorded("no-usehttppath.get.txt"),
    stdout: "quit=1\n",
    stderr: NO_PATH_LINE,
    code: 1,
  },
  {
    name: "recorded: get with static credentials has the bare key id as username",
    args: ["get"],
    stdin: recorded("usehttppath.get.txt"),
    staticCredentials: true,
    ...answered(answer(DEMO_PASSWORD, STATIC_AKID)),
  },
  ...["usehttppath", "no-usehttppath", "port-443"].flatMap((scenario): Transcript[] => [
    { name: `recorded: store (${scenario})`, args: ["store"], stdin: recorded(`${scenario}.store.txt`), ...silent },
    { name: `recorded: erase (${scenario})`, args: ["erase"], stdin: recorded(`${scenario}.erase.txt`), ...silent },
  ]),

  // --- store, erase and unknown operations touch no AWS file ---
  {
    name: "store with a malformed AWS config and unknown profile",
    args: ["--profile", "nope", "store"],
    stdin: recorded("usehttppath.store.txt"),
    malformedConfig: true,
    env: { AWS_PROFILE: "nope" },
    ...silent,
  },
  {
    name: "erase with a malformed AWS config and unknown profile",
    args: ["--profile", "nope", "erase"],
    stdin: recorded("usehttppath.erase.txt"),
    malformedConfig: true,
    env: { AWS_PROFILE: "nope" },
    ...silent,
  },
  { name: "store with bad input still drains and succeeds", args: ["store"], stdin: "not a credential\n", ...silent },
  { name: "unknown operation frobnicate", args: ["frobnicate"], stdin: DEMO_REQUEST, ...silent },
  {
    name: "unknown operation with a malformed AWS config",
    args: ["--profile", "nope", "frobnicate"],
    stdin: DEMO_REQUEST,
    malformedConfig: true,
    ...silent,
  },

  // --- hosts it must not answer: silent, even holding a session token ---
  ...[
    `${HOST}.evil.net`,
    `${HOST}.evil.net:443`,
    "evilamazonaws.com",
    "github.com",
    `${HOST}@evil.net`,
    `evil-${HOST}`,
    `vpce-0123abcd.${HOST}`,
  ].map(
    (host): Transcript => ({
      name: `look-alike host ${host}`,
      args: ["get"],
      stdin: request("protocol=https", `host=${host}`, "path=v1/repos/demo"),
      ...silent,
    }),
  ),
  {
    name: "protocol=http for a real CodeCommit host",
    args: ["get"],
    stdin: request("protocol=http", `host=${HOST}`, "path=v1/repos/demo"),
    ...silent,
  },
  { name: "no protocol", args: ["get"], stdin: request(`host=${HOST}`, "path=v1/repos/demo"), ...silent },
  { name: "no host", args: ["get"], stdin: request("protocol=https", "path=v1/repos/demo"), ...silent },
  {
    name: "foreign host with a malformed AWS config",
    args: ["--profile", "nope", "get"],
    stdin: request("protocol=https", "host=github.com", "path=a/b"),
    malformedConfig: true,
    ...silent,
  },
  {
    name: "--host matches only that exact name, not a subdomain",
    args: ["--host", PROXY, "--region", "eu-west-1", "get"],
    stdin: request("protocol=https", `host=evil.${PROXY}`, "path=v1/repos/demo"),
    ...silent,
  },

  // --- password_expiry_utc: the earlier of signing time + 15 min and the credentials' expiry ---
  {
    name: "credentials expiring in 255 s: password_expiry_utc is their expiry",
    args: ["get"],
    env: { AWS_CREDENTIAL_EXPIRATION: "2025-06-15T08:35:00Z" },
    stdin: DEMO_REQUEST,
    ...answered(DEMO_ANSWER.replace(`password_expiry_utc=${EXPIRY}`, "password_expiry_utc=1749976500")),
  },
  {
    name: "credentials expiring in an hour: password_expiry_utc is signing time + 900",
    args: ["get"],
    env: { AWS_CREDENTIAL_EXPIRATION: "2025-06-15T09:30:45Z" },
    stdin: DEMO_REQUEST,
    ...answered(DEMO_ANSWER),
  },

  // --- url= (git-credential(1)) ---
  {
    name: "url= expands to protocol, host and path",
    args: ["get"],
    stdin: request(`url=https://${HOST}/v1/repos/demo`),
    ...answered(DEMO_ANSWER),
  },
  {
    name: "url= with userinfo and :443",
    args: ["get"],
    stdin: request(`url=https://someone@${HOST}:443/v1/repos/demo`),
    ...answered(DEMO_ANSWER),
  },
  {
    name: "url= overrides earlier host, protocol and path lines",
    args: ["get"],
    stdin: request("protocol=http", "host=github.com", "path=other/repo", `url=https://${HOST}/v1/repos/demo`),
    ...answered(DEMO_ANSWER),
  },
  {
    name: "url= to a foreign host overrides an earlier CodeCommit host",
    args: ["get"],
    stdin: request(`host=${HOST}`, "protocol=https", "path=v1/repos/demo", "url=https://github.com/v1/repos/demo"),
    ...silent,
  },
  { name: "url= whose host is behind userinfo", args: ["get"], stdin: request(`url=https://${HOST}@evil.net/v1/repos/demo`), ...silent },
  {
    name: "url= without a path → the UseHttpPath error",
    args: ["get"],
    stdin: request(`url=https://${HOST}`),
    stdout: "quit=1\n",
    stderr: NO_PATH_LINE,
    code: 1,
  },

  // --- lenient reading ---
  {
    name: "capability[], wwwauth[], state[] and unknown keys are ignored",
    args: ["get"],
    stdin: request(
      "capability[]=authtype",
      "capability[]=state",
      "protocol=https",
      `host=${HOST}`,
      'wwwauth[]=Basic realm="x"',
      "state[]=x",
      "path=v1/repos/demo",
      "future_key=whatever",
    ),
    ...answered(DEMO_ANSWER),
  },
  {
    name: "CRLF line endings give the same answer as LF",
    args: ["get"],
    stdin: DEMO_REQUEST.replace(/\n/g, "\r\n"),
    ...answered(DEMO_ANSWER),
  },
  {
    name: "no trailing blank line (EOF ends the request)",
    args: ["get"],
    stdin: `protocol=https\nhost=${HOST}\npath=v1/repos/demo`,
    ...answered(DEMO_ANSWER),
  },
  {
    name: "lines after the blank line are ignored",
    args: ["get"],
    stdin: `${DEMO_REQUEST}host=github.com\nnot a key value line\n`,
    ...answered(DEMO_ANSWER),
  },
  {
    name: "a path after the blank line is not read",
    args: ["get"],
    stdin: `protocol=https\nhost=${HOST}\n\npath=v1/repos/demo\n`,
    stdout: "quit=1\n",
    stderr: NO_PATH_LINE,
    code: 1,
  },

  // --- bad input: one line, exit 1, nothing on stdout ---
  {
    name: "a NUL byte",
    args: ["get"],
    stdin: `protocol=https\nhost=${HOST}\0\npath=v1/repos/demo\n\n`,
    ...badInput("input contains a NUL byte"),
  },
  {
    name: "a line without =",
    args: ["get"],
    stdin: `protocol=https\nhost ${HOST}\npath=v1/repos/demo\n\n`,
    ...badInput('line 2 has no "="'),
  },
  {
    name: "url= without a scheme",
    args: ["get"],
    stdin: request(`url=${HOST}/v1/repos/demo`),
    ...badInput(`url "${HOST}/v1/repos/demo" has no protocol`),
  },
  {
    name: "url= without a scheme never echoes the userinfo (a secret key with '/' in it)",
    args: ["get"],
    stdin: request(`url=${AKID}:${SECRET}@${HOST}/v1/repos/demo`),
    ...badInput(`url "<redacted>@${HOST}/v1/repos/demo" has no protocol`),
  },

  // --- --host: a private DNS name answered exactly ---
  {
    name: "--host with --region answers",
    args: ["--host", PROXY, "--region", "eu-west-1", "get"],
    stdin: request("protocol=https", `host=${PROXY}`, "path=v1/repos/demo"),
    ...answered(PROXY_ANSWER),
  },
  {
    name: "--host=NAME with a port in the request, case-insensitive",
    args: ["--host=MY.Proxy.Example", "--region=eu-west-1", "get"],
    stdin: request("protocol=https", `host=${PROXY}:8443`, "path=v1/repos/demo"),
    ...answered(PROXY_ANSWER),
  },
  {
    name: "--host takes its region from AWS_REGION",
    args: ["--host", PROXY, "get"],
    env: { AWS_REGION: "eu-west-1" },
    stdin: request("protocol=https", `host=${PROXY}`, "path=v1/repos/demo"),
    ...answered(PROXY_ANSWER),
  },
  {
    name: "--host takes its region from AWS_DEFAULT_REGION",
    args: ["--host", PROXY, "get"],
    env: { AWS_DEFAULT_REGION: "eu-west-1" },
    stdin: request("protocol=https", `host=${PROXY}`, "path=v1/repos/demo"),
    ...answered(PROXY_ANSWER),
  },
  {
    name: "--region beats AWS_REGION",
    args: ["--host", PROXY, "--region", "eu-west-1", "get"],
    env: { AWS_REGION: "ap-south-1" },
    stdin: request("protocol=https", `host=${PROXY}`, "path=v1/repos/demo"),
    ...answered(PROXY_ANSWER),
  },
  {
    name: "--region does not override a CodeCommit host's own region",
    args: ["--region", "eu-west-1", "get"],
    stdin: DEMO_REQUEST,
    ...answered(DEMO_ANSWER),
  },
  {
    name: "--host without any region → the no-region error and quit=1",
    args: ["--host", PROXY, "get"],
    stdin: request("protocol=https", `host=${PROXY}`, "path=v1/repos/demo"),
    stdout: "quit=1\n",
    stderr: NO_REGION_LINE,
    code: 1,
  },

  // --- the command line ---
  { name: "--help", args: ["--help"], stdin: "", stdout: USAGE, stderr: "", code: 0 },
  {
    name: "--version",
    args: ["--version"],
    stdin: "",
    stdout: `git-credential-codecommit ${VERSION} (Bun ${BUN_VERSION})\n`,
    stderr: "",
    code: 0,
  },
  {
    name: "an unknown option",
    args: ["--frobnicate", "get"],
    stdin: DEMO_REQUEST,
    stdout: "",
    stderr: "git-credential-codecommit: unknown option --frobnicate. Run git-credential-codecommit --help\n",
    code: 1,
  },
  {
    name: "install-remote-helper --help: its own help",
    args: ["install-remote-helper", "--help"],
    stdin: "",
    stdout: helpText("install-remote-helper"),
    stderr: "",
    code: 0,
  },
  {
    name: "clone with git clone's option before --: the hint to put it after --",
    args: ["clone", "demo", "--depth", "1"],
    stdin: "",
    stdout: "",
    stderr:
      "git-credential-codecommit: unknown option --depth. git clone's own options go after --, e.g. git-credential-codecommit clone REPOSITORY -- --depth 1\n",
    code: 1,
  },
  {
    name: "an option without its value",
    args: ["get", "--profile"],
    stdin: DEMO_REQUEST,
    stdout: "",
    stderr: "git-credential-codecommit: --profile needs a value. Run git-credential-codecommit --help\n",
    code: 1,
  },
];

const envs: IsolatedEnv[] = [];
afterAll(() => {
  for (const e of envs) e.cleanup();
});

/** A fresh isolated world with the given config, the test credentials in env, and a frozen clock. */
function worldFor(t: Pick<Transcript, "env" | "malformedConfig" | "staticCredentials">): Record<string, string> {
  const iso = isolatedEnv();
  envs.push(iso);
  iso.writeConfig(t.malformedConfig ? MALFORMED_CONFIG : "");
  iso.writeCredentials(t.malformedConfig ? "[default\naws_access_key_id = x\n" : "");
  return {
    ...iso.env,
    ...frozenAt(TIME).env,
    AWS_ACCESS_KEY_ID: t.staticCredentials ? STATIC_AKID : AKID,
    AWS_SECRET_ACCESS_KEY: SECRET,
    ...(t.staticCredentials ? {} : { AWS_SESSION_TOKEN: TOKEN }),
    ...t.env,
  };
}

describe("transcripts through the built binary", () => {
  for (const t of transcripts) {
    it(t.name, async () => {
      const result = await runHelper(t.args, { env: worldFor(t), stdin: t.stdin, wrap: frozenAt(TIME).wrap });
      expect({ stdout: result.stdout, stderr: result.stderr, code: result.code }).toEqual({
        stdout: t.stdout,
        stderr: t.stderr,
        code: t.code,
      });
      // A failure is exactly one line (src/errors.ts).
      if (t.code !== 0) expect(result.stderr.split("\n")).toHaveLength(2);
      expectNoSecrets(result.stderr, SECRETS);
    });
  }
});

describe("transcripts: properties across cases", () => {
  it("CRLF and LF input give byte-identical answers", async () => {
    const env = worldFor({});
    const lf = await runHelper(["get"], { env, stdin: DEMO_REQUEST, wrap: frozenAt(TIME).wrap });
    const crlf = await runHelper(["get"], { env, stdin: DEMO_REQUEST.replace(/\n/g, "\r\n"), wrap: frozenAt(TIME).wrap });
    expect(crlf).toMatchObject({ stdout: lf.stdout, stderr: lf.stderr, code: lf.code });
    expect(lf.stdout).toBe(DEMO_ANSWER);
  });

  it("--debug traces to stderr with every secret redacted, the answer unchanged", async () => {
    const result = await runHelper(["--debug", "get"], { env: worldFor({}), stdin: DEMO_REQUEST, wrap: frozenAt(TIME).wrap });
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(DEMO_ANSWER);
    expect(result.stderr.includes('git-credential-codecommit[debug]: signed {"username":"<redacted>","password":"<redacted>"')).toBe(true);
    expectNoSecrets(result.stderr, SECRETS);
  });

  it("--debug on a failure still prints the one error line and no secret", async () => {
    const result = await runHelper(["--debug", "get"], {
      env: worldFor({}),
      stdin: recorded("no-usehttppath.get.txt"),
      wrap: frozenAt(TIME).wrap,
    });
    expect(result.code).toBe(1);
    expect(result.stdout).toBe("quit=1\n");
    expect(result.stderr.split("\n").filter((l) => l.startsWith("git-credential-codecommit: "))).toEqual([NO_PATH_LINE.slice(0, -1)]);
    expectNoSecrets(result.stderr, SECRETS);
  });

  it("the malformed config really is refused when a get reads it (so the store/erase cases prove something)", async () => {
    const iso = isolatedEnv();
    envs.push(iso);
    iso.writeConfig(MALFORMED_CONFIG);
    const result = await runHelper(["--profile", "nope", "get"], {
      env: { ...iso.env, AWS_ACCESS_KEY_ID: AKID, AWS_SECRET_ACCESS_KEY: SECRET, AWS_SESSION_TOKEN: TOKEN },
      stdin: DEMO_REQUEST,
    });
    expect(result.code).toBe(1);
    expect(result.stdout).toBe("quit=1\n");
    expect(result.stderr.split("\n")).toHaveLength(2);
    expect(result.stderr.startsWith(`git-credential-codecommit: ${iso.configFile} line 1 `)).toBe(true);
    expectNoSecrets(result.stderr, SECRETS);
  });

  for (const [label, size] of [
    ["just over 1 MiB", 1024 * 1024 + 1],
    ["8 MiB", 8 * 1024 * 1024],
  ] as const) {
    it(`input of ${label} is bad input: one line, exit 1, nothing on stdout`, async () => {
      const head = `protocol=https\nhost=${HOST}\npath=v1/repos/demo\nwwwauth[]=`;
      const stdin = Buffer.alloc(size, "x");
      stdin.write(head, 0, "utf8");
      const result = await runHelper(["get"], { env: worldFor({}), stdin, wrap: frozenAt(TIME).wrap });
      expect(result.code).toBe(1);
      expect(result.stdout).toBe("");
      // The byte count is how much was read before stopping, which depends on pipe chunking.
      const prefix = "git-credential-codecommit: bad input from git: input is ";
      const suffix = ` bytes, over the 1 MiB limit. ${BAD_INPUT_HINT}\n`;
      expect(result.stderr.startsWith(prefix), result.stderr).toBe(true);
      expect(result.stderr.endsWith(suffix), result.stderr).toBe(true);
      const bytes = Number(result.stderr.slice(prefix.length, result.stderr.length - suffix.length));
      expect(Number.isInteger(bytes) && bytes > 1024 * 1024 && bytes <= size).toBe(true);
      expect(result.stderr.split("\n")).toHaveLength(2);
      expectNoSecrets(result.stderr, SECRETS);
    });
  }
});
