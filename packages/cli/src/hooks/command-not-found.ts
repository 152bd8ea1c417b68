import { toConfiguredId, type Hook } from '@oclif/core';
import { CLI_EXIT_CODES } from '../api/cli-failure.js';
import { closestCommand } from '../api/closest-command.js';

/**
 * An unknown command is a usage error like any other: one line on stderr with the closest command,
 * exit code 2. (Why not @oclif/plugin-not-found: it prints a warning and an error, exits 127, and
 * only suggests through a yes/no prompt on a terminal, so a script learns nothing.)
 */
const commandNotFound: Hook.CommandNotFound = async function ({ id, config }) {
  const typed = toConfiguredId(id, config);
  const known = config.commands.filter((c) => !c.hidden).map((c) => toConfiguredId(c.id, config));
  const suggestion = closestCommand(typed, known);
  const hint = suggestion ? ` Did you mean ${config.bin} ${suggestion}?` : '';
  process.stderr.write(`USAGE_ERROR: "${typed}" is not a ${config.bin} command.${hint} Run ${config.bin} --help for every command.\n`);
  this.exit(CLI_EXIT_CODES.USAGE_ERROR);
};

export default commandNotFound;
