/**
 * What a run loads is what it pays for (bench/bench.ts measures it). Two rules the bundler cannot check for us:
 * - node:fs is reached through src/runtime/node-fs.ts, never imported at a module's top (loading it costs
 *   a compiled run ~0.5 ms, and most runs touch no file);
 * - the SDK, the proxy agents and `debug` are imported by src/runtime/sdk.ts alone (a value import anywhere
 *   else would put them back into the program's own bundle, which every run loads).
 */
import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";
import { ROOT } from "./support/run-binary.js";
import { staticClosure } from "./support/import-graph.js";

const SRC = join(ROOT, "src");

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sources(join(dir, e.name)) : e.name.endsWith(".ts") ? [join(dir, e.name)] : [],
  );
}

/** Each value import (static, dynamic or require) of a module whose name `names` matches, as "file: specifier". */
function valueImports(names: RegExp): string[] {
  const found: string[] = [];
  for (const file of sources(SRC)) {
    const text = readFileSync(file, "utf8");
    const specifiers = [
      ...text.matchAll(/^import(?!\s+type\b)[^;]*?from\s+"([^"]+)"/gm),
      // (`typeof import("x")` is a type, not a load.)
      ...text.matchAll(/(?<!typeof\s*)\bimport\(\s*"([^"]+)"\s*\)/g),
      ...text.matchAll(/\brequire\(\s*"([^"]+)"\s*\)/g),
    ].map((m) => m[1] as string);
    for (const s of specifiers) if (names.test(s)) found.push(`${relative(ROOT, file)}: ${s}`);
  }
  return found.sort();
}

describe("what each run loads", () => {
  it("node:fs only through src/runtime/node-fs.ts", () => {
    expect(valueImports(/^(node:)?fs(\/promises)?$/)).toEqual(["src/runtime/node-fs.ts: node:fs"]);
  });

  it("the SDK, the proxy agents and debug only through src/runtime/sdk.ts", () => {
    expect(valueImports(/^(@aws-sdk\/|@smithy\/|https?-proxy-agent$|debug$)/)).toEqual([
      "src/runtime/sdk.ts: @aws-sdk/client-sso",
      "src/runtime/sdk.ts: @aws-sdk/client-sso-oidc",
      "src/runtime/sdk.ts: @aws-sdk/client-sts",
      "src/runtime/sdk.ts: @aws-sdk/credential-providers",
      "src/runtime/sdk.ts: debug",
      "src/runtime/sdk.ts: http-proxy-agent",
      "src/runtime/sdk.ts: https-proxy-agent",
    ]);
  });

  it("a get answered from credentials at hand loads only the warm folders and files", () => {
    // What cli.ts and the get path load, statically, all the way down: cli.ts itself, then get.ts
    // and the modules it imports once the host is CodeCommit's. The cold path (the SDK, the network,
    // the lock, SSO, the prompts) is behind an import() in resolve-credentials.ts.
    const loaded = staticClosure([
      "src/cli.ts",
      "src/commands/get.ts",
      "src/credentials/warm-path.ts",
      "src/credentials/profile-from-files.ts",
      "src/credentials/config-files.ts",
    ]);
    expect(loaded.filter((f) => !warm(f))).toEqual([]);
    expect(loaded).toContain("src/credentials/at-hand.ts");
    expect(loaded).toContain("src/session-cache/entry.ts");
  });

  it("a get the environment's keys answer loads none of the files' code", () => {
    // What get.ts and check-profile.ts load before the environment's answer: the files' reader
    // and the chain's decision are behind an import() in check-profile.ts (profile-from-files.ts),
    // and config-files.ts behind one in get.ts (only for a host that names no region).
    const loaded = staticClosure([
      "src/cli.ts",
      "src/commands/get.ts",
      "src/credentials/warm-path.ts",
      "src/credentials/resolve-credentials.ts",
      "src/password.ts",
    ]);
    expect(loaded.filter((f) => /^src\/aws-config\/(ini[^/]*|shared-config|credential-source-for)\.ts$/.test(f))).toEqual([]);
    expect(loaded).toContain("src/aws-config/environment-credentials.ts");
  });

  it("the environment's and a profile's keys need no session-cache code", () => {
    // at-hand.ts still imports the cache's lookup for the session kinds up front: loading it with
    // an import() made the warm role and SSO rows ~0.1 M instructions slower (one more chunk
    // and its split-off neighbours) for ~0.06 M less on the environment row.
    const loaded = staticClosure(["src/credentials/sources/given-keys.ts"]);
    expect(loaded.filter((f) => f.startsWith("src/session-cache/"))).toEqual([]);
    expect(loaded).toContain("src/credentials/expiry.ts");
  });

  it("what every CodeCommit get runs is imported lazily through warm-path.ts alone", () => {
    // Each import() target is split apart with the chunks it shares with others, and every chunk
    // costs a run to load: check-profile, resolve-credentials and the signer imported one by one
    // made three targets where warm-path.ts makes one.
    const lazy = valueImports(/(^|\/)(check-profile|resolve-credentials|password|warm-path)\.js$/).filter((i) => {
      const [file, specifier] = i.split(": ") as [string, string];
      return readFileSync(join(ROOT, file), "utf8").includes(`import("${specifier}")`);
    });
    expect(lazy.map((i) => i.replace(/^.*: /, "")).filter((s) => !s.endsWith("/warm-path.js"))).toEqual([]);
    expect(lazy).toContain("src/commands/get.ts: ../credentials/warm-path.js");
  });

  it("store and erase load cli.ts's few modules and their own, not get's", () => {
    expect(staticClosure(["src/cli.ts", "src/commands/store.ts"])).toEqual([
      "src/aws-config/profile-name.ts",
      "src/cli.ts",
      "src/commands/store.ts",
      "src/env.ts",
      "src/errors.ts",
      "src/protocol.ts",
      "src/trace.ts",
    ]);
  });
});

