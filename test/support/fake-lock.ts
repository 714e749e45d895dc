/** Lock options for unit tests: fake wall and monotonic clocks (sleeping advances both), a fake process table. */
import type { LockOptions } from "../../src/session-cache/lock.js";

export function fakeLock(over: Partial<LockOptions> & { clock?: { wall: number; mono: number } } = {}): LockOptions {
  const clock = over.clock ?? { wall: 1_000_000, mono: 0 };
  return {
    waitMs: 1_000,
    staleMs: 5_000,
    pollMs: 10,
    pid: 100,
    host: "here",
    isAlive: () => true,
    wallMs: () => clock.wall,
    monotonicMs: () => clock.mono,
    sleep: async (ms) => {
      clock.mono += ms;
      clock.wall += ms;
    },
    ...over,
  };
}
