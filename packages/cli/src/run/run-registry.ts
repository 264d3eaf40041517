/**
 * The registry a run pushes to: `--registry HOST[:PORT][/prefix]`, or the embedded one.
 * xplat.yml's repository path is kept and only its registry (plus an optional prefix)
 * changes: ghcr.io/org/app with --registry 127.0.0.1:5000/ci -> 127.0.0.1:5000/ci/org/app.
 */
import { XplatError } from '@xplat/core';
import { formatRepository, parseRepository, type Repository } from '@xplat/oci';

/** The repository in the run's registry, as the requests take it. */
export function retargetRepository(image: string, registry: string): Repository {
  const text = registry.trim().replace(/\/+$/, '');
  const slash = text.indexOf('/');
  const host = slash < 0 ? text : text.slice(0, slash);
  const prefix = slash < 0 ? '' : text.slice(slash + 1);
  if (!host || /^[a-z]+:\/\//i.test(text) || /\s/.test(text))
    throw new XplatError(
      `"${registry}" is not HOST[:PORT][/prefix], e.g. registry.example.com/team or 127.0.0.1:5000`,
      '--registry',
    );
  const { repository } = parseRepository(image, 'image');
  const moved = `${host}/${prefix ? `${prefix}/` : ''}${repository}`;
  return parseRepository(moved, '--registry');
}

export function retarget(image: string, registry: string): string {
  return formatRepository(retargetRepository(image, registry));
}
