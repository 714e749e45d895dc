/**
 * src/hashes.ts has two implementations: node:crypto (the npm bin, and vitest, which runs under
 * node) and Bun.CryptoHasher (the native executable). Both must give the published answers: FIPS
 * 180-2's "abc" digests and RFC 4231's HMAC-SHA256 cases, plus UTF-8 input checked against Python's
 * hashlib/hmac. The Bun side runs the same cases in the pinned `bun`, on the same source file.
 */
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { hmacSha256, hmacSha256Hex, randomHex, sha1Hex, sha256Hex } from "../src/hashes.js";
import { ROOT } from "./support/run-binary.js";

interface Case {
  readonly name: string;
  readonly fn: "sha1Hex" | "sha256Hex" | "hmacSha256";
  /** For hmacSha256: the key, as a UTF-8 string or (prefixed "hex:") as bytes. */
  readonly key?: string;
  readonly data: string;
  readonly expected: string;
}

const CASES: readonly Case[] = [
  { name: "SHA-1 of abc (FIPS 180-2)", fn: "sha1Hex", data: "abc", expected: "a9993e364706816aba3e25717850c26c9cd0d89d" },
  {
    name: "SHA-256 of abc (FIPS 180-2)",
    fn: "sha256Hex",
    data: "abc",
    expected: "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
  },
  {
    name: "SHA-256 of UTF-8 text",
    fn: "sha256Hex",
    data: "Grüße/ü",
    expected: "5c23fbf31d085a8d0b7bca79851df53532a5b187a9d835d5003ea3ff7ec75bc7",
  },
  {
    name: "HMAC-SHA256, RFC 4231 case 1 (byte key)",
    fn: "hmacSha256",
    key: `hex:${"0b".repeat(20)}`,
    data: "Hi There",
    expected: "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7",
  },
  {
    name: "HMAC-SHA256, RFC 4231 case 2 (string key)",
    fn: "hmacSha256",
    key: "Jefe",
    data: "what do ya want for nothing?",
    expected: "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843",
  },
  {
    name: "HMAC-SHA256 of UTF-8 key and text",
    fn: "hmacSha256",
    key: "clé",
    data: "été",
    expected: "a42adea59e62f4e07fc2e634c954a006440bc6424243bdf1b43ec77e806ad11c",
  },
];

/** Evaluates one case with the given module; the same code runs under node and bun. */
function evaluate(m: typeof import("../src/hashes.js"), c: Case): string {
  if (c.fn !== "hmacSha256") return m[c.fn](c.data);
  const key = c.key!.startsWith("hex:") ? Buffer.from(c.key!.slice(4), "hex") : c.key!;
  const hex = m.hmacSha256(key, c.data).toString("hex");
  // hmacSha256Hex must agree with the bytes' hex, or the case shows both.
  const direct = m.hmacSha256Hex(key, c.data);
  return direct === hex ? hex : `${hex} but hmacSha256Hex gives ${direct}`;
}

describe("hashes under node (node:crypto)", () => {
  for (const c of CASES) {
    it(c.name, () => {
      expect(evaluate({ hmacSha256, hmacSha256Hex, randomHex, sha1Hex, sha256Hex }, c)).toBe(c.expected);
    });
  }

  it("randomHex gives 2 hex digits per byte, different each time", () => {
    const a = randomHex(8);
    expect(a).toMatch(/^[0-9a-f]{16}$/);
    expect(randomHex(8)).not.toBe(a);
  });
});

describe("hashes under bun (Bun.CryptoHasher), as in the native executable", () => {
  it("gives the same answers for every case", () => {
    const script = `
      const m = require(${JSON.stringify(join(ROOT, "src", "hashes.ts"))});
      if (typeof Bun === "undefined" || typeof Bun.CryptoHasher !== "function") throw new Error("not bun");
      const evaluate = ${evaluate.toString()};
      const cases = ${JSON.stringify(CASES)};
      console.log(JSON.stringify({ answers: cases.map((c) => evaluate(m, c)), random: m.randomHex(6) }));
    `;
    const r = spawnSync(join(ROOT, "node_modules", ".bin", "bun"), ["-e", script], { cwd: ROOT, encoding: "utf8", timeout: 10_000 });
    expect(r.stderr).toBe("");
    const out = JSON.parse(r.stdout) as { answers: string[]; random: string };
    expect(out.answers).toEqual(CASES.map((c) => c.expected));
    expect(out.random).toMatch(/^[0-9a-f]{12}$/);
  });
});
