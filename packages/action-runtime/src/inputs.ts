import * as core from '@actions/core';

export interface ReadInputsOptions<N extends string> {
  /**
   * Inputs whose value is a secret: masked in the log before anything can print it, and
   * line by line when it spans several lines (a PEM key may be logged in parts; its
   * `-----BEGIN …` armour lines are no secret).
   */
  readonly secrets?: readonly N[];
}

/**
 * Every input of `names` as the runner passed it (trimmed; empty when not given), keyed
 * by input name: the raw record each library's parser takes (parseBuildInputs,
 * parseSetupInputs, parseSmokeInputs, parseFuseRequest).
 */
export function readInputs<const N extends string>(
  names: readonly N[],
  options: ReadInputsOptions<N> = {},
): Record<N, string> {
  const raw = {} as Record<N, string>;
  for (const name of names) raw[name] = core.getInput(name);
  for (const name of options.secrets ?? []) {
    const value = raw[name] ?? '';
    if (!value) continue;
    core.setSecret(value);
    const lines = value.split(/\r?\n/);
    if (lines.length > 1)
      for (const line of lines)
        if (line.trim() && !line.startsWith('-----')) core.setSecret(line.trim());
  }
  return raw;
}
