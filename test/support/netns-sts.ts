/**
 * Runs ONE helper invocation inside a loopback-only network namespace, where STS exists only behind
 * a CONNECT proxy: started by test/e2e/proxy.test.ts as
 * `unshare -n sh -c 'ip link set lo up && exec bun test/support/netns-sts.ts'` (Bun runs this
 * TypeScript directly), with the case as JSON in NETNS_CASE. Prints one JSON result line.
 *
 * Inside: the STS stub (plain HTTP) behind a TLS front whose certificate (a throw-away CA's) names
 * `sts.<region>.amazonaws.com` and `localhost`; a CONNECT proxy that routes `*.amazonaws.com:443`
 * to that front; and a port where nothing listens. Placeholders in the case's environment values
 * are replaced: `{proxy}`, `{proxyhost}` (its host:port), `{refused}` (a proxy URL nobody answers), `{tls}` (the front's port).
 * No name resolves in the namespace, so STS at its real name is reachable only through the proxy.
 */
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { connect, type AddressInfo, type Socket } from "node:net";
import { createServer as createTlsServer } from "node:tls";
import { startConnectProxy } from "./connect-proxy.js";
import { freePort } from "./loopback.js";
import { startStsStub } from "./sts-stub.js";

/** What the test asks for. */
export interface NetnsCase {
  readonly certFile: string;
  readonly keyFile: string;
  readonly command: readonly string[];
  readonly env: Record<string, string>;
  readonly stdin: string;
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
  /** STS actions the stub answered. */
  readonly stsActions: string[];
  /** The ports, to rebuild expected messages. */
  readonly proxyPort: number;
  readonly refusedPort: number;
  readonly tlsPort: number;
}

async function main(): Promise<void> {
  const c = JSON.parse(process.env.NETNS_CASE ?? "{}") as NetnsCase;
  const sts = await startStsStub();
  const stsPort = Number(new URL(sts.endpoint).port);
  const sockets = new Set<Socket>();
  const front = createTlsServer({ cert: readFileSync(c.certFile), key: readFileSync(c.keyFile) }, (tls) => {
    const up = connect(stsPort, "127.0.0.1");
    sockets.add(tls).add(up);
    tls.pipe(up).pipe(tls);
    up.on("error", () => tls.destroy());
    tls.on("error", () => up.destroy());
  });
  await new Promise<void>((resolve) => front.listen(0, "127.0.0.1", resolve));
  const tlsPort = (front.address() as AddressInfo).port;
  const proxy = await startConnectProxy((target) => (/\.amazonaws\.com:443$/.test(target) ? tlsPort : undefined));
  const proxyPort = Number(new URL(proxy.url).port);
  const refusedPort = await freePort();

  const fill = (v: string): string => v.replace(/\{proxy\}/g, proxy.url).replace(/\{proxyhost\}/g, `127.0.0.1:${proxyPort}`).replace(/\{refused\}/g, `http://127.0.0.1:${refusedPort}`).replace(/\{tls\}/g, String(tlsPort));
  const env = Object.fromEntries(Object.entries(c.env).map(([k, v]) => [k, fill(v)]));
  const run = await new Promise<{ stdout: string; stderr: string; code: number | null }>((resolve, reject) => {
    const child = spawn(c.command[0] as string, c.command.slice(1), { env, stdio: ["pipe", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString("utf8")));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString("utf8")));
    child.on("error", reject);
    child.on("close", (code) => resolve({ stdout, stderr, code }));
    child.stdin.end(c.stdin);
  });
  const result: NetnsResult = { ...run, connects: proxy.connects, proxyAuth: proxy.auth, stsActions: sts.calls.map((x) => x.action), proxyPort, refusedPort, tlsPort };
  process.stdout.write(`${JSON.stringify(result)}\n`);
  for (const s of sockets) s.destroy();
  await proxy.close();
  await sts.close();
  front.close();
  process.exit(0);
}

void main();
