/**
 * git's pipes under Bun (the native executable): its stdin stream and Bun.write, which cost a run
 * less than loading node:fs (~0.8 ms and ~5 MB, bench --breakdown). A run that goes on to
 * read the AWS files loads node:fs anyway, and reads stdin with it (cli.ts, main.ts). Bun.write writes
 * at once when the descriptor takes the bytes (a pipe with room, a file, a terminal) and finishes in
 * the background otherwise; writes to one descriptor are chained so that they stay in order, and
 * main.ts waits for them all before it exits.
 */
import type { BunRuntime } from "./bun-runtime.js";
import { InputCollector, type StdStreams, type WriteFailures } from "./stdio.js";

export function bunStdStreams(bun: BunRuntime): StdStreams {
  const failures: WriteFailures = {};
  /** The last unfinished write on each descriptor, if any. */
  const pending: { 1?: Promise<void>; 2?: Promise<void> } = {};
  const start = (fd: 1 | 2, text: string): Promise<void> => {
    if (failures[fd] !== undefined) return Promise.resolve();
    return bun.write(fd === 1 ? bun.stdout : bun.stderr, text).then(
      () => {},
      (err: unknown) => {
        const code = (err as NodeJS.ErrnoException | undefined)?.code ?? "error";
        // git stopped reading: there is nobody left to tell.
        if (code !== "EPIPE") failures[fd] ??= code;
      },
    );
  };
  return {
    async read(limit, complete) {
      const collector = new InputCollector(limit, complete);
      const reader = bun.stdin.stream().getReader();
      for (;;) {
        const { value, done } = await reader.read();
        if (done || collector.push(value)) break;
      }
      reader.releaseLock();
      return collector.result();
    },
    write(fd, text) {
      if (text === "") return;
      const before = pending[fd];
      const mine = before ? before.then(() => start(fd, text)) : start(fd, text);
      pending[fd] = mine;
      void mine.then(() => {
        if (pending[fd] === mine) delete pending[fd];
      });
    },
    async settled() {
      // One after the other rather than Promise.all, an interpreted builtin under Bun that every run would pay.
      await pending[1];
      await pending[2];
      return failures;
    },
  };
}
