/** `--version`: the program's version, and the runtime running it (told apart in bug reports). */
import { VERSION } from "../version.js";
import type { Command } from "./command.js";

export const versionCommand: Command = async (_args, io) => {
  io.stdout(`git-credential-codecommit ${VERSION}${io.runtime ? ` (${io.runtime})` : ""}\n`);
  return 0;
};
