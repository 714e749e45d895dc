/**
 * Lock options for unit tests: fake wall and monotonic clocks (sleeping advances both), a fake
 * process table in which every pid is alive and was started as `start-<pid>`.
 */
import type { LockOptions } from "../../src/session-cache/lock.js";

export function fakeLock(over: Partial<LockOptions> & { clock?: { wall: number; mono: number } } = {}): LockOptions {
  const clock = over.clock ?? { wall: 1_000_000, mono: 0 };
  return {
    waitMs: 1_000,
    unjudgedWaitMs: 300,
    staleMs: 5_000,
    skewMs: 2_000,
    pollMs: 10,
    pollGrowth: 2,
    pollMaxMs: 40,
    pid: 100,
    host: "here",
    isAlive: () => true,
    processStart: (pid) => `start-${pid}`,
    wallMs: () => clock.wall,
    monotonicMs: () => clock.mono,
    sleep: async (ms) => {
      clock.mono += ms;
      clock.wall += ms;
    },
    ...over,
  };
}
