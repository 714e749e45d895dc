/**
 * node:fs, loaded on first use. Loading it costs a compiled run ~2.7 M instructions and ~0.8 ms
 * (`npm run bench -- --breakdown`, a probe that only requires it against an empty one),
 * about all of what `store` does besides starting. So no module imports it at its top: git's pipes go through Bun's own calls under
 * Bun (stdio-bun.ts), and a run that touches no file (`store`, `erase`, a foreign host, a `get` with
 * credentials in the environment) never loads it.
 */
export function nodeFs(): typeof import("node:fs") {
  return require("node:fs") as typeof import("node:fs");
}
