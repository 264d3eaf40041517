/**
 * Why a platform's smoke test is skipped (`smoke-test` `skip`, `xplat smoke --skip`, and
 * xplat.yml's `smoke: { skip: "<reason>" }`): the text the gate table and the fuse job
 * summary show as `not tested: <reason>`. One parser for every place it comes from, so a
 * reason accepted in one is accepted in all.
 */
import { echo, XplatError } from './errors.js';

/** The longest reason: it is one cell of a table, not a report. */
export const SKIP_REASON_MAX = 200;

// A switch is not a reason: `skip: true` would show as "not tested: true" in the gate.
const SWITCH_WORDS = new Set(['true', 'false', 'yes', 'no', 'on', 'off']);

/** The reason, trimmed; undefined when empty (the smoke test runs). */
export function parseSkipReason(text: string, input = 'skip'): string | undefined {
  const reason = text.trim();
  if (!reason) return undefined;
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(reason))
    throw new XplatError(
      `"${echo(reason)}" must be one line of text without control characters: it is a cell of the gate table`,
      input,
    );
  if (reason.length > SKIP_REASON_MAX)
    throw new XplatError(
      `is ${reason.length} characters; a reason is at most ${SKIP_REASON_MAX} (it is a cell of the gate table)`,
      input,
    );
  if (SWITCH_WORDS.has(reason.toLowerCase()))
    throw new XplatError(
      `"${reason}" is not a reason: say why the smoke test is skipped, e.g. "no hosted ltsc2019 runner" (empty runs the test)`,
      input,
    );
  return reason;
}
