/**
 * How a `prepare:` step's `run:` script is run, as GitHub Actions runs a `run:` step: the
 * script is written to a temporary file and the shell is given that file
 * (docs.github.com/en/actions/reference/workflows-and-actions/workflow-syntax#jobsjob_idstepsshell):
 *
 *   unspecified, Linux/macOS  bash -e FILE (sh -e FILE without bash)
 *   unspecified, Windows      pwsh -command ". 'FILE'" (here: powershell without pwsh)
 *   bash                      bash --noprofile --norc -eo pipefail FILE
 *   sh                        sh -e FILE
 *   pwsh / powershell         pwsh|powershell -command ". 'FILE'"   (FILE ends in .ps1)
 *   cmd                       %ComSpec% /D /E:ON /V:OFF /S /C "CALL "FILE""   (.cmd)
 *   python                    python FILE
 *
 * PowerShell scripts get the lines the runner adds: `$ErrorActionPreference = 'stop'` in
 * front, and an exit with $LASTEXITCODE after, so a failing native command fails the step.
 * Pure: which shells exist is given, so every row is a plan test on any OS.
 */
import type { PREPARE_SHELLS } from '@xplat/workflow';

export type PrepareShell = (typeof PREPARE_SHELLS)[number];

export interface ShellHost {
  /** The OS this process runs on (where prepare steps run): linux, macos, windows. */
  readonly os: string;
  /** Whether a program is on PATH. */
  readonly has: (program: string) => boolean;
  /** %ComSpec% on Windows. */
  readonly comSpec?: string;
}

export interface ShellCommand {
  /** The shell the step runs in, for the log: `bash`, `pwsh`. */
  readonly shell: PrepareShell;
  readonly command: string;
  readonly args: readonly string[];
  /** cmd's quoting is its own: the arguments go to it as written. */
  readonly verbatim: boolean;
}

/** The shell of a step: its `shell:`, else the default of this OS. */
export function stepShell(shell: PrepareShell | undefined, host: ShellHost): PrepareShell {
  if (shell) return shell;
  if (host.os === 'windows') return host.has('pwsh') ? 'pwsh' : 'powershell';
  return host.has('bash') ? 'bash' : 'sh';
}

/** The script file's extension: PowerShell runs only .ps1 files, cmd only .cmd/.bat. */
export function scriptExtension(shell: PrepareShell): string {
  return { bash: '.sh', sh: '.sh', pwsh: '.ps1', powershell: '.ps1', cmd: '.cmd', python: '.py' }[
    shell
  ];
}

/** The file's content: the script, with PowerShell's fail-fast lines around it. */
export function scriptContent(shell: PrepareShell, script: string): string {
  if (shell !== 'pwsh' && shell !== 'powershell') return script;
  return [
    "$ErrorActionPreference = 'stop'",
    script,
    'if ((Test-Path -LiteralPath variable:\\LASTEXITCODE)) { exit $LASTEXITCODE }',
  ].join('\n');
}

export function shellCommand(
  given: PrepareShell | undefined,
  file: string,
  host: ShellHost,
): ShellCommand {
  const shell = stepShell(given, host);
  const plain = (command: string, args: string[]): ShellCommand => ({
    shell,
    command,
    args,
    verbatim: false,
  });
  switch (shell) {
    case 'bash':
      // Only an explicit `shell: bash` adds --noprofile --norc and pipefail.
      return given === 'bash'
        ? plain('bash', ['--noprofile', '--norc', '-eo', 'pipefail', file])
        : plain('bash', ['-e', file]);
    case 'sh':
      return plain('sh', ['-e', file]);
    case 'pwsh':
    case 'powershell':
      // A quote in the path is doubled inside PowerShell's single-quoted string.
      return plain(shell, ['-command', `. '${file.replace(/'/g, "''")}'`]);
    case 'cmd':
      return {
        shell,
        command: host.comSpec || 'cmd.exe',
        args: ['/D', '/E:ON', '/V:OFF', '/S', '/C', `"CALL "${file}""`],
        verbatim: true,
      };
    case 'python':
      return plain('python', [file]);
  }
}
