#!/usr/bin/env node
import { consoleLogger, rootFlags, runCli } from './cli.js';

const { argv, verbose } = rootFlags(process.argv.slice(2), process.env);
const code = await runCli(argv, {
  stdout: (text) => console.log(text),
  stderr: (text) => console.error(text),
  logger: consoleLogger(verbose),
  cwd: process.cwd(),
  env: process.env,
});
process.exitCode = code;
