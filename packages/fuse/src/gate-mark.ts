/**
 * How an index says that xplat fused it after the gate: annotations on the index itself,
 * so they travel with it (a copy to another repository or registry keeps the bytes, and
 * so the digest and the mark):
 *
 * - `dev.xplat.gate`: `passed`, or `passed; untested: <platforms>` when allow-untested
 *   admitted a skipped smoke test. Written only by a fuse from leg results whose gate
 *   opened; xplat refuses it as a user annotation, so `sources` or a hand-written
 *   annotation cannot forge it (a registry writer can: the attestation is the proof).
 * - `org.opencontainers.image.revision`: the commit every leg was built from.
 * - `org.opencontainers.image.created`: that commit's time (SOURCE_DATE_EPOCH), when
 *   every leg was built reproducibly from it, so two fuses of one commit's legs give
 *   the same index.
 *
 * `xplat promote` (and fuse-manifest's promote-from) copies only an index that carries
 * the mark, unless forced, and checks its revision against the commit when asked.
 */
import { XplatError, type LoadedLegResult } from '@xplat/core';

export const GATE_ANNOTATION = 'dev.xplat.gate';
export const REVISION_ANNOTATION = 'org.opencontainers.image.revision';
export const CREATED_ANNOTATION = 'org.opencontainers.image.created';
/** Annotation keys only xplat writes. */
export const RESERVED_PREFIX = 'dev.xplat.';

export interface GateMark {
  readonly annotations: Record<string, string>;
  /** Why a revision or created time is missing, for the log. */
  readonly notes: readonly string[];
}

/** The one value every leg has for `of`, or undefined (with a note) when they differ. */
function common(
  legs: readonly LoadedLegResult[],
  of: (leg: LoadedLegResult) => string | undefined,
): { value?: string; distinct: string[] } {
  const values = legs.map(of);
  const distinct = [...new Set(values.filter((v): v is string => !!v))];
  if (values.some((v) => !v) || distinct.length !== 1) return { distinct };
  return { value: distinct[0]!, distinct };
}

export function gateMark(fused: readonly LoadedLegResult[], untested: readonly string[]): GateMark {
  const notes: string[] = [];
  const annotations: Record<string, string> = {
    [GATE_ANNOTATION]: untested.length ? `passed; untested: ${untested.join(', ')}` : 'passed',
  };
  const sha = common(fused, (l) => l.result.source?.sha);
  if (sha.value) annotations[REVISION_ANNOTATION] = sha.value;
  else if (sha.distinct.length > 1)
    notes.push(
      `the legs were built from different commits (${sha.distinct.map((s) => s.slice(0, 7)).join(', ')}): the index names no revision`,
    );
  const time = common(fused, (l) => (l.result.reproducible ? l.result.source?.time : undefined));
  if (time.value) annotations[CREATED_ANNOTATION] = time.value;
  return { annotations, notes };
}

/** Whether the annotations carry xplat's gate mark. */
export function isGated(annotations: Readonly<Record<string, string>> | undefined): boolean {
  return /^passed(;|$)/.test(annotations?.[GATE_ANNOTATION] ?? '');
}

/** A user annotation may not claim xplat's own keys. */
export function checkUserAnnotations(annotations: Readonly<Record<string, string>>): void {
  const reserved = Object.keys(annotations).find((k) => k.startsWith(RESERVED_PREFIX));
  if (reserved)
    throw new XplatError(
      `${reserved} is xplat's own annotation (the gate writes ${GATE_ANNOTATION}); leave ${RESERVED_PREFIX}* keys out`,
      'annotations',
    );
}
