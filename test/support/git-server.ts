/**
 * A local stand-in for CodeCommit's git endpoint: HTTPS on 127.0.0.1, CodeCommit's URL layout and
 * password check, and real `git http-backend` behind it, so tests drive real git end to end.
 */
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import type { IncomingMessage, ServerResponse } from "node:http";
import { createServer } from "node:https";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { signedPathFor, verifyCodeCommitPassword } from "./codecommit-verify.js";
import { makeCertificate } from "./tls.js";

/**
 * Host names the server's certificate covers by default: one of each endpoint form src/host.ts recognises.
 * The first is the default for {@link GitServer.url}.
 */
export const DEFAULT_GIT_HOSTNAMES: readonly string[] = [
  "git-codecommit.us-east-1.amazonaws.com",
  "git-codecommit.eu-west-1.amazonaws.com",
  "git-codecommit-fips.us-gov-west-1.amazonaws.com",
  "git-codecommit.cn-north-1.amazonaws.com.cn",
  "vpce-0123abcd-4567efgh.git-codecommit.us-east-1.vpce.amazonaws.com",
];

/** Options for {@link startGitServer}. */
export interface GitServerOptions {
  /** Directory holding the bare repositories (`<root>/<name>.git`). */
  root: string;
  /** Secret for an access key id, or undefined if unknown (e.g. an STS stub's `secretFor`). */
  secretFor: (accessKeyId: string) => string | undefined;
  /** Names the certificate covers and git may use in URLs; default {@link DEFAULT_GIT_HOSTNAMES}. */
  hostnames?: string[];
  /** Region for host names that do not name one (a `--host` name); otherwise taken from the host. */
  region?: string;
  /** The server's clock for the 15-minute password window; default the real clock. */
  now?: () => Date;
}

/** One HTTP request as the server saw it. Holds no secret. */
export interface GitRequestRecord {
  method: string;
  /** URL path as requested, e.g. `/v1/repos/demo/info/refs` (query string not included). */
  path: string;
  /** HTTP status sent; 0 while the response has not started. */
  status: number;
  /** The access key id part of the Basic-auth user (never the session token). */
  user?: string;
  /** Why authentication failed (403), or what `git http-backend` printed on failure. */
  reason?: string;
}

/** A running server; see {@link startGitServer}. */
export interface GitServer {
  port: number;
  /** PEM file of the CA that signed the server certificate. */
  caFile: string;
  /** `https://<host>:<port>/v1/repos/<repo>`: the port stays in the URL (see {@link GitServer.gitArgs}). */
  url(repo: string, host?: string): string;
  /**
   * `git -c` arguments that reach this server under its CodeCommit names: `http.curloptResolve`
   * pins `<host>:<port>` to 127.0.0.1 (one entry per host name, or only `host`), and `http.sslCAInfo`
   * trusts the test CA. curl matches a resolve entry by host *and* port, so URLs must carry the port.
   * A `GIT_SSL_CAINFO` variable in git's environment overrides `http.sslCAInfo` (this machine sets
   * one), so run git with an environment that lacks it.
   */
  gitArgs(host?: string): string[];
  /** The same settings as {@link GitServer.gitArgs}, as `GIT_CONFIG_COUNT`/`KEY_n`/`VALUE_n` variables. */
  gitConfigEnv(host?: string): Record<string, string>;
  /** Every request so far, in arrival order. */
  requests: GitRequestRecord[];
  /** Every password and session token git sent so far: secrets in play for the audit (secret-audit.ts). */
  secretsSeen: string[];
  /** Creates an empty bare repository `<name>` with `main` as its initial branch. */
  createRepo(name: string): void;
  /** The bare repository directory for `<name>`, for inspecting it with `git --git-dir`. */
  repoDir(name: string): string;
  /** Stops listening, ends every connection and backend process, removes the certificate files. */
  close(): Promise<void>;
}

/** CodeCommit repository names: letters, digits, `.`, `_`, `-`, up to 100 characters. */
const REPO_NAME = /^(?!\.{1,2}$)[A-Za-z0-9._-]{1,100}$/;

/**
 * Environment for every git process the server runs: only what git needs, never the caller's
 * git configuration, which could change how `http-backend` or `init` behave.
 */
function serverGitEnv(root: string): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH ?? "",
    HOME: root,
    GIT_CONFIG_NOSYSTEM: "1",
    GIT_CONFIG_GLOBAL: process.platform === "win32" ? "NUL" : "/dev/null",
  };
}

function parseBasicAuth(header: string): { username: string; password: string } | undefined {
  const m = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header);
  if (!m || m[1] === undefined) return undefined;
  const decoded = Buffer.from(m[1], "base64").toString("utf8");
  const colon = decoded.indexOf(":");
  if (colon === -1) return undefined;
  return { username: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}

