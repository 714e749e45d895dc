/**
 * The SSO core without a network: cache file names and JSON against Python's json.dumps (botocore's
 * own code as oracle where it has the function), the authorize URL's encoding, the device flow's
 * polling schedule with a fake clock, when `get` refreshes a token, and where a browser can open.
 */
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { HelperError } from "../src/errors.js";
import { authorizeUrl, createPkce } from "../src/sso/auth-code-flow.js";
import { browserCommand } from "../src/sso/browser.js";
import { deviceFlow } from "../src/sso/device-flow.js";
import { OidcUnavailable } from "../src/sso/errors.js";
import type { CreateTokenInput, Oidc, Token } from "../src/sso/oidc.js";
import type { SsoSession } from "../src/sso/session.js";
import { clientContext } from "../src/aws-client/aws-client-config.js";
import { ssoAccessToken, ssoTokenStatus } from "../src/sso/token.js";
import { registrationCacheKey, tokenCacheKey, writeTokenFile, type TokenFile } from "../src/sso/token-cache.js";
import { createTracer } from "../src/trace.js";

const trace = createTracer(false, () => {});
const START_URL = "https://d-1234567890.awsapps.com/start";

function python(code: string, ...args: string[]): string {
  return execFileSync("python3", ["-c", code, ...args], { encoding: "utf8" });
}

const SESSIONS: SsoSession[] = [
  { startUrl: START_URL, region: "us-east-1", sessionName: "my-sso" },
  { startUrl: START_URL, region: "eu-west-1", sessionName: "dev", registrationScopes: ["sso:account:access", "codecatalyst:read_write"] },
  { startUrl: START_URL, region: "us-east-1" },
  { startUrl: "https://ünïcode.awsapps.com/start", region: "us-east-1", sessionName: "sessión" },
];

describe("cache file names", () => {
  it.each(SESSIONS)("match botocore's token key and the CLI's registration key for %o", (session) => {
    const oracle = python(
      "import hashlib,json,sys; from botocore.utils import SSOTokenLoader; s=json.loads(sys.argv[1]);" +
        "print(SSOTokenLoader()._generate_cache_key(s['startUrl'], s.get('sessionName')));" +
        "args={'tool':'botocore','startUrl':s['startUrl'],'region':s['region'],'scopes':s.get('registrationScopes'),'session_name':s.get('sessionName')};" +
        "print(hashlib.sha1(json.dumps(args, sort_keys=True).encode('utf-8')).hexdigest())",
      JSON.stringify(session),
    );
    expect(`${tokenCacheKey(session)}\n${registrationCacheKey(session)}\n`).toBe(oracle);
  });
});

describe("authorizeUrl", () => {
  it("encodes as botocore's percent_encode_sequence and appends the challenge last", () => {
    const p = {
      clientId: "client/+id=",
      redirectUri: "http://127.0.0.1:4321/oauth/callback",
      state: "6f1c0e4e-6a43-4c1e-9d2c-1b7e0f3d9a10",
      scopes: ["sso:account:access", "a!b*(c)'"],
      challenge: "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM",
    };
    const query = python(
      "import sys,json; from botocore.utils import percent_encode_sequence; p=json.loads(sys.argv[1]);" +
        "sys.stdout.write(percent_encode_sequence({'response_type':'code','client_id':p['clientId'],'redirect_uri':p['redirectUri'],'state':p['state'],'code_challenge_method':'S256','scopes':' '.join(p['scopes'])}))",
      JSON.stringify(p),
    );
    expect(authorizeUrl("https://oidc.us-east-1.amazonaws.com", p)).toBe(
      `https://oidc.us-east-1.amazonaws.com/authorize?${query}&code_challenge=${p.challenge}`,
    );
  });

  it("uses a 64-character verifier and its unpadded S256 challenge", () => {
    const { verifier, challenge } = createPkce();
    expect(verifier).toHaveLength(64);
    expect(verifier).toMatch(/^[A-Za-z0-9._~-]{64}$/);
    expect(challenge).toBe(
      python(
        "import base64,hashlib,sys; sys.stdout.write(base64.urlsafe_b64encode(hashlib.sha256(sys.argv[1].encode()).digest()).decode()[:-1])",
        verifier,
      ),
    );
  });
});

