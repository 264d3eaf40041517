import type { XplatRelease } from '../src/xplat-release.js';

/** A release for tests that generate with `pin-actions: true` (a stamped build's). */
export const TEST_RELEASE: XplatRelease = {
  version: 'v1.4.2',
  commit: '0123456789abcdef0123456789abcdef01234567',
  repository: 'xplat-dev/xplat',
};
