/**
 * `store` and `erase`: nothing to keep or forget, since every password is signed afresh for each
 * request (and lives 15 minutes). stdin is still drained, so git's write of the request never
 * fails on a closed pipe; nothing else is loaded.
 */
import type { Command } from "./command.js";

export const storeCommand: Command = async (_args, io) => {
  await io.readStdin();
  return 0;
};
