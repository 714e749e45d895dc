/**
 * The part of Bun's global this program uses, when it runs under Bun (the native executable); the
 * npm bin under Node has none and uses Node's modules instead. bun-types is not a dependency.
 */

export interface BunHasher {
  update(data: string | Uint8Array): BunHasher;
  digest(): Buffer;
  digest(encoding: "hex"): string;
}

/** A file or descriptor Bun.write can write to. */
export type BunSink = object;

export interface BunRuntime {
  readonly CryptoHasher: new (algorithm: "sha1" | "sha256", hmacKey?: string | Uint8Array) => BunHasher;
  readonly stdin: { stream(): ReadableStream<Uint8Array> };
  readonly stdout: BunSink;
  readonly stderr: BunSink;
  /** Writes all of `data`: at once when the descriptor takes it, else in the background. */
  write(destination: BunSink, data: string): Promise<number>;
}

export function bunRuntime(): BunRuntime | undefined {
  return (globalThis as { Bun?: BunRuntime }).Bun;
}
