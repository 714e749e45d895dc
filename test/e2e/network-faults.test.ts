/**
 * The network-fault matrix through the built binary: every peer credential resolution calls
 * (STS, the SSO portal, the OIDC token refresh of `get`, a container endpoint, instance metadata)
 * in every fault — refused, accept-and-hang, SYN dropped (a loopback-only network namespace whose
 * iptables drops the port's packets), answers held back 1/3/6/9.5 s, 500, throttling, a body that
 * is no answer, a body cut short. Each row: the exact one line, `quit=1`, exit 1, and
 * a bound that only catches a hang (10 s); a slow answer inside the run's one 9 s budget succeeds,
 * and a refresh that fails while the old SSO token still works is no failure at all. The SYN-drop
 * rows run in a namespace (test/support/netns-drop.ts). The observed times are printed as a table.
 */
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type FaultPeer,
  PEER_KEY,
  PEER_SECRET,
  PEER_TOKEN,
  type PeerName,
  type ServerFault,
  startFaultPeer,
} from "../support/fault-peer.js";
import { isolatedEnv, type IsolatedEnv } from "../support/isolated-env.js";
import { freePort } from "../support/loopback.js";
import type { DropCase } from "../support/netns-drop.js";
import { BINARY, ROOT, runCommand, runHelper, type RunResult } from "../support/run-binary.js";
import { leaksIn, secretsInPlay } from "../support/secret-audit.js";

const REQUEST = "protocol=https\nhost=git-codecommit.us-east-1.amazonaws.com\npath=v1/repos/demo\n\n";
const BASE_SECRET = "base-secret-do-not-print-1234567890";
const ROLE = "arn:aws:iam::222222222222:role/dev";
const ROLE_PROFILE = `[profile base]\naws_access_key_id = AKIABASEEXAMPLE00001\naws_secret_access_key = ${BASE_SECRET}\n[profile cross]\nrole_arn = ${ROLE}\nsource_profile = base\n`;
const SSO_PROFILE =
  "[profile sso]\nsso_session = corp\nsso_account_id = 123456789012\nsso_role_name = Developer\n" +
  "[sso-session corp]\nsso_region = eu-west-1\nsso_start_url = https://d-1234567890.awsapps.com/start\n";
/** The port whose packets the namespace drops: nothing else runs in there. */
const DROPPED_PORT = 9;
/** A bound against a hang (a failure must come within 10 s), never a speed check. */
const HANG_BOUND_MS = 10_000;
const BUN = join(ROOT, "node_modules", ".bin", "bun");

/** How a peer fails: no server (refused, dropped SYN), or a server that misbehaves. */
type Fault = { readonly kind: "refused" } | { readonly kind: "syn-dropped" } | ServerFault;

const FAULTS: ReadonlyArray<readonly [string, Fault]> = [
  ["refused", { kind: "refused" }],
  ["accept and hang", { kind: "hang" }],
  ["SYN dropped", { kind: "syn-dropped" }],
  ["slow 1 s", { kind: "slow", ms: 1_000 }],
  ["slow 3 s", { kind: "slow", ms: 3_000 }],
  ["slow 6 s", { kind: "slow", ms: 6_000 }],
  ["slow 9.5 s", { kind: "slow", ms: 9_500 }],
  ["HTTP 500", { kind: "500" }],
  ["throttled", { kind: "throttle" }],
  ["malformed body", { kind: "malformed" }],
  ["truncated body", { kind: "truncated" }],
];

/**
 * Who is at fault. "OIDC, optional" is the refresh of a token with 10 minutes left: due (fewer than
 * 15), but the old token still serves when the refresh fails, as in botocore.
 */
type Subject = PeerName | "OIDC, optional";
const PEERS: readonly Subject[] = ["STS", "SSO", "OIDC", "OIDC, optional", "container", "IMDS"];

/** What a row observed, for the table. */
interface Observed {
  readonly peer: Subject;
  readonly fault: string;
  readonly outcome: string;
  readonly ms: number;
  readonly calls: number;
}
const table: Observed[] = [];

beforeAll(() => {
  // The SYN-drop rows need a network namespace and iptables (root or user namespaces).
  execFileSync("unshare", ["-n", "sh", "-c", `ip link set lo up && iptables -A INPUT -p tcp --dport ${DROPPED_PORT} -j DROP`]);
});

afterAll(() => {
  const lines = table
    .sort(
      (a, b) =>
        PEERS.indexOf(a.peer) - PEERS.indexOf(b.peer) ||
        FAULTS.findIndex(([f]) => f === a.fault) - FAULTS.findIndex(([f]) => f === b.fault),
    )
    .map((o) => `| ${o.peer} | ${o.fault} | ${o.outcome} | ${(o.ms / 1000).toFixed(1)} s | ${o.calls} |`);
  console.log(["| peer | fault | outcome | time | requests |", "|---|---|---|---|---|", ...lines].join("\n"));
});

