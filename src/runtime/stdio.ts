/**
 * Reading git's request and writing the answer without process.stdin/stdout: creating those streams
 * cost the Bun executable about 3 ms of a 7 ms `store` (bench/bench.ts). Under Node
 * the calls are synchronous ones on file descriptors; under Bun, its own stdin stream and
 * Bun.write (stdio-bun.ts), which need no node:fs (bench/bench.ts --breakdown). The bytes go out exactly as given:
 * no newline translation on any platform (git reads LF-terminated lines).
 */
import { nodeFs } from "./node-fs.js";

const CHUNK_BYTES = 64 * 1024;

/** Says whether what has arrived is enough (git's blank line; `window` ends with the newest bytes). */
export type InputComplete = (window: Uint8Array, atStart: boolean) => boolean;

/** git's pipes, as main.ts uses them. */
export interface StdStreams {
  /** Reads stdin to its end, to more than `limit` bytes, or until `complete` says it is enough. */
  read(limit: number, complete: InputComplete): Promise<Uint8Array>;
  /** Writes `text` to stdout (1) or stderr (2), in order. A failure is kept for {@link settled}. */
  write(fd: 1 | 2, text: string): void;
  /** Once every write has ended: the first failure's code on each descriptor (a closed reader, EPIPE, is none). */
  settled(): Promise<WriteFailures>;
}
export interface WriteFailures {
  1?: string;
  2?: string;
}

/**
 * Collects chunks as they arrive until more than `limit` bytes have come (so that oversize input is
 * detected without reading all of it) or `complete` says what has arrived is enough (git's blank
 * line: the writer may keep the pipe open and wait for the answer).
 *
 * Plain Uint8Array copies, no Buffer methods: under Bun the first Buffer.from/concat of a run
 * costs ~0.3 M instructions to set up (bench --breakdown, a probe against an empty program), more than
 * reading the request itself.
 */
export class InputCollector {
  private readonly chunks: Uint8Array[] = [];
  private size = 0;
  private tail: Uint8Array = new Uint8Array(0);

  constructor(
    private readonly limit: number,
    private readonly complete: InputComplete,
  ) {}

  /** Adds a chunk (copied: a reader may reuse its buffer); true when no more is wanted. */
  push(chunk: Uint8Array): boolean {
    const bytes = chunk.slice();
    this.chunks.push(bytes);
    // The window is the new chunk and the two bytes before it: enough to see "\n\r\n" across reads
    // without rescanning everything read so far.
    const window = concatBytes([this.tail, bytes], this.tail.length + bytes.length);
    const enough = this.complete(window, this.size === 0);
    this.size += bytes.length;
    this.tail = window.subarray(Math.max(0, window.length - 2));
    return enough || this.size > this.limit;
  }

  result(): Uint8Array {
    return concatBytes(this.chunks, this.size);
  }
}

function concatBytes(parts: readonly Uint8Array[], size: number): Uint8Array {
  const only = parts.length === 1 ? parts[0] : undefined;
  if (only?.length === size) return only;
  const out = new Uint8Array(size);
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

/** Reads `fd` with synchronous calls, as {@link StdStreams.read} says. */
export function readUpTo(fd: number, limit: number, complete: InputComplete = () => false): Uint8Array {
  const collector = new InputCollector(limit, complete);
  const buffer = Buffer.allocUnsafe(CHUNK_BYTES);
  for (;;) {
    const n = retryWhileBusy(() => {
      try {
        return nodeFs().readSync(fd, buffer, 0, buffer.length, null);
      } catch (err) {
        // Windows reports the end of a pipe as an error.
        if ((err as NodeJS.ErrnoException).code === "EOF") return 0;
        throw err;
      }
    });
    if (n === 0 || collector.push(buffer.subarray(0, n))) return collector.result();
  }
}

/** Writes all of `text` as UTF-8 before returning. A reader that has gone away (EPIPE) is not an error. */
export function writeAll(fd: number, text: string): void {
  const bytes = Buffer.from(text, "utf8");
  let written = 0;
  while (written < bytes.length) {
    try {
      written += retryWhileBusy(() => nodeFs().writeSync(fd, bytes, written));
    } catch (err) {
      // git stopped reading: there is nobody left to tell.
      if ((err as NodeJS.ErrnoException).code === "EPIPE") return;
      throw err;
    }
  }
}

/** git's pipes through synchronous calls (Node): every write has ended when it returns. */
export function syncStdStreams(): StdStreams {
  const failures: WriteFailures = {};
  return {
    read: async (limit, complete) => readUpTo(0, limit, complete),
    write(fd, text) {
      if (failures[fd] !== undefined) return;
      try {
        writeAll(fd, text);
      } catch (err) {
        failures[fd] = (err as NodeJS.ErrnoException).code ?? "error";
      }
    },
    settled: async () => failures,
  };
}

/** A descriptor the parent left non-blocking answers EAGAIN until it is ready: wait and retry. */
function retryWhileBusy(call: () => number): number {
  for (;;) {
    try {
      return call();
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== "EAGAIN") throw err;
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 1);
    }
  }
}
