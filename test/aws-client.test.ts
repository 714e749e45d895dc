/**
 * How this program talks to AWS is decided in one room, src/aws-client/: one factory makes every
 * SDK client and credential provider (so a proxy, a CA, attempts and timeouts reach all of them
 * alike), and every network number is a named constant in src/aws-client/limits.ts. These rules
 * are about the source text, so they read it.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";
import * as limits from "../src/aws-client/limits.js";
import { ROOT } from "./support/run-binary.js";

const SRC = join(ROOT, "src");
const FACTORY = "src/aws-client/clients.ts";

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sources(join(dir, e.name)) : e.name.endsWith(".ts") ? [join(dir, e.name)] : [],
  );
}

/** Every line of src/ that matches `pattern`, as "file:line: text", outside `except`. */
function linesMatching(pattern: RegExp, except: readonly string[]): string[] {
  const found: string[] = [];
  for (const file of sources(SRC)) {
    const name = relative(ROOT, file);
    if (except.includes(name)) continue;
    readFileSync(file, "utf8")
      .split("\n")
      .forEach((text, i) => {
        if (pattern.test(text)) found.push(`${name}:${i + 1}: ${text.trim()}`);
      });
  }
  return found;
}

describe("the AWS client factory", () => {
  it("is the only place an SDK client or credential provider is constructed", () => {
    expect(
      linesMatching(
        /new\s+(sdk\.)?\w*Client\s*\(|\bfrom(Http|InstanceMetadata|ContainerMetadata|LoginCredentials|Ini|Sso|Process|NodeProviderChain|TemporaryCredentials)\s*\(/,
        [FACTORY],
      ),
    ).toEqual([]);
  });

  it("is the only place SDK attempts, retries and timeouts are set; any other bound names a constant of limits.ts", () => {
    expect(
      linesMatching(
        /\b(maxAttempts|maxRetries|connectionTimeout|requestTimeout|socketTimeout)\b|\btimeout\s*:(?!\s*[A-Z][A-Z0-9_]*_MS\b)/,
        [FACTORY],
      ),
    ).toEqual([]);
  });

  it("depends on no room that uses it: credentials, session cache, sign-in, doctor, commands", () => {
    const inRoom = sources(join(SRC, "aws-client")).map((f) => relative(ROOT, f));
    const outward = linesMatching(/from\s+"\.\.\/(credentials|session-cache|sso|doctor|commands|remote|git)\//, []).filter((l) =>
      inRoom.some((f) => l.startsWith(`${f}:`)),
    );
    expect(outward).toEqual([]);
  });

  it("budgets are named constants, not numbers written where they are used", () => {
    expect(linesMatching(/new\s+Deadline\(\s*\d/, [])).toEqual([]);
  });

  it("limits.ts holds numbers only, each a positive count of milliseconds, seconds or attempts", () => {
    const entries = Object.entries(limits);
    expect(entries.length).toBeGreaterThan(10);
    for (const [name, value] of entries) {
      expect(typeof value, name).toBe("number");
      expect(value, name).toBeGreaterThanOrEqual(0);
    }
    // A run's budget ends before git's 10 s expectation, with room for the work after the network.
    expect(limits.RUN_BUDGET_MS).toBeLessThan(10_000);
    expect(limits.IMDS_BUDGET_MS).toBeLessThan(2_000);
  });
});