/** The world one row runs in: files written, the peer's endpoint in the environment. */
interface Scene {
  readonly world: IsolatedEnv;
  readonly args: string[];
  readonly env: Record<string, string>;
}

/** Sets up `peer` at `url` (a good SSO portal at `portal` for the OIDC rows). */
function scene(peer: Subject, url: string, portal: string): Scene {
  const world = isolatedEnv();
  const env: Record<string, string> = { ...world.env };
  const ssoToken = (token: Record<string, string>): void => {
    const dir = join(world.home, ".aws", "sso", "cache");
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, `${createHash("sha1").update("corp").digest("hex")}.json`), JSON.stringify(token));
  };
  const start = { startUrl: "https://d-1234567890.awsapps.com/start", region: "eu-west-1" };
  switch (peer) {
    case "STS":
      world.writeConfig(ROLE_PROFILE);
      return { world, args: ["--profile", "cross"], env: { ...env, AWS_ENDPOINT_URL_STS: url } };
    case "SSO":
      world.writeConfig(SSO_PROFILE);
      ssoToken({ ...start, accessToken: "sso-access-token-0123456789", expiresAt: "2999-01-01T00:00:00Z" });
      return { world, args: ["--profile", "sso"], env: { ...env, AWS_ENDPOINT_URL_SSO: url } };
    case "OIDC":
    case "OIDC, optional":
      // An expired token (or one due for refresh) with a live refresh token: `get` refreshes it
      // through OIDC before it calls the portal.
      world.writeConfig(SSO_PROFILE);
      ssoToken({
        ...start,
        accessToken: "sso-expired-access-token-0123456789",
        expiresAt: peer === "OIDC" ? "2020-01-01T00:00:00Z" : new Date(Date.now() + 600_000).toISOString().replace(/\.\d{3}Z$/, "Z"),
        clientId: "fault-client-id",
        clientSecret: "fault-client-secret-0123456789",
        registrationExpiresAt: "2999-01-01T00:00:00Z",
        refreshToken: "fault-refresh-token-0123456789",
      });
      return { world, args: ["--profile", "sso"], env: { ...env, AWS_ENDPOINT_URL_SSO_OIDC: url, AWS_ENDPOINT_URL_SSO: portal } };
    case "container":
      return { world, args: [], env: { ...env, AWS_CONTAINER_CREDENTIALS_FULL_URI: `${url}/creds` } };
    case "IMDS": {
      delete env.AWS_EC2_METADATA_DISABLED;
      return { world, args: [], env: { ...env, AWS_EC2_METADATA_SERVICE_ENDPOINT: url } };
    }
  }
}

const SECRETS = [PEER_SECRET, PEER_TOKEN, BASE_SECRET];

/** Runs one `get`, in a namespace that drops the port's SYNs when asked (with `{portal}` in there). */
async function get(s: Scene, dropSyn: boolean): Promise<RunResult> {
  if (!dropSyn) return runHelper([...s.args, "get"], { env: s.env, stdin: REQUEST, secrets: SECRETS });
  const c: DropCase = { command: [BINARY, ...s.args, "get"], env: s.env, stdin: REQUEST };
  const script = `ip link set lo up && iptables -A INPUT -p tcp --dport ${DROPPED_PORT} -j DROP && exec "$0" "$1"`;
  const runner = await runCommand(["unshare", "-n", "sh", "-c", script, BUN, join(ROOT, "test", "support", "netns-drop.ts")], {
    env: { PATH: process.env.PATH ?? "", NETNS_CASE: JSON.stringify(c) },
  });
  const r = JSON.parse(runner.stdout) as RunResult;
  const leaks = leaksIn(r.stdout, r.stderr, [...secretsInPlay(s.env), ...SECRETS]);
  if (leaks.length > 0) throw new Error(leaks.join("; "));
  return r;
}

