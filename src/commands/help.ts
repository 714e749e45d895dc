/** `--help`, `-h`, `help [command]`: the program's help, or one command's. */
import { helpText } from "../help.js";
import type { Command } from "./command.js";

export const helpCommand: Command = async (args, io) => {
  io.stdout(helpText(args.rest[0]));
  return 0;
};