/**
 * Starts the server on 127.0.0.1 with an ephemeral port.
 *
 * Authentication follows CodeCommit: no `Authorization` → 401 with `WWW-Authenticate: Basic`, so git
 * asks its credential helpers; a password that fails {@link verifyCodeCommitPassword} → 403 (git then
 * fails rather than asking again); otherwise the request goes to `git http-backend` as CGI.
 */
export async function startGitServer(opts: GitServerOptions): Promise<GitServer> {
  const hostnames = opts.hostnames ?? [...DEFAULT_GIT_HOSTNAMES];
  const now = opts.now ?? (() => new Date());
  const certDir = mkdtempSync(join(tmpdir(), "codecommit-tls-"));
  const { caFile, certFile, keyFile } = makeCertificate(certDir, hostnames);
  const gitEnv = serverGitEnv(opts.root);
  const requests: GitRequestRecord[] = [];
  const secretsSeen: string[] = [];
  const backends = new Set<ChildProcess>();

  const repoDir = (name: string): string => {
    if (!REPO_NAME.test(name)) throw new Error(`invalid repository name: ${JSON.stringify(name)}`);
    return join(opts.root, `${name}.git`);
  };

  const handle = (req: IncomingMessage, res: ServerResponse): void => {
    const url = new URL(req.url ?? "/", "https://placeholder.invalid");
    const record: GitRequestRecord = { method: req.method ?? "", path: url.pathname, status: 0 };
    requests.push(record);
    const reply = (status: number, headers: Record<string, string>, body: string): void => {
      record.status = status;
      res.writeHead(status, { "Content-Type": "text/plain; charset=utf-8", ...headers }).end(body);
    };

    const authorization = req.headers.authorization;
    if (authorization === undefined) {
      reply(401, { "WWW-Authenticate": 'Basic realm="git-codecommit"' }, "Unauthorized\n");
      return;
    }
    const credentials = parseBasicAuth(authorization);
    if (credentials === undefined) {
      record.reason = "Authorization is not Basic user:password";
      reply(403, {}, "Forbidden\n");
      return;
    }
    secretsSeen.push(credentials.password, ...credentials.username.split("%").slice(1));
    // Host as git sent it, minus the port: what the helper signs (as the AWS CLI does).
    const host = (req.headers.host ?? "").replace(/:\d+$/, "");
    const verdict = verifyCodeCommitPassword({
      username: credentials.username,
      password: credentials.password,
      host,
      requestPath: url.pathname,
      secretFor: opts.secretFor,
      now: now(),
      ...(opts.region === undefined ? {} : { region: opts.region }),
    });
    if (verdict.accessKeyId !== undefined) record.user = verdict.accessKeyId;
    if (!verdict.ok) {
      record.reason = verdict.reason;
      reply(403, {}, "Forbidden\n");
      return;
    }

    // /v1/repos/<name>/<git path> → /<name>.git/<git path> under GIT_PROJECT_ROOT.
    const m = /^\/v1\/repos\/([^/]+)(\/.*)?$/.exec(url.pathname);
    const name = signedPathFor(url.pathname)?.slice("/v1/repos/".length);
    if (!m || name === undefined || !REPO_NAME.test(name)) {
      reply(404, {}, "Not Found\n");
      return;
    }
    runBackend(req, res, record, {
      ...gitEnv,
      GIT_PROJECT_ROOT: opts.root,
      // Serve every repository under the root without a git-daemon-export-ok file.
      GIT_HTTP_EXPORT_ALL: "1",
      REQUEST_METHOD: req.method ?? "GET",
      PATH_INFO: `/${name}.git${m[2] ?? ""}`,
      QUERY_STRING: url.search.slice(1),
      // http-backend enables receive-pack (push) only for an authenticated user.
      REMOTE_USER: verdict.accessKeyId,
      REMOTE_ADDR: req.socket.remoteAddress ?? "127.0.0.1",
      ...optionalEnv("CONTENT_TYPE", req.headers["content-type"]),
      // Absent for a chunked body (large pushes): http-backend then reads stdin to EOF.
      ...optionalEnv("CONTENT_LENGTH", req.headers["content-length"]),
      ...optionalEnv("HTTP_CONTENT_ENCODING", req.headers["content-encoding"]),
      // Protocol v2 is negotiated through this header; without it git falls back to v0.
      ...optionalEnv("GIT_PROTOCOL", headerValue(req.headers["git-protocol"])),
    });
  };

  const runBackend = (req: IncomingMessage, res: ServerResponse, record: GitRequestRecord, env: NodeJS.ProcessEnv): void => {
    const child = spawn("git", ["http-backend"], { env, stdio: ["pipe", "pipe", "pipe"] });
    backends.add(child);
    let stderr = "";
    child.stderr.setEncoding("utf8").on("data", (s: string) => (stderr += s));
    // http-backend may exit before reading all input (e.g. an error reply); that EPIPE is harmless.
    child.stdin.on("error", () => undefined);
    req.pipe(child.stdin);
    res.on("close", () => {
      if (!res.writableFinished) child.kill();
    });

    let head = Buffer.alloc(0);
    const onData = (chunk: Buffer): void => {
      head = Buffer.concat([head, chunk]);
      const end = findHeaderEnd(head);
      if (end === undefined) return;
      child.stdout.off("data", onData);
      const { status, headers } = parseCgiHeaders(head.subarray(0, end.start).toString("latin1"));
      record.status = status;
      res.writeHead(status, headers);
      res.write(head.subarray(end.bodyStart));
      child.stdout.pipe(res);
    };
    child.stdout.on("data", onData);

    child.on("error", (err) => {
      stderr += String(err);
    });
    child.on("close", (code) => {
      backends.delete(child);
      if (code !== 0 && stderr) record.reason = stderr.trim();
      if (!res.headersSent) {
        record.status = 502;
        res.writeHead(502, { "Content-Type": "text/plain" }).end(`git http-backend failed: ${stderr}`);
      }
    });
  };

  const server = createServer({ cert: readFileSync(certFile), key: readFileSync(keyFile) }, handle);
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const hostsFor = (host?: string): string[] => (host === undefined ? hostnames : [host]);
  const settings = (host?: string): Array<[string, string]> => [
    ...hostsFor(host).map((h): [string, string] => ["http.curloptResolve", `${h}:${port}:127.0.0.1`]),
    ["http.sslCAInfo", caFile],
  ];

  return {
    port,
    caFile,
    requests,
    secretsSeen,
    url: (repo, host = hostnames[0] ?? "localhost") => `https://${host}:${port}/v1/repos/${encodeURIComponent(repo)}`,
    gitArgs: (host) => settings(host).flatMap(([k, v]) => ["-c", `${k}=${v}`]),
    gitConfigEnv: (host) => {
      const env: Record<string, string> = {};
      const entries = settings(host);
      entries.forEach(([k, v], i) => {
        env[`GIT_CONFIG_KEY_${i}`] = k;
        env[`GIT_CONFIG_VALUE_${i}`] = v;
      });
      env.GIT_CONFIG_COUNT = String(entries.length);
      return env;
    },
    createRepo: (name) => {
      execFileSync("git", ["init", "--quiet", "--bare", "--initial-branch=main", repoDir(name)], {
        env: gitEnv,
        stdio: ["ignore", "ignore", "pipe"],
      });
    },
    repoDir,
    close: async () => {
      for (const child of backends) child.kill();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      // Keep-alive connections from git would otherwise hold close() open.
      server.closeAllConnections();
      await closed;
      rmSync(certDir, { recursive: true, force: true });
    },
  };
}

function headerValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value.join(", ") : value;
}

function optionalEnv(name: string, value: string | undefined): Record<string, string> {
  return value === undefined ? {} : { [name]: value };
}

/** Where the CGI header block ends: http-backend writes CRLF, but CGI allows bare LF too. */
function findHeaderEnd(buf: Buffer): { start: number; bodyStart: number } | undefined {
  const crlf = buf.indexOf("\r\n\r\n");
  const lf = buf.indexOf("\n\n");
  if (crlf !== -1 && (lf === -1 || crlf < lf)) return { start: crlf, bodyStart: crlf + 4 };
  if (lf !== -1) return { start: lf, bodyStart: lf + 2 };
  return undefined;
}

/** CGI response headers (RFC 3875 §6.3): `Status: NNN reason` sets the code, default 200. */
function parseCgiHeaders(block: string): { status: number; headers: Record<string, string | string[]> } {
  let status = 200;
  const headers: Record<string, string | string[]> = {};
  for (const line of block.split(/\r?\n/)) {
    const colon = line.indexOf(":");
    if (colon <= 0) continue;
    const name = line.slice(0, colon).trim();
    const value = line.slice(colon + 1).trim();
    if (name.toLowerCase() === "status") {
      status = Number.parseInt(value, 10) || 500;
      continue;
    }
    const previous = headers[name];
    headers[name] = previous === undefined ? value : [...(Array.isArray(previous) ? previous : [previous]), value];
  }
  return { status, headers };
}
