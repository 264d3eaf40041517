/**
 * What a failed docker command said, in one line: its last line that says something,
 * without the CLI's `See 'docker run --help'.` footer or its `docker: Error response from
 * daemon:` prefix. (The engine package keeps its own for DockerError; this one is for the
 * run's messages, which quote the engine's words.)
 */
export function dockerWords(stderr: string): string {
  const lines = stderr
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l && !/^See '.*--help'\.?$/.test(l));
  return (lines[lines.length - 1] ?? '').replace(/^(docker: )?(Error response from daemon: )?/, '');
}