/** A fake OIDC whose CreateToken answers from a script; records sleeps through the clock. */
function fakeOidc(answers: (Token | string)[]): Oidc & { createTokenCalls: CreateTokenInput[] } {
  const createTokenCalls: CreateTokenInput[] = [];
  return {
    endpoint: "https://oidc.example",
    createTokenCalls,
    registerClient: async () => ({ clientId: "id", clientSecret: "secret", clientSecretExpiresAt: 2_000_000_000 }),
    startDeviceAuthorization: async () => ({
      deviceCode: "dc",
      userCode: "ABCD-EFGH",
      verificationUri: "https://v",
      verificationUriComplete: "https://v?c",
      expiresIn: 600,
      interval: 2,
    }),
    createToken: async (input) => {
      createTokenCalls.push(input);
      const next = answers.shift();
      if (next === undefined) throw new Error("no more answers");
      if (typeof next === "string") throw Object.assign(new Error(next), { name: next });
      return next;
    },
    destroy: () => {},
  };
}

describe("deviceFlow", () => {
  const registration = { clientId: "id", clientSecret: "secret", expiresAt: "2033-05-18T03:33:20Z" };
  const token: Token = { accessToken: "at", expiresIn: 3600, refreshToken: "rt" };

  function io() {
    let t = Date.parse("2026-01-01T00:00:00Z");
    const sleeps: number[] = [];
    const shown: string[] = [];
    return {
      sleeps,
      shown,
      now: () => new Date(t),
      sleep: async (ms: number) => {
        sleeps.push(ms);
        t += ms;
      },
      show: (text: string) => shown.push(text),
    };
  }

  it("polls at the interval, 5 s slower after each slow_down", async () => {
    const oidc = fakeOidc([
      "AuthorizationPendingException",
      "AuthorizationPendingException",
      "SlowDownException",
      "AuthorizationPendingException",
      "SlowDownException",
      token,
    ]);
    const clock = io();
    expect(await deviceFlow(START_URL, registration, oidc, clock, "p")).toEqual(token);
    // The first attempt is made before anything is shown; then attempt, sleep, attempt, …
    expect(clock.sleeps).toEqual([2000, 7000, 7000, 12000]);
    expect(oidc.createTokenCalls[0]).toEqual({
      grantType: "urn:ietf:params:oauth:grant-type:device_code",
      clientId: "id",
      clientSecret: "secret",
      deviceCode: "dc",
    });
    expect(clock.shown.join("")).toContain("Waiting for approval; the code expires in 10 min (at 00:10:00 UTC). Press Ctrl-C to cancel.\n");
  });

  it("shows nothing when the client is already authorized", async () => {
    const clock = io();
    expect(await deviceFlow(START_URL, registration, fakeOidc([token]), clock, "p")).toEqual(token);
    expect(clock.shown).toEqual([]);
  });

  it.each([
    ["ExpiredTokenException", "the sign-in was not approved before its code expired"],
    ["AccessDeniedException", "the sign-in for profile p was denied"],
  ])("ends on %s with a HelperError", async (name, problem) => {
    const err = await deviceFlow(START_URL, registration, fakeOidc(["AuthorizationPendingException", name]), io(), "p").catch(
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(HelperError);
    expect((err as HelperError).problem).toBe(problem);
  });
});

describe("ssoAccessToken (get's reading of the token cache)", () => {
  let home: string;
  const now = new Date("2026-06-01T12:00:00Z");
  const session: SsoSession = { startUrl: START_URL, region: "us-east-1", sessionName: "my-sso" };
  const dir = (): string => join(home, ".aws", "sso", "cache");
  const file = (): string => join(dir(), `${tokenCacheKey(session)}.json`);
  const base: TokenFile = {
    startUrl: START_URL,
    region: "us-east-1",
    accessToken: "old-access",
    expiresAt: "2026-06-01T13:00:00Z",
    clientId: "cid",
    clientSecret: "csecret",
    registrationExpiresAt: "2026-09-01T00:00:00Z",
    refreshToken: "old-refresh",
  };
  const write = (t: TokenFile): void => {
    mkdirSync(dir(), { recursive: true });
    writeTokenFile(dir(), tokenCacheKey(session), t);
  };
  const run = (s: SsoSession, answers: (Token | string)[]) => {
    const oidc = fakeOidc(answers);
    const result = ssoAccessToken(s, {
      env: { HOME: home },
      now: () => now,
      trace,
      profile: "p",
      client: clientContext({ HOME: home }, trace, { name: "p" }),
      createOidc: async () => oidc,
    });
    return { oidc, result };
  };

  beforeEach(() => {
    home = mkdtempSync(join(tmpdir(), "sso-token-"));
  });
  afterEach(() => rmSync(home, { recursive: true, force: true }));

  it("uses a token with 15 minutes or more left as it is", async () => {
    write({ ...base, expiresAt: "2026-06-01T12:15:00Z" });
    const { oidc, result } = run(session, []);
    expect((await result).accessToken).toBe("old-access");
    expect(oidc.createTokenCalls).toEqual([]);
  });

  it("refreshes one with less than 15 minutes left and writes the file as botocore does", async () => {
    write({ ...base, expiresAt: "2026-06-01T12:14:59Z" });
    const { oidc, result } = run(session, [{ accessToken: "new-access", expiresIn: 28800, refreshToken: "new-refresh" }]);
    expect((await result).accessToken).toBe("new-access");
    expect(oidc.createTokenCalls).toEqual([
      { grantType: "refresh_token", clientId: "cid", clientSecret: "csecret", refreshToken: "old-refresh" },
    ]);
    expect(readFileSync(file(), "utf8")).toBe(
      `{"startUrl": "${START_URL}", "region": "us-east-1", "accessToken": "new-access", "expiresAt": "2026-06-01T20:00:00Z", "clientId": "cid", "clientSecret": "csecret", "registrationExpiresAt": "2026-09-01T00:00:00Z", "refreshToken": "new-refresh"}`,
    );
  });

  it("keeps a still valid token when the refresh fails", async () => {
    write({ ...base, expiresAt: "2026-06-01T12:05:00Z" });
    const { result } = run(session, ["InvalidGrantException"]);
    expect((await result).accessToken).toBe("old-access");
  });

  it("keeps a still valid token when the refresh does not answer in time, and writes the new one when it comes", async () => {
    write({ ...base, expiresAt: "2026-06-01T12:05:00Z" });
    const oidc = fakeOidc([]);
    let answer: (t: Token) => void = () => {};
    oidc.createToken = () => new Promise<Token>((resolve) => (answer = resolve));
    const token = await ssoAccessToken(session, {
      env: { HOME: home },
      now: () => now,
      trace,
      profile: "p",
      client: clientContext({ HOME: home }, trace, { name: "p" }),
      createOidc: async () => oidc,
      optionalRefreshMs: 10,
    });
    expect(token.accessToken).toBe("old-access");
    answer({ accessToken: "late-access", expiresIn: 28800, refreshToken: "late-refresh" });
    await new Promise((resolve) => setImmediate(resolve));
    expect(JSON.parse(readFileSync(file(), "utf8"))).toMatchObject({ accessToken: "late-access", refreshToken: "late-refresh" });
  });

  it("uses the token another process refreshed meanwhile when its own refresh is refused", async () => {
    write({ ...base, expiresAt: "2026-06-01T11:00:00Z" });
    const oidc = fakeOidc([]);
    oidc.createToken = async () => {
      // The AWS CLI or a parallel get refreshed first and spent the refresh token.
      write({ ...base, accessToken: "their-access", expiresAt: "2026-06-01T20:00:00Z", refreshToken: "their-refresh" });
      throw Object.assign(new Error("invalid_grant"), { name: "InvalidGrantException" });
    };
    const token = await ssoAccessToken(session, {
      env: { HOME: home },
      now: () => now,
      trace,
      profile: "p",
      client: clientContext({ HOME: home }, trace, { name: "p" }),
      createOidc: async () => oidc,
    });
    expect(token.accessToken).toBe("their-access");
  });

  it.each<[string, TokenFile | undefined, SsoSession]>([
    ["no token file", undefined, session],
    ["an expired token whose refresh is refused", { ...base, expiresAt: "2026-06-01T11:00:00Z" }, session],
    [
      "an expired token of a legacy profile (never refreshed)",
      { ...base, expiresAt: "2026-06-01T11:00:00Z" },
      { startUrl: START_URL, region: "us-east-1" },
    ],
    [
      "an expired token whose registration has expired",
      { ...base, expiresAt: "2026-06-01T11:00:00Z", registrationExpiresAt: "2026-06-01T11:59:59Z" },
      session,
    ],
    ["an expired token without a refresh token", { ...base, expiresAt: "2026-06-01T11:00:00Z", refreshToken: undefined }, session],
  ])("%s: the session has expired, log in again", async (_, token, s) => {
    if (token) {
      mkdirSync(dir(), { recursive: true });
      writeTokenFile(dir(), tokenCacheKey(s), token);
    }
    const { result } = run(s, ["InvalidGrantException"]);
    const err = await result.catch((e: unknown) => e);
    expect((err as HelperError).userLine()).toBe(
      'git-credential-codecommit: the SSO session for profile p has expired or was never started. Run "git-credential-codecommit login --profile p" (or "aws sso login --profile p")',
    );
  });

  it.each([
    ["HTTP 500", { name: "InternalServerException", $metadata: { httpStatusCode: 500 } }],
    ["throttling", { name: "ThrottlingException", $metadata: { httpStatusCode: 400 } }],
    ["a reply that does not parse", { name: "SyntaxError", $metadata: { httpStatusCode: 200 } }],
    ["no connection", { name: "Error", code: "ECONNREFUSED" }],
  ])("an expired token whose refresh fails on the way (%s): OIDC is named, not a new login", async (_, failure) => {
    write({ ...base, expiresAt: "2026-06-01T11:00:00Z" });
    const oidc = fakeOidc([]);
    oidc.createToken = async () => {
      throw Object.assign(new Error("failed"), failure);
    };
    const err = await ssoAccessToken(session, {
      env: { HOME: home },
      now: () => now,
      trace,
      profile: "p",
      client: clientContext({ HOME: home }, trace, { name: "p" }),
      createOidc: async () => oidc,
    }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OidcUnavailable);
    expect((err as OidcUnavailable).endpoint).toBe("https://oidc.us-east-1.amazonaws.com");
  });

  it("reads a token the SDK for JavaScript wrote (ISO time with milliseconds, other key order)", async () => {
    mkdirSync(dir(), { recursive: true });
    writeFileSync(
      file(),
      JSON.stringify({ accessToken: "js-access", expiresAt: "2026-06-01T13:00:00.000Z", region: "us-east-1", startUrl: START_URL }),
    );
    expect((await run(session, []).result).accessToken).toBe("js-access");
  });
});

describe("browserCommand", () => {
  const url = "http://127.0.0.1:1/authorize?a=1&b=2";
  it.each<[string, Record<string, string>, NodeJS.Platform, string[] | undefined]>([
    ["Linux with a display", { DISPLAY: ":0" }, "linux", ["xdg-open", url]],
    ["Linux with Wayland", { WAYLAND_DISPLAY: "wayland-0" }, "linux", ["xdg-open", url]],
    ["Linux without a display", {}, "linux", undefined],
    ["an SSH session, even with X forwarding", { DISPLAY: "localhost:10.0", SSH_CONNECTION: "1 2 3 4" }, "linux", undefined],
    ["an SSH session on a Mac", { SSH_TTY: "/dev/ttys001" }, "darwin", undefined],
    ["macOS", {}, "darwin", ["open", url]],
    ["Windows", {}, "win32", ["rundll32", "url.dll,FileProtocolHandler", url]],
    ["BROWSER wins", { BROWSER: "firefox --new-tab:chromium", SSH_TTY: "x" }, "linux", ["firefox", "--new-tab", url]],
    ["BROWSER with %s", { BROWSER: "lynx -dump %s" }, "linux", ["lynx", "-dump", url]],
  ])("%s", (_, env, platform, expected) => {
    expect(browserCommand(env, platform)?.(url)).toEqual(expected);
  });
});

describe("ssoTokenStatus (for doctor)", () => {
  it("names the file, the expiry, and whether get can renew it", () => {
    const home = mkdtempSync(join(tmpdir(), "sso-status-"));
    try {
      const session: SsoSession = { startUrl: START_URL, region: "us-east-1", sessionName: "my-sso" };
      const dir = join(home, ".aws", "sso", "cache");
      const file = join(dir, `${sha1Of("my-sso")}.json`);
      const now = new Date("2026-06-01T12:00:00Z");
      expect(ssoTokenStatus(session, { HOME: home }, now)).toEqual({ file, refreshable: false });
      mkdirSync(dir, { recursive: true });
      writeTokenFile(dir, tokenCacheKey(session), {
        startUrl: START_URL,
        region: "us-east-1",
        accessToken: "a",
        expiresAt: "2026-06-01T11:00:00Z",
        clientId: "c",
        clientSecret: "s",
        registrationExpiresAt: "2026-09-01T00:00:00Z",
        refreshToken: "r",
      });
      expect(ssoTokenStatus(session, { HOME: home }, now)).toEqual({
        file,
        expiresAt: new Date("2026-06-01T11:00:00Z"),
        refreshable: true,
      });
    } finally {
      rmSync(home, { recursive: true, force: true });
    }
  });
});

function sha1Of(text: string): string {
  return createHash("sha1").update(text).digest("hex");
}
