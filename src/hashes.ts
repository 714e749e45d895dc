/**
 * SHA-256, HMAC-SHA256, SHA-1 and random bytes without paying for `node:crypto` where it is dear.
 *
 * Under Bun (the native executable) `require("node:crypto")` evaluates Bun's JavaScript emulation of
 * the whole Node module: about 1.5–2 ms of a ~5 ms run (measured with bench/bench.ts), more than all of
 * `get`'s own work. `Bun.CryptoHasher` is native and costs nothing to reach. Under Node (the npm bin)
 * `node:crypto` is native too, so it is used there, loaded on first use. Random bytes come from Web
 * Crypto's `getRandomValues`, a global in both runtimes.
 */
import { bunRuntime } from "./runtime/bun-runtime.js";

/** node:crypto, required on first use (a static import would load it when this module loads). */
function nodeCrypto(): typeof import("node:crypto") {
  return require("node:crypto") as typeof import("node:crypto");
}

/** Hex SHA-256 of `data` (UTF-8). */
export function sha256Hex(data: string): string {
  const bun = bunRuntime();
  if (bun) return new bun.CryptoHasher("sha256").update(data).digest("hex");
  return nodeCrypto().createHash("sha256").update(data, "utf8").digest("hex");
}

/** HMAC-SHA256 of `data` (UTF-8) under `key` (a string is taken as UTF-8). */
export function hmacSha256(key: string | Uint8Array, data: string): Buffer {
  const bun = bunRuntime();
  if (bun) return new bun.CryptoHasher("sha256", key).update(data).digest();
  return nodeCrypto().createHmac("sha256", key).update(data, "utf8").digest();
}

/** Hex HMAC-SHA256 (the hasher's own hex digest: no Buffer#toString, whose first use is dear under Bun). */
export function hmacSha256Hex(key: string | Uint8Array, data: string): string {
  const bun = bunRuntime();
  if (bun) return new bun.CryptoHasher("sha256", key).update(data).digest("hex");
  return nodeCrypto().createHmac("sha256", key).update(data, "utf8").digest("hex");
}

/** Hex SHA-1 of `data` (UTF-8): the AWS CLI's cache file names. */
export function sha1Hex(data: string): string {
  const bun = bunRuntime();
  if (bun) return new bun.CryptoHasher("sha1").update(data).digest("hex");
  return nodeCrypto().createHash("sha1").update(data, "utf8").digest("hex");
}

/** `bytes` cryptographically random bytes as hex (for unique temporary names and lock nonces). */
export function randomHex(bytes: number): string {
  return Buffer.from(globalThis.crypto.getRandomValues(new Uint8Array(bytes))).toString("hex");
}
