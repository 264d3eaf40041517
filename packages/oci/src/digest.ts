/**
 * Content digests. Only sha256 is accepted: it is what every registry and builder writes,
 * and a digest we cannot compute is a digest we cannot verify.
 */
import { createHash } from 'node:crypto';
import { XplatError } from '@xplat/core';

const DIGEST = /^sha256:[a-f0-9]{64}$/;
const EXPECTED = 'expected sha256: followed by 64 lowercase hex characters';

/** Whether `text` is a sha256 digest in canonical form. */
export function isDigest(text: string): boolean {
  return DIGEST.test(text);
}

/** `text` when it is a valid sha256 digest; otherwise an XplatError naming `input`. */
export function validateDigest(text: string, input = 'digest'): string {
  const value = text.trim();
  const problem = digestProblem(value);
  if (problem === undefined) return value;
  throw new XplatError(`"${value}" is not a valid digest: ${problem} (${EXPECTED})`, input);
}

/** Why `value` is not a sha256 digest, or undefined when it is one. */
export function digestProblem(value: string): string | undefined {
  if (DIGEST.test(value)) return undefined;
  const colon = value.indexOf(':');
  if (colon < 0) {
    if (/^[a-fA-F0-9]{64}$/.test(value)) return 'the "sha256:" prefix is missing';
    return 'it has no algorithm prefix';
  }
  const algorithm = value.slice(0, colon);
  const hex = value.slice(colon + 1);
  if (algorithm !== 'sha256') return `algorithm "${algorithm}" is not supported`;
  if (/[A-F]/.test(hex) && /^[a-fA-F0-9]+$/.test(hex)) return 'the hex must be lowercase';
  if (!/^[a-f0-9]*$/.test(hex)) return 'it has characters that are not hex';
  return `it has ${hex.length} hex characters after "sha256:", not 64`;
}

/** The description of a valid digest, for messages. */
export const DIGEST_EXPECTED = EXPECTED;

/** The sha256 digest of exactly these bytes. */
export function sha256Digest(bytes: Uint8Array): string {
  return `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
}
