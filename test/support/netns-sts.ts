/**
 * Runs ONE helper invocation inside a loopback-only network namespace, where STS exists only behind
 * a CONNECT proxy: started by test/e2e/proxy.test.ts as
 * `unshare -n sh -c 'ip link set lo up && exec bun test/support/netns-sts.ts'` (Bun runs this
 * TypeScript directly), with the case as JSON in NETNS_CASE. Prints one JSON result line.
 *
 * Inside: the STS stub (plain HTTP), an SSO portal and IAM Identity Center OIDC (oidc-stub.ts,
 * for requests whose Host is `oidc.*`) behind a TLS front whose certificate (a throw-away CA's)
 * names the AWS hosts the test asked for (`sts.us-east-1.amazonaws.com`,
 * `portal.sso.us-east-1.amazonaws.com`, `oidc.us-east-1.amazonaws.com`, `localhost`); with
 * `gitServer`, CodeCommit's git endpoint at `git-codecommit.us-east-1.amazonaws.com` (git-server.ts,
 * its own CA); a CONNECT proxy that routes `*.amazonaws.com:443` to those (and plain-HTTP
 * `sts.internal:80` to the STS stub itself); and a port where nothing listens. Placeholders in the
 * case's environment values are replaced: `{proxy}`, `{proxyhost}` (its host:port), `{refused}` (a
 * proxy URL nobody answers), `{tls}` (the front's port), `{gitca}` (the git server's CA file).
 * No name resolves in the namespace, so every AWS host at its real name is reachable only through
 * the proxy. With `browser`, a scripted browser approves the sign-in whose authorize URL the command
 * prints (it reaches the OIDC stub directly, as a person's browser would reach the real portal).
 */
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { request as httpRequest } from "node:http";
import { createServer as createHttpsServer } from "node:https";
import type { AddressInfo } from "node:net";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startConnectProxy } from "./connect-proxy.js";
import { startGitServer } from "./git-server.js";
import { freePort } from "./loopback.js";
import { scriptedBrowser, startOidcStub } from "./oidc-stub.js";
import { audited } from "./secret-audit.js";
import { startStsStub } from "./sts-stub.js";

const SSO_SECRET = "sso-secret-0123456789";
const SSO_TOKEN = "sso-token-0123456789";

/** What the test asks for. */
export interface NetnsCase {
  readonly certFile: string;
  readonly keyFile: string;
  readonly command: readonly string[];
  readonly env: Record<string, string>;
  readonly stdin: string;
  /** The command's working directory (a repository for doctor), else the runner's. */
  readonly cwd?: string;
  /** Approve the sign-in whose authorize URL the command prints on stderr. */
  readonly browser?: "approve";
  /** Serve an empty repository `demo` at CodeCommit's git endpoint. */
  readonly gitServer?: boolean;
}

/** What comes back. */
export interface NetnsResult {
  readonly stdout: string;
  readonly stderr: string;
  readonly code: number | null;
  /** CONNECT targets the proxy saw. */
  readonly connects: string[];
  /** Proxy-Authorization headers the proxy saw. */
  readonly proxyAuth: (string | undefined)[];
  /** SSO GetRoleCredentials requests ("host path"). */
  readonly ssoCalls: string[];
  /** STS actions the stub answered. */
  readonly stsActions: string[];
  /** IAM Identity Center OIDC calls, as oidc-stub.ts names them. */
  readonly oidcCalls: string[];
  /** "METHOD path status" of each request to the git server. */
  readonly gitRequests: string[];
  /** The ports, to rebuild expected messages. */
  readonly proxyPort: number;
  readonly refusedPort: number;
  readonly tlsPort: number;
}

