/**
 * The platform of a smoke test with a leg result: the leg's (with a Windows image's
 * os.version) when the inputs leave it out; when they do not, it must agree with the leg,
 * or the verdict would be recorded for a platform that was not tested.
 */
import {
  formatPlatform,
  parsePlatform,
  XplatError,
  type LoadedLegResult,
  type Platform,
} from '@xplat/core';

export function platformOfLeg(
  given: Platform | undefined,
  { file, result }: LoadedLegResult,
): Platform {
  const legPlatform = parsePlatform(result.platform, `${file}: platform`);
  if (given && !samePlatform(given, legPlatform)) {
    throw new XplatError(
      `${formatPlatform(given)} does not match ${result.platform} in the leg result ${file}`,
      'platform',
    );
  }
  return (
    given ?? (result.osVersion ? { ...legPlatform, osVersion: result.osVersion } : legPlatform)
  );
}

/** os, architecture and variant agree (os.version is checked against the host, not here). */
export function samePlatform(a: Platform, b: Platform): boolean {
  return (
    a.os === b.os && a.architecture === b.architecture && (a.variant ?? '') === (b.variant ?? '')
  );
}
