/**
 * Issue 13: what a run loads is what it pays for. Two rules the bundler cannot check for us:
 * - node:fs is reached through src/node-fs.ts, never imported at a module's top (loading it costs
 *   a compiled run ~0.5 ms, and most runs touch no file);
 * - the SDK, the proxy agents and `debug` are imported by src/sdk.ts alone (a value import anywhere
 *   else would put them back into the program's own bundle, which every run loads).
 */
import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";
import { ROOT } from "./support/run-binary.js";

const SRC = join(ROOT, "src");

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? sources(join(dir, e.name)) : e.name.endsWith(".ts") ? [join(dir, e.name)] : []));
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

describe("what each run loads (issue 13)", () => {
  it("node:fs only through src/node-fs.ts", () => {
    expect(valueImports(/^(node:)?fs(\/promises)?$/)).toEqual(["src/node-fs.ts: node:fs"]);
  });

  it("the SDK, the proxy agents and debug only through src/sdk.ts", () => {
    expect(valueImports(/^(@aws-sdk\/|@smithy\/|https?-proxy-agent$|debug$)/)).toEqual([
      "src/sdk.ts: @aws-sdk/client-sso",
      "src/sdk.ts: @aws-sdk/client-sso-oidc",
      "src/sdk.ts: @aws-sdk/client-sts",
      "src/sdk.ts: @aws-sdk/credential-providers",
      "src/sdk.ts: debug",
      "src/sdk.ts: http-proxy-agent",
      "src/sdk.ts: https-proxy-agent",
    ]);
  });

  it("a get answered from credentials at hand loads no network, lock, prompt or SDK code", () => {
    // What commands/get.ts and the modules it imports on that path load, statically, all the way down.
    const loaded = staticClosure(["src/commands/get.ts", "src/credentials/check-profile.ts", "src/credentials/resolve-credentials.ts", "src/credentials/config-files.ts", "src/password.ts"]);
    const heavy = ["fetch", "resolve-source", "source-context", "assume-role", "web-identity", "sso", "credential-process", "login-session", "container-or-imds", "canonical", "cached-session", "lock", "deadline", "network", "explain-error", "mfa-prompt", "sts", "aws-client-config", "sdk", "sdk-loader"];
    expect(loaded.filter((f) => heavy.includes(f.replace(/^.*\//, "").replace(/\.ts$/, "")) || f.startsWith("src/sso/") || (f.startsWith("src/aws-client/") && f !== "src/aws-client/limits.ts"))).toEqual([]);
    expect(loaded).toContain("src/credentials/at-hand.ts");
  });
});

/** The modules `entries` load through static value imports (not `import type`, not `import()`), themselves included. */
function staticClosure(entries: string[]): string[] {
  const seen = new Set<string>();
  const visit = (file: string): void => {
    if (seen.has(file)) return;
    let text: string;
    try {
      text = readFileSync(join(ROOT, file), "utf8");
    } catch {
      return;
    }
    seen.add(file);
    for (const m of text.matchAll(/^import(?!\s+type\b)[^;]*?from\s+"(\.{1,2}\/[^"]+)"/gm)) {
      visit(relative(ROOT, join(ROOT, file, "..", (m[1] as string).replace(/\.js$/, ".ts"))));
    }
  };
  entries.forEach(visit);
  return [...seen].sort();
}
