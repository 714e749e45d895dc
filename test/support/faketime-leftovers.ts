/**
 * Vitest global teardown: libfaketime, preloaded without its wrapper (frozenAt in run-binary.ts),
 * creates a semaphore and a shared-memory object named after the first process it runs in
 * (/dev/shm/sem.faketime_sem_<pid>, /dev/shm/faketime_shm_<pid>) and never removes them. Once the
 * run is over, those whose process is gone are removed, so that repeated runs do not fill
 * /dev/shm (about 900 objects a run).
 */
import { readdirSync, rmSync } from "node:fs";
import { join } from "node:path";

const SHM = "/dev/shm";
const LEFTOVER = /^(?:sem\.faketime_sem_|faketime_shm_)(\d+)$/;

export function teardown(): void {
  removeLeftovers(SHM);
}

/** Removes from `dir` the libfaketime objects of processes that are no longer running. */
export function removeLeftovers(dir: string): void {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return; // no such directory: nothing was left there
  }
  for (const name of names) {
    const pid = LEFTOVER.exec(name)?.[1];
    if (pid !== undefined && !running(Number(pid))) rmSync(join(dir, name), { force: true });
  }
}

function running(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}
