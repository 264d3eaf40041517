/**
 * Dependabot and xplat's own pinned actions. With `pin-actions: true` the generated
 * workflow names `owner/xplat/actions/<name>@<sha> # v1.4.2`, and Dependabot bumps such a
 * pin (SHA and comment) to a newer release. A newer release of the same major takes the
 * inputs this xplat writes, so that bump is kept and is not drift; another major still is
 * (a new major takes inputs only its own generator writes: regenerate with it), and so is
 * an older release, a tag, or a SHA without its version.
 */
import {
  isNewerVersion,
  parseActionVersion,
  type KeepNewerResult,
  type KeptAction,
} from './dependabot.js';

const PINNED =
  /^(\s*(?:-\s+)?uses:\s+)([\w.-]+\/[\w.-]+)\/actions\/([\w-]+)@([0-9a-f]{40})\s+#\s*(\S+)\s*$/;

interface Pin {
  readonly index: number;
  readonly prefix: string;
  readonly repository: string;
  readonly action: string;
  readonly sha: string;
  readonly version: number[];
  readonly comment: string;
}

function pins(lines: readonly string[]): Pin[] {
  const out: Pin[] = [];
  lines.forEach((line, index) => {
    const m = PINNED.exec(line);
    const version = parseActionVersion(m?.[5]);
    if (m && version?.length === 3)
      out.push({
        index,
        prefix: m[1]!,
        repository: m[2]!.toLowerCase(),
        action: m[3]!,
        sha: m[4]!,
        version,
        comment: m[5]!,
      });
  });
  return out;
}

/** The generated text with each of xplat's own pins replaced by a newer one of the same major from the committed file. */
export function keepNewerXplatPins(generated: string, committed: string): KeepNewerResult {
  const lines = generated.split('\n');
  const theirs = pins(committed.replace(/\r\n/g, '\n').split('\n'));
  const kept: KeptAction[] = [];
  const seen = new Set<string>();
  for (const ours of pins(lines)) {
    const candidate = theirs.find(
      (t) => t.repository === ours.repository && t.action === ours.action,
    );
    if (!candidate || candidate.version[0] !== ours.version[0]) continue;
    if (!isNewerVersion(candidate.version, ours.version)) continue;
    const ref = `${candidate.sha} # ${candidate.comment}`;
    const name = lines[ours.index]!.slice(ours.prefix.length).split('@')[0]!;
    lines[ours.index] = `${ours.prefix}${name}@${ref}`;
    if (!seen.has(`${name}@${ref}`)) {
      seen.add(`${name}@${ref}`);
      kept.push({ repository: name, generated: `${ours.sha} # ${ours.comment}`, kept: ref });
    }
  }
  return { text: lines.join('\n'), kept };
}
