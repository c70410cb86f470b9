#!/usr/bin/env node
// `herald`: the single command line of the appliance (like nlserver). See run-cli.ts for the commands.
import { runCli } from './run-cli.js';

// Files Herald creates (database, logs, spools, reject reports) are not readable by other users.
process.umask(0o027);

const code = await runCli(process.argv.slice(2));
if (code !== 'running') {
  process.exitCode = code;
}