async function main(): Promise<void> {
  const c = JSON.parse(process.env.NETNS_CASE ?? "{}") as NetnsCase;
  const sts = await startStsStub();
  const stsPort = Number(new URL(sts.endpoint).port);
  const ssoCalls: string[] = [];
  const oidc = await startOidcStub();
  const oidcPort = Number(new URL(oidc.url).port);
  const gitRoot = mkdtempSync(join(tmpdir(), "gcc-netns-git-"));
  const git = c.gitServer ? await startGitServer({ root: gitRoot, secretFor: (id) => sts.secretFor(id) }) : undefined;
  git?.createRepo("demo");
  // One TLS front for every AWS name: the SSO portal's GetRoleCredentials answered here, the rest
  // (STS's Query protocol) forwarded to the STS stub.
  const front = createHttpsServer({ cert: readFileSync(c.certFile), key: readFileSync(c.keyFile) }, (req, res) => {
    if (req.url?.startsWith("/federation/credentials")) {
      ssoCalls.push(`${req.headers.host} ${req.url}`);
      res.writeHead(200, { "content-type": "application/json" }).end(
        JSON.stringify({
          roleCredentials: {
            accessKeyId: "ASIASSOVIAPROXY00001",
            secretAccessKey: SSO_SECRET,
            sessionToken: SSO_TOKEN,
            expiration: Date.now() + 3_600_000,
          },
        }),
      );
      return;
    }
    const port = req.headers.host?.startsWith("oidc.") ? oidcPort : stsPort;
    const up = httpRequest({ host: "127.0.0.1", port, method: req.method, path: req.url, headers: req.headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    up.on("error", () => res.destroy());
    req.pipe(up);
  });
  await new Promise<void>((resolve) => front.listen(0, "127.0.0.1", resolve));
  const tlsPort = (front.address() as AddressInfo).port;
  const proxy = await startConnectProxy((target) =>
    git && target === "git-codecommit.us-east-1.amazonaws.com:443"
      ? git.port
      : /\.amazonaws\.com:443$/.test(target)
        ? tlsPort
        : /^sts\.internal:80$/.test(target)
          ? stsPort
          : undefined,
  );
  const proxyPort = Number(new URL(proxy.url).port);
  const refusedPort = await freePort();

  const fill = (v: string): string =>
    v
      .replace(/\{proxy\}/g, proxy.url)
      .replace(/\{proxyhost\}/g, `127.0.0.1:${proxyPort}`)
      .replace(/\{refused\}/g, `http://127.0.0.1:${refusedPort}`)
      .replace(/\{tls\}/g, String(tlsPort))
      .replace(/\{gitca\}/g, git?.caFile ?? "");
  const env = Object.fromEntries(Object.entries(c.env).map(([k, v]) => [k, fill(v)]));
  // Audited here, where the STS stub knows what it issued: a leak fails the runner, and so the test.
  const peers = [sts, oidc, ...(git ? [git] : [])];
  const run = await audited(
    { env, peers, secrets: [SSO_SECRET, SSO_TOKEN], label: c.command.join(" ") },
    () =>
      new Promise<{ stdout: string; stderr: string; code: number | null }>((resolve, reject) => {
        const child = spawn(c.command[0] as string, c.command.slice(1), {
          env,
          stdio: ["pipe", "pipe", "pipe"],
          ...(c.cwd ? { cwd: c.cwd } : {}),
        });
        let stdout = "";
        let stderr = "";
        let browsed = false;
        child.stdout.on("data", (d: Buffer) => (stdout += d.toString("utf8")));
        child.stderr.on("data", (d: Buffer) => {
          stderr += d.toString("utf8");
          const authorize = /^ {2}(https:\/\/oidc\.[^/\s]+\/authorize\?\S+)$/m.exec(stderr)?.[1];
          if (c.browser && authorize && !browsed) {
            browsed = true;
            // The printed URL names the real OIDC host; the person's browser is not behind our proxy.
            const direct = new URL(authorize);
            const stub = new URL(oidc.url);
            direct.protocol = stub.protocol;
            direct.host = stub.host;
            void scriptedBrowser(direct.toString(), "approve").catch((err: unknown) => (stderr += `scripted browser: ${String(err)}\n`));
          }
        });
        child.on("error", reject);
        child.on("close", (code) => resolve({ stdout, stderr, code }));
        child.stdin.end(c.stdin);
      }),
  );
  const result: NetnsResult = {
    ...run,
    connects: proxy.connects,
    proxyAuth: proxy.auth,
    ssoCalls,
    stsActions: sts.calls.map((x) => x.action),
    oidcCalls: oidc.calls,
    gitRequests: (git?.requests ?? []).map((r) => `${r.method} ${r.path} ${r.status}`),
    proxyPort,
    refusedPort,
    tlsPort,
  };
  process.stdout.write(`${JSON.stringify(result)}\n`);
  front.closeAllConnections();
  await proxy.close();
  await sts.close();
  await oidc.close();
  await git?.close();
  rmSync(gitRoot, { recursive: true, force: true });
  front.close();
  process.exit(0);
}

void main();