/**
 * What a warm `get` may load, as folders and files: a new file elsewhere (in aws-client/, sso/,
 * another command) that the get path starts to import statically fails the test above.
 */
const WARM_FOLDERS = ["src/aws-config/", "src/runtime/"];
/** The runtime's SDK loader is the way to the SDK: never loaded warm. */
const COLD_IN_WARM_FOLDERS = ["src/runtime/sdk.ts", "src/runtime/sdk-loader.ts"];
const WARM_FILES = [
  // The program's pure core: git's protocol, hosts and regions, the signature, errors, tracing.
  ...["cli", "protocol", "host", "host-region", "password", "errors", "trace", "env", "hashes"].map((f) => `src/${f}.ts`),
  "src/commands/command.ts",
  "src/commands/get.ts",
  // store and erase, two lines that cli.ts's chunk carries (a chunk of their own cost more).
  "src/commands/store.ts",
  // Credentials at hand: the profile's checks, the environment's and the files' keys, the expiry rule.
  ...[
    "at-hand",
    "warm-path",
    "resolve-credentials",
    "check-profile",
    "config-files",
    "profile-from-files",
    "expiry",
    "given-credentials",
    "sources/given-keys",
    "session-entry",
  ].map((f) => `src/credentials/${f}.ts`),
  // A cached session is found and read without the lock (taken only to write one).
  ...["key", "entry", "own-file", "python-json", "assume-role-request", "sso-session-args"].map((f) => `src/session-cache/${f}.ts`),
  // The bounds are plain numbers that the warm code names too.
  "src/aws-client/limits.ts",
];

function warm(file: string): boolean {
  if (COLD_IN_WARM_FOLDERS.includes(file)) return false;
  return WARM_FOLDERS.some((dir) => file.startsWith(dir)) || WARM_FILES.includes(file);
}
