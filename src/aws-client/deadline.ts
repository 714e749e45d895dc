/**
 * One network budget for a whole run (fail within 10 s, never hang git; see RUN_BUDGET_MS in limits.ts).
 * Every STS, SSO, container and instance-metadata wait draws on it; time spent waiting on a person
 * (the MFA prompt, another process's MFA prompt) does not count.
 */

/** Thrown (and given as the abort reason) when the budget is spent. */
export class DeadlineExceeded extends Error {
  override readonly name = "DeadlineExceeded";
}

/** The timers a Deadline uses; the real ones by default, fake ones in tests. */
export interface DeadlineClock {
  readonly nowMs: () => number;
  readonly setTimeout: (fn: () => void, ms: number) => unknown;
  readonly clearTimeout: (handle: unknown) => void;
}

const REAL_CLOCK: DeadlineClock = {
  nowMs: () => performance.now(),
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

/** A budget of `totalMs` of network waiting, started at construction. */
export class Deadline {
  private spentMs = 0;
  private runningSince: number | undefined;
  private timer: unknown;
  private readonly controller = new AbortController();
  private readonly expired: Promise<never>;
  private expire!: (err: DeadlineExceeded) => void;

  constructor(
    readonly totalMs: number,
    private readonly clock: DeadlineClock = REAL_CLOCK,
  ) {
    this.expired = new Promise<never>((_, reject) => {
      this.expire = reject;
    });
    // Nobody may be racing when it fires; that is not an unhandled rejection.
    this.expired.catch(() => {});
    this.resume();
  }

  /** Aborted when the budget is spent: pass it to SDK calls so their sockets close too. */
  get signal(): AbortSignal {
    return this.controller.signal;
  }

  /**
   * Whether the budget is spent: by the clock, not only once the timer has fired (a busy machine
   * runs timers late, and a lock wait that ends at the same moment must see the budget as spent).
   */
  get isExpired(): boolean {
    return this.controller.signal.aborted || this.remainingMs() <= 0;
  }

  /** Milliseconds of network waiting still allowed (0 when spent). */
  remainingMs(): number {
    const running = this.runningSince === undefined ? 0 : this.clock.nowMs() - this.runningSince;
    return Math.max(0, this.totalMs - this.spentMs - running);
  }

  /** `work`, or a DeadlineExceeded rejection once the budget (or `capMs`, if smaller) runs out. */
  race<T>(work: Promise<T>, capMs?: number): Promise<T> {
    if (this.isExpired) return Promise.reject(new DeadlineExceeded(`no answer within ${this.totalMs / 1000} s`));
    if (capMs === undefined) return Promise.race([work, this.expired]);
    let capTimer: unknown;
    const capped = new Promise<never>((_, reject) => {
      capTimer = this.clock.setTimeout(() => reject(new DeadlineExceeded(`no answer within ${capMs / 1000} s`)), capMs);
    });
    return Promise.race([work, this.expired, capped]).finally(() => this.clock.clearTimeout(capTimer));
  }

  /** Runs `fn` (a person at a prompt) with the budget stopped. */
  paused<T>(fn: () => T): T {
    this.pause();
    try {
      return fn();
    } finally {
      this.resume();
    }
  }

  /** As {@link paused}, for an asynchronous wait on a person (another process's MFA prompt). */
  async pausedAsync<T>(fn: () => Promise<T>): Promise<T> {
    this.pause();
    try {
      return await fn();
    } finally {
      this.resume();
    }
  }

  private pause(): void {
    if (this.runningSince === undefined || this.controller.signal.aborted) return;
    this.spentMs += this.clock.nowMs() - this.runningSince;
    this.runningSince = undefined;
    this.clock.clearTimeout(this.timer);
  }

  private resume(): void {
    if (this.runningSince !== undefined || this.controller.signal.aborted) return;
    this.runningSince = this.clock.nowMs();
    this.timer = this.clock.setTimeout(() => {
      const err = new DeadlineExceeded(`no answer within ${this.totalMs / 1000} s`);
      this.controller.abort(err);
      this.expire(err);
    }, this.remainingMs());
  }
}
