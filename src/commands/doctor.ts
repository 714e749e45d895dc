import type { Command } from "../cli.js";
export const doctorCommand: Command = async () => 0;
