/**
 * Reading git's request and writing the answer with synchronous calls on file descriptors, not
 * through process.stdin/stdout: creating those streams cost the Bun executable about 3 ms of a
 * 7 ms `store` (bench/bench.ts, contract §10). The bytes go out exactly as given: no newline
 * translation on any platform (contract §5, LF only).
 */
import { readSync, writeSync } from "node:fs";

const CHUNK_BYTES = 64 * 1024;

/**
 * Reads `fd` to its end, until more than `limit` bytes have arrived (so that oversize input is
 * detected without reading all of it), or until `complete` says what has arrived is enough (git's
 * blank line: the writer may keep the pipe open and wait for the answer).
 */
export function readUpTo(fd: number, limit: number, complete: (window: Buffer, atStart: boolean) => boolean = () => false): Buffer {
  const chunks: Buffer[] = [];
  const buffer = Buffer.allocUnsafe(CHUNK_BYTES);
  let size = 0;
  let tail = Buffer.alloc(0);
  while (size <= limit) {
    const n = retryWhileBusy(() => {
      try {
        return readSync(fd, buffer, 0, buffer.length, null);
      } catch (err) {
        // Windows reports the end of a pipe as an error.
        if ((err as NodeJS.ErrnoException).code === "EOF") return 0;
        throw err;
      }
    });
    if (n === 0) break;
    const chunk = Buffer.from(buffer.subarray(0, n));
    chunks.push(chunk);
    // The window is the new chunk and the two bytes before it: enough to see "\n\r\n" across reads
    // without rescanning everything read so far.
    const window = Buffer.concat([tail, chunk]);
    if (complete(window, size === 0)) return Buffer.concat(chunks, size + n);
    size += n;
    tail = window.subarray(Math.max(0, window.length - 2));
  }
  return Buffer.concat(chunks, size);
}

/** Writes all of `text` as UTF-8 before returning. A reader that has gone away (EPIPE) is not an error. */
export function writeAll(fd: number, text: string): void {
  const bytes = Buffer.from(text, "utf8");
  let written = 0;
  while (written < bytes.length) {
    try {
      written += retryWhileBusy(() => writeSync(fd, bytes, written));
    } catch (err) {
      // git stopped reading: there is nobody left to tell.
      if ((err as NodeJS.ErrnoException).code === "EPIPE") return;
      throw err;
    }
  }
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
