#!/usr/bin/env node
import { consoleLogger, runCli } from './cli.js';

const verbose = process.argv.includes('--verbose') || process.env.RUNNER_DEBUG === '1';
const argv = process.argv.slice(2).filter((a) => a !== '--verbose');
const code = await runCli(argv, {
  stdout: (text) => console.log(text),
  stderr: (text) => console.error(text),
  logger: consoleLogger(verbose),
  cwd: process.cwd(),
  env: process.env,
});
process.exitCode = code;
