/** What a sign-in flow needs from the outside world, injected so tests run it with a fake clock. */
export interface FlowIo {
  readonly now: () => Date;
  /** Waits between polls. */
  readonly sleep: (ms: number) => Promise<void>;
  /** Tells the user what to do and how long is left (the terminal's stderr). */
  readonly show: (text: string) => void;
  /** Opens a URL in the user's browser, resolving false if it could not; absent when none is to be opened. */
  readonly openBrowser?: (url: string) => Promise<boolean>;
}

/** `HH:MM:SS UTC` of a moment, for "the code expires at …". */
export function clockTime(date: Date): string {
  return `${date.toISOString().slice(11, 19)} UTC`;
}

/** Whole minutes from now to then, at least 1. */
export function minutesUntil(now: Date, then: Date): number {
  return Math.max(1, Math.round((then.getTime() - now.getTime()) / 60_000));
}
