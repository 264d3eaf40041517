/**
 * A leg that cannot give an image the gate may fuse, for a reason the user can fix: a
 * builder this runner lacks (refused before building), or a pushed image that is not what
 * the leg asked for (read back after the push). buildPlatformImage writes a failed leg
 * result with the reason, so the gate says why instead of "missing".
 */
import { XplatError, type BuilderKind, type Platform } from '@xplat/core';

export class LegFailure extends XplatError {
  constructor(
    message: string,
    input: string,
    /** The platform of the leg, for the failed result's file name and `platform`. */
    readonly platform: Platform,
    /** The leg result's `builder`: the one that built, or the one the leg would have needed. */
    readonly builder: BuilderKind,
    /** Set when an image was pushed before the failure was found: its digest. */
    readonly pushedDigest?: string,
  ) {
    super(message, input);
    this.name = 'LegFailure';
  }
}