describe.concurrent.each(PEERS)("%s", (peer) => {
  it.each(FAULTS)(
    `%s`,
    async (name, fault) => {
      let server: FaultPeer | undefined;
      const portal = await startFaultPeer("SSO", { kind: "ok" });
      try {
        let url: string;
        if (fault.kind === "refused") url = `http://127.0.0.1:${await freePort()}`;
        else if (fault.kind === "syn-dropped") url = `http://127.0.0.1:${DROPPED_PORT}`;
        else {
          server = await startFaultPeer(peer === "OIDC, optional" ? "OIDC" : peer, fault);
          url = server.url;
        }
        const s = scene(peer, url, fault.kind === "syn-dropped" ? "{portal}" : portal.url);
        try {
          const r = await get(s, fault.kind === "syn-dropped");
          const line = r.code === 0 ? "(answered)" : r.stderr.replace(/^git-credential-codecommit: /, "").replace(/\n$/, "");
          table.push({
            peer,
            fault: name,
            outcome: line.replaceAll(url, "<peer>").replaceAll(new URL(url).host, "<peer>").replaceAll(s.world.dir, "<tmp>"),
            ms: r.ms,
            calls: server?.calls.length ?? 0,
          });
          const want = expected(peer, fault, url, s.world);
          if (want === "answer") {
            expect(r.stderr).toBe("");
            expect(r.stdout).toMatch(
              new RegExp(`^username=${PEER_KEY}%${PEER_TOKEN}\\npassword=\\d{8}T\\d{6}Z[0-9a-f]{64}\\npassword_expiry_utc=\\d+\\n$`),
            );
            expect(r.code).toBe(0);
          } else {
            expect(r.stderr).toBe(`git-credential-codecommit: ${want}\n`);
            expect(r.stdout).toBe("quit=1\n");
            expect(r.code).toBe(1);
          }
          expect(r.ms).toBeLessThan(HANG_BOUND_MS);
        } finally {
          s.world.cleanup();
        }
      } finally {
        await server?.close();
        await portal.close();
      }
    },
    30_000,
  );
});

/** The one line for `peer` in `fault` ("answer" when it must succeed). */
function expected(peer: Subject, fault: Fault, url: string, world: IsolatedEnv): string {
  // Inside the budget a slow answer is an answer, from every peer but instance metadata (below).
  const inBudget = fault.kind === "slow" && fault.ms < 9_000;
  const noAnswer = fault.kind === "refused" || fault.kind === "hang" || fault.kind === "syn-dropped" || fault.kind === "slow";
  switch (peer) {
    case "OIDC, optional":
      return "answer";
    case "STS":
    case "SSO":
    case "OIDC": {
      if (inBudget) return "answer";
      const host = new URL(url).host;
      const where = peer === "OIDC" ? "IAM Identity Center (OIDC)" : peer;
      const who = peer === "STS" ? `profile cross role ${ROLE}` : "profile sso";
      const unreachable = (what: string): string =>
        `could not reach ${where} at ${host} for ${who}: ${what}. Check the network, or set HTTPS_PROXY if AWS is reached through a proxy`;
      const answered = (what: string): string =>
        `${where} at ${host} answered with an error (${what}, request id ${peer.toLowerCase()}-${fault.kind}-1) for ${who}. Try again later; if it persists, check the endpoint and proxy settings`;
      switch (fault.kind) {
        case "refused":
          return unreachable("connection refused");
        case "truncated":
          return unreachable("connection closed");
        case "500":
          return answered(`HTTP 500 ${peer === "STS" ? "InternalFailure" : "InternalServerException"}`);
        case "throttle":
          // The SDK retried (3 attempts in all, inside the budget) before giving up.
          return answered(
            { STS: "HTTP 400 Throttling", SSO: "HTTP 429 TooManyRequestsException", OIDC: "HTTP 400 ThrottlingException" }[peer],
          );
        case "malformed":
          return answered("a reply that is not a valid answer");
        default:
          return unreachable("no answer within 9 s");
      }
    }
    case "container":
      if (inBudget) return "answer";
      return `the container credentials endpoint ${url}/creds ${noAnswer ? "did not answer" : "gave no usable credentials"}. Check AWS_CONTAINER_CREDENTIALS_RELATIVE_URI / AWS_CONTAINER_CREDENTIALS_FULL_URI, or unset them outside a container`;
    case "IMDS": {
      // Instance metadata has 1.8 s of the budget (the benchmark holds "no credentials anywhere" to
      // 2 s; botocore's own IMDS timeout is 1 s), so even a 1 s answer (three requests) is none.
      const looked = `the environment, ${world.configFile}, ${world.credentialsFile}`;
      const hint = 'Run "aws configure --profile default", or "git-credential-codecommit setup --profile NAME" with a configured profile';
      if (fault.kind === "500" || fault.kind === "throttle" || fault.kind === "malformed")
        return `no AWS credentials found for profile default (looked in ${looked} and instance metadata). ${hint}`;
      return `no AWS credentials found for profile default (looked in ${looked}), and instance metadata did not answer. ${hint}; on a machine without an instance role, set AWS_EC2_METADATA_DISABLED=true`;
    }
  }
}
