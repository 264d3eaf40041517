/**
 * A skipped smoke test (smoke-test `skip`, `xplat smoke --skip`): nothing runs; the leg
 * result records `skipped` with the reason, and the gate admits the platform untested
 * only when the fuse lists it in allow-untested.
 */
import {
  formatPlatform,
  readLegResult,
  silentLogger,
  updateLegResult,
  XplatError,
  type Logger,
} from '@xplat/core';
import { legImage } from './leg-image.js';
import { platformOfLeg } from './leg-platform.js';
import type { SmokeRequest } from './options.js';

export interface SmokeSkip {
  readonly reason: string;
  /** The leg result that records it. */
  readonly resultFile: string;
  readonly platform: string;
  readonly finishedAt: string;
}

export async function skipSmokeTest(
  request: SmokeRequest,
  deps: { readonly logger?: Logger } = {},
): Promise<SmokeSkip> {
  const { skip: reason, resultFile: file } = request;
  if (reason === undefined || file === undefined)
    throw new Error('skipSmokeTest needs a request with skip and resultFile');
  const logger = deps.logger ?? silentLogger;

  // The same agreement as a run: a skip recorded for another platform or another image
  // would let that one through the gate untested.
  const leg = await readLegResult(file);
  platformOfLeg(request.platform, leg);
  // Named as the leg is (its full os.version), whatever form the input had.
  const platform = formatPlatform(platformOfLeg(undefined, leg));
  if (request.image) legImage(request.image, leg);

  const finishedAt = new Date().toISOString();
  await updateLegResult(file, (result) => {
    // A verdict is never overwritten by a skip: a failed test would then pass as untested.
    if (result.smoke.status === 'passed' || result.smoke.status === 'failed')
      throw new XplatError(
        `${file} already records a smoke test that ${result.smoke.status}; skip records only a leg whose smoke test has not run`,
        'skip',
      );
    return { ...result, smoke: { status: 'skipped', checks: [], reason, finishedAt } };
  });
  logger.info(
    `Smoke test of ${platform} skipped: ${reason}. Recorded in ${file}; the fuse admits ${platform} untested only when allow-untested lists it`,
  );
  return { reason, resultFile: file, platform, finishedAt };
}

/** smoke-test's outputs for a skip: not passed (nothing ran), skipped. */
export const SKIP_OUTPUTS: Readonly<Record<string, string>> = { passed: 'false', skipped: 'true' };

/** The job summary of a skip: what was not tested, why, and what the fuse will make of it. */
export function renderSkipSummary(skip: SmokeSkip): string {
  // Markdown outside code spans: a reason is text, never a table cell break or HTML.
  const cell = (text: string): string => text.replace(/\|/g, '\\|').replace(/</g, '&lt;');
  return [
    `### Smoke test ⏭️ skipped: \`${skip.platform}\``,
    '',
    `**Reason:** ${cell(skip.reason)}`,
    '',
    `Nothing ran. \`${cell(skip.resultFile)}\` records \`skipped\`; the fuse admits ${skip.platform} untested only when its \`allow-untested\` lists it (xplat.yml: \`smoke: { skip: "<reason>" }\` on the platform).`,
    '',
  ].join('\n');
}
