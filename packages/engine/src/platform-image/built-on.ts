/**
 * The leg result's `builtOn`: where the build step ran. A Windows image built by BuildKit
 * on a Linux runner and smoke-tested by another job on a Windows runner says so here.
 */
import { echo, parsePlatform, formatPlatform, type BuiltOn } from '@xplat/core';
import type { HostFacts } from '../docker/capabilities.js';

/**
 * `platform`: the runner's engine in the leg's one-string form (`linux/amd64`; a Windows
 * engine with its build, `windows/amd64:10.0.20348.3207`). `runner`: the hosted image
 * (`ImageOS/ImageVersion`, e.g. `ubuntu24/20250105.1.0`, set on GitHub-hosted runners),
 * else RUNNER_NAME (self-hosted); absent outside GitHub Actions.
 */
export function builtOnOf(facts: HostFacts, env: NodeJS.ProcessEnv): BuiltOn | undefined {
  const { engine } = facts;
  const candidates = [
    ...(engine.os === 'windows' && engine.osVersion
      ? [`${engine.platform}:${engine.osVersion}`]
      : []),
    engine.platform,
  ];
  // An engine xplat has no name for (linux/mips64le): no builtOn rather than a leg result
  // the schema would refuse.
  const platform = candidates.map(tryFormat).find(Boolean);
  if (!platform) return undefined;
  const image = env.ImageOS?.trim();
  const runner = image
    ? [image, env.ImageVersion?.trim()].filter(Boolean).join('/')
    : env.RUNNER_NAME?.trim();
  // One line and short, as the schema wants it.
  // eslint-disable-next-line no-control-regex
  const clean = runner?.replace(/[\u0000-\u001f\u007f]/g, ' ').trim();
  return { platform, ...(clean ? { runner: echo(clean, 150) } : {}) };
}

function tryFormat(text: string): string | undefined {
  try {
    return formatPlatform(parsePlatform(text));
  } catch {
    return undefined;
  }
}
