/**
 * The one error @xplat/dockerfile throws for a Dockerfile Docker itself would refuse (or
 * that cannot be resolved for a platform): an XplatError whose message is the usual
 * one line `file:line: problem; fix`, plus the file and line as fields so callers (the
 * CLI's --json, the build action's annotations) can report it without parsing text.
 */
import { XplatError } from '@xplat/core';

export class DockerfileError extends XplatError {
  /** The Dockerfile as named in messages. */
  readonly file: string;
  /** 1-based line in the user's file; undefined for a whole-file problem (no FROM). */
  readonly line: number | undefined;
  constructor(reason: string, file: string, line?: number) {
    super(reason, line === undefined ? file : `${file}:${line}`);
    this.name = 'DockerfileError';
    this.file = file;
    this.line = line;
  }
}
