/** The run's one network budget (src/aws-client/deadline.ts): fake timers, so nothing here depends on real time. */
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { Deadline, DeadlineExceeded } from "../src/aws-client/deadline.js";

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

/** A Deadline on vitest's fake clock. */
function fakeDeadline(ms: number): Deadline {
  return new Deadline(ms, {
    nowMs: () => Date.now(),
    setTimeout: (fn, t) => setTimeout(fn, t),
    clearTimeout: (h) => clearTimeout(h as NodeJS.Timeout),
  });
}

const never = <T>(): Promise<T> => new Promise<T>(() => {});
const settleAfter = <T>(ms: number, value: T): Promise<T> => new Promise((resolve) => setTimeout(() => resolve(value), ms));

describe("Deadline", () => {
  it("lets work that ends inside the budget through, however late in it", async () => {
    const d = fakeDeadline(9_000);
    const work = d.race(settleAfter(8_900, "answer"));
    await vi.advanceTimersByTimeAsync(8_900);
    await expect(work).resolves.toBe("answer");
  });

  it("rejects with DeadlineExceeded when the budget is spent, and aborts its signal", async () => {
    const d = fakeDeadline(9_000);
    const work = d.race(never());
    const caught = work.catch((e: unknown) => e);
    await vi.advanceTimersByTimeAsync(8_999);
    expect(d.signal.aborted).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    const err = await caught;
    expect(err).toBeInstanceOf(DeadlineExceeded);
    expect((err as Error).message).toBe("no answer within 9 s");
    expect(d.signal.aborted).toBe(true);
    expect(d.remainingMs()).toBe(0);
  });

  it("is one budget for every call of the run: the second call gets only what the first left", async () => {
    const d = fakeDeadline(9_000);
    const first = d.race(settleAfter(6_000, 1));
    await vi.advanceTimersByTimeAsync(6_000);
    await expect(first).resolves.toBe(1);
    expect(d.remainingMs()).toBe(3_000);
    const second = d.race(never()).catch((e: unknown) => e);
    await vi.advanceTimersByTimeAsync(3_000);
    expect(await second).toBeInstanceOf(DeadlineExceeded);
  });

  it("a cap ends one wait early without spending the rest of the budget", async () => {
    const d = fakeDeadline(9_000);
    const capped = d.race(never(), 1_800).catch((e: unknown) => e);
    await vi.advanceTimersByTimeAsync(1_800);
    expect(((await capped) as Error).message).toBe("no answer within 1.8 s");
    expect(d.isExpired).toBe(false);
    expect(d.remainingMs()).toBe(7_200);
  });

  it("stops while a person types an MFA code (synchronous prompt)", () => {
    const d = fakeDeadline(9_000);
    vi.advanceTimersByTime(1_000);
    const code = d.paused(() => {
      // The user takes a minute at the prompt: the budget must not move.
      vi.setSystemTime(Date.now() + 60_000);
      return "123456";
    });
    expect(code).toBe("123456");
    expect(d.remainingMs()).toBe(8_000);
    expect(d.isExpired).toBe(false);
  });

  it("stops while waiting on another process's MFA prompt (asynchronous wait)", async () => {
    const d = fakeDeadline(9_000);
    const waited = d.pausedAsync(() => settleAfter(60_000, "filled"));
    await vi.advanceTimersByTimeAsync(60_000);
    await expect(waited).resolves.toBe("filled");
    expect(d.isExpired).toBe(false);
    expect(d.remainingMs()).toBe(9_000);
    const late = d.race(never()).catch((e: unknown) => e);
    await vi.advanceTimersByTimeAsync(9_000);
    expect(await late).toBeInstanceOf(DeadlineExceeded);
  });

  it("a race started after expiry fails at once", async () => {
    const d = fakeDeadline(100);
    await vi.advanceTimersByTimeAsync(100);
    await expect(d.race(Promise.resolve(1))).rejects.toBeInstanceOf(DeadlineExceeded);
  });

  it("is spent by the clock even before a late timer fires (a busy machine)", () => {
    const d = fakeDeadline(9_000);
    // The clock moves past the budget without the timer having run yet.
    vi.setSystemTime(Date.now() + 9_000);
    expect(d.isExpired).toBe(true);
    return expect(d.race(Promise.resolve(1))).rejects.toBeInstanceOf(DeadlineExceeded);
  });
});
