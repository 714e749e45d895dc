/**
 * No secret leaks, checked for every run of the binary: the secrets in play — environment credentials, keys and
 * tokens in the shared files, sessions in the CLI and SSO caches (before and after the run, so the
 * ones the run itself obtained count too), the password and username it printed — never appear on
 * stderr, nor on stdout outside the `username=`/`password=` lines. run-binary.ts applies it to every
 * runHelper call, with or without --debug; a test adds secrets the files don't show (a
 * credential_process script's output, say) through RunOptions.secrets. Tests that start the binary
 * another way — through real git, which passes the helper's stderr on as its own, or a direct spawn —
 * wrap the run in {@link audited} (or check what it printed with {@link auditPrinted}), naming the
 * peers that issued or received secrets (the STS stub, the git server).
 */
import { lstatSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

/** Shorter strings would match unrelated text and prove nothing (test vectors use "secret"). */
const MIN_SECRET_LENGTH = 8;

const FILE_KEYS = /^\s*(aws_secret_access_key|aws_session_token|aws_security_token)\s*[=:]\s*(.*?)\s*$/gim;
const JSON_KEYS = ["SecretAccessKey", "SessionToken", "accessToken", "refreshToken", "clientSecret"];

/** Every secret the environment `env` puts in play right now. */
export function secretsInPlay(env: Readonly<Record<string, string | undefined>>): string[] {
  const found = new Set<string>();
  for (const name of ["AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_SECURITY_TOKEN"]) {
    if (env[name]) found.add(env[name] as string);
  }
  const home = env.HOME;
  const files = [
    env.AWS_CONFIG_FILE,
    env.AWS_SHARED_CREDENTIALS_FILE,
    home && join(home, ".aws", "config"),
    home && join(home, ".aws", "credentials"),
  ];
  for (const file of files) {
    for (const m of readText(file).matchAll(FILE_KEYS)) if (m[2]) found.add(m[2]);
  }
  const dirs = [env.AWS_CLI_CACHE_DIR, home && join(home, ".aws", "cli", "cache"), home && join(home, ".aws", "sso", "cache")];
  for (const dir of dirs) {
    for (const file of jsonFiles(dir)) collectJson(parseJson(readText(file)), found);
  }
  return [...found].filter((s) => s.length >= MIN_SECRET_LENGTH);
}

/**
 * What leaked from a run's output, as descriptions that name each secret by its first characters
 * only (so a report never copies a secret in full); empty when nothing did.
 */
export function leaksIn(stdout: string, stderr: string, secrets: readonly string[]): string[] {
  const printed: string[] = [];
  const others: string[] = [];
  for (const line of stdout.split("\n")) {
    const m = /^(username|password)=(.*)$/.exec(line);
    if (m) printed.push(m[2] as string, ...(m[1] === "username" ? (m[2] as string).split("%").slice(1) : []));
    else others.push(line);
  }
  const all = [...secrets, ...printed.filter((s) => s.length >= MIN_SECRET_LENGTH)];
  const leaks: string[] = [];
  for (const secret of new Set(all)) {
    const where = [stderr.includes(secret) ? "stderr" : "", others.join("\n").includes(secret) ? "stdout" : ""].filter(Boolean);
    if (where.length > 0) leaks.push(`a secret (${secret.slice(0, 4)}…, ${secret.length} chars) leaked into ${where.join(" and ")}`);
  }
  return leaks;
}

/** What a run printed: the helper's own streams, or those of the git that ran it. */
export interface Printed {
  readonly stdout: string;
  readonly stderr: string;
}

/** A test peer that knows secrets the files don't show: credentials an STS stub issued, passwords a git server received. */
export interface SecretPeer {
  readonly issued?: readonly { readonly secretAccessKey: string; readonly sessionToken: string }[];
  readonly secretsSeen?: readonly string[];
}

/** Where the secrets of one run are: its environment's files and caches, the peers, and any the test names (MFA codes, say). */
export interface AuditOptions {
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly peers?: readonly SecretPeer[];
  readonly secrets?: readonly string[];
  /** Names the run in the failure (the command, say). */
  readonly label?: string;
}

/** Throws when `printed` leaks a secret in play now, in `before` (read before the run), or named by `opts`. */
export function auditPrinted(printed: Printed, opts: AuditOptions, before: readonly string[] = []): void {
  const fromPeers = (opts.peers ?? [])
    .flatMap((p) => [...(p.issued ?? []).flatMap((c) => [c.secretAccessKey, c.sessionToken]), ...(p.secretsSeen ?? [])])
    .filter((s) => s.length >= MIN_SECRET_LENGTH);
  const secrets = [...before, ...secretsInPlay(opts.env), ...fromPeers, ...(opts.secrets ?? [])];
  const leaks = leaksIn(printed.stdout, printed.stderr, secrets);
  if (leaks.length > 0) throw new Error(`${leaks.join("; ")} (${opts.label ?? "a run of the helper"})`);
}

/**
 * Awaits `run` and audits what it printed (auditPrinted), with the secrets in play both before and
 * after it; a run that rejects carrying stdout/stderr (a failed execFile) is audited before the
 * rejection passes on.
 */
export async function audited<T extends Printed>(opts: AuditOptions, run: () => Promise<T>): Promise<T> {
  const before = secretsInPlay(opts.env);
  let result: T;
  try {
    result = await run();
  } catch (err) {
    const e = err as Partial<Printed>;
    if (typeof e?.stdout === "string" || typeof e?.stderr === "string")
      auditPrinted({ stdout: e.stdout ?? "", stderr: e.stderr ?? "" }, opts, before);
    throw err;
  }
  auditPrinted(result, opts, before);
  return result;
}

function collectJson(value: unknown, into: Set<string>): void {
  if (!value || typeof value !== "object") return;
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
    if (typeof v === "string" && JSON_KEYS.includes(k)) into.add(v);
    else collectJson(v, into);
  }
}

/** A regular file's text; nothing for the FIFOs, links to /dev/zero and huge files hostile tests plant. */
function readText(file: string | undefined): string {
  try {
    if (!file) return "";
    const st = lstatSync(file);
    return st.isFile() && st.size <= 1024 * 1024 ? readFileSync(file, "utf8") : "";
  } catch {
    return "";
  }
}

function jsonFiles(dir: string | undefined): string[] {
  try {
    return dir
      ? readdirSync(dir)
          .filter((f) => f.endsWith(".json"))
          .map((f) => join(dir, f))
      : [];
  } catch {
    return [];
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
