/**
 * Image references as docker writes them: `[registry/]path[:tag][@digest]`.
 *
 * Hand-written on purpose. The grammar is distribution/reference's (a handful of regular
 * expressions, below). @swimlane/docker-reference ports it, but it rejects IPv6 registry
 * hosts (`[::1]:5000`) and only ever says "invalid reference format"; a user needs to be
 * told *what* is wrong with the input they typed.
 */
import { XplatError } from '@xplat/core';
import { DIGEST_EXPECTED, digestProblem } from './digest.js';

/** A repository in a registry: `{ registry: '127.0.0.1:5000', repository: 'org/app' }`. */
export interface Repository {
  /** Host[:port] as users write it; Docker Hub is always `docker.io`. */
  readonly registry: string;
  readonly repository: string;
}

/** A repository plus a tag and/or a digest (the digest wins when both are given). */
export interface ImageReference extends Repository {
  readonly tag?: string;
  readonly digest?: string;
}

export const DOCKER_HUB = 'docker.io';
/** Where Docker Hub's registry API really lives. */
export const DOCKER_HUB_API = 'registry-1.docker.io';
const DOCKER_HUB_ALIASES = new Set([DOCKER_HUB, 'index.docker.io', DOCKER_HUB_API]);
const NAME_MAX = 255;

// distribution/reference's grammar.
const PATH_COMPONENT = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;
const DOMAIN_COMPONENT = '(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])';
const DOMAIN = new RegExp(
  `^(?:${DOMAIN_COMPONENT}(?:\\.${DOMAIN_COMPONENT})*|\\[[a-fA-F0-9:]+\\])(?::[0-9]+)?$`,
);
const TAG = /^[\w][\w.-]{0,127}$/;
const EXAMPLES = '127.0.0.1:5000/org/app:tag or ghcr.io/org/app@sha256:<64 hex>';

/** Parse a reference; `input` names the action input or file the text came from. */
export function parseReference(text: string, input = 'image'): ImageReference {
  const raw = text.trim();
  const bad = (why: string): XplatError =>
    new XplatError(`"${raw}" is not an image reference: ${why} (expected e.g. ${EXAMPLES})`, input);
  if (!raw) throw bad('it is empty');
  if (/\s/.test(raw)) throw bad('it contains whitespace');
  if (/^[a-z]+:\/\//i.test(raw)) throw bad('leave out the URL scheme');

  let rest = raw;
  let digest: string | undefined;
  const at = rest.indexOf('@');
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
    const problem = digestProblem(digest);
    if (problem) throw bad(`the digest after "@" is wrong: ${problem}; ${DIGEST_EXPECTED}`);
  }

  // The first component is a registry when it looks like a host (docker's rule).
  const slash = rest.indexOf('/');
  const first = slash >= 0 ? rest.slice(0, slash) : '';
  const hasRegistry =
    slash >= 0 && (/[.:[]/.test(first) || first === 'localhost' || first !== first.toLowerCase());
  let registry = hasRegistry ? first : DOCKER_HUB;
  let remainder = hasRegistry ? rest.slice(slash + 1) : rest;
  if (hasRegistry && !DOMAIN.test(registry)) {
    throw bad(`"${registry}" is not a registry host[:port]`);
  }

  let tag: string | undefined;
  const colon = remainder.lastIndexOf(':');
  if (colon >= 0) {
    tag = remainder.slice(colon + 1);
    remainder = remainder.slice(0, colon);
    const problem = tagProblem(tag);
    if (problem) throw bad(problem);
  }

  if (!remainder) throw bad('the repository name is empty');
  if (!hasRegistry && /^[a-f0-9]{64}$/.test(remainder)) {
    throw bad('a 64-hex name is an image ID, not a repository');
  }
  for (const component of remainder.split('/')) {
    if (!component)
      throw bad('the repository path has an empty component ("//" or a trailing "/")');
    if (!PATH_COMPONENT.test(component)) {
      throw bad(
        component !== component.toLowerCase()
          ? `repository names must be lowercase ("${component}")`
          : `"${component}" may only hold lowercase letters, digits and single separators . _ __ - between them`,
      );
    }
  }

  registry = normalizeRegistry(registry);
  // Docker Hub's official images live under library/.
  const repository =
    registry === DOCKER_HUB && !remainder.includes('/') ? `library/${remainder}` : remainder;
  if (registry.length + 1 + repository.length > NAME_MAX) {
    throw bad(`the name is longer than ${NAME_MAX} characters`);
  }
  return {
    registry,
    repository,
    ...(tag !== undefined ? { tag } : {}),
    ...(digest !== undefined ? { digest } : {}),
  };
}

/** A reference that must name a repository only (no tag, no digest), like the `image` input. */
export function parseRepository(text: string, input = 'image'): Repository {
  const ref = parseReference(text, input);
  if (ref.tag !== undefined || ref.digest !== undefined) {
    throw new XplatError(
      `"${text.trim()}" must name a repository without a tag or digest (e.g. 127.0.0.1:5000/org/app); put tags in the tags input`,
      input,
    );
  }
  return { registry: ref.registry, repository: ref.repository };
}

/** Why `tag` is not a valid tag, or undefined when it is one. */
export function tagProblem(tag: string): string | undefined {
  if (!tag) return 'the tag after ":" is empty';
  if (TAG.test(tag)) return undefined;
  if (tag.length > 128) return `the tag "${tag.slice(0, 20)}..." is longer than 128 characters`;
  return `the tag "${tag}" may only hold letters, digits, _ . - and must not start with . or -`;
}

/** `tag` when valid; otherwise an XplatError naming `input`. */
export function validateTag(tag: string, input = 'tags'): string {
  const problem = tagProblem(tag.trim());
  if (problem) throw new XplatError(`${problem} (e.g. latest, 1.2.3, linux-amd64-1a2b3c4)`, input);
  return tag.trim();
}

/** Docker Hub's aliases become `docker.io`; hosts are case-insensitive. */
export function normalizeRegistry(registry: string): string {
  const lower = registry.toLowerCase();
  return DOCKER_HUB_ALIASES.has(lower) ? DOCKER_HUB : lower;
}

/** `127.0.0.1:5000` -> `127.0.0.1`; `[::1]:5000` -> `[::1]`; lowercased. */
export function registryHostname(host: string): string {
  const lower = host.toLowerCase();
  if (lower.startsWith('[')) return lower.slice(0, lower.indexOf(']') + 1);
  return lower.split(':')[0] ?? lower;
}

/**
 * Whether a host (`host`, `host:port`, or a URL's hostname) is this machine: localhost,
 * 127.x.x.x or [::1] (also bare ::1). Registries there are spoken to over plain http, as
 * docker does, and credentials may go to them over it.
 */
export function isLoopbackHost(host: string): boolean {
  const hostname = host === '::1' ? '[::1]' : registryHostname(host);
  return hostname === 'localhost' || /^127\.\d+\.\d+\.\d+$/.test(hostname) || hostname === '[::1]';
}

/** The host the registry API is served from (Docker Hub's differs from its name). */
export function apiHost(registry: string): string {
  const normal = normalizeRegistry(registry);
  return normal === DOCKER_HUB ? DOCKER_HUB_API : normal;
}

/** `registry/repository`. */
export function formatRepository(repo: Repository): string {
  return `${repo.registry}/${repo.repository}`;
}

/** `registry/repository[:tag][@digest]`, fully qualified (docker.io is written out). */
export function formatReference(ref: ImageReference): string {
  return `${formatRepository(ref)}${ref.tag !== undefined ? `:${ref.tag}` : ''}${ref.digest !== undefined ? `@${ref.digest}` : ''}`;
}

/** What to ask the registry for: the digest, else the tag, else `latest`. */
export function manifestReference(ref: ImageReference): string {
  return ref.digest ?? ref.tag ?? 'latest';
}

/** Whether two repositories are the same (registry aliases and case folded). */
export function sameRepository(a: Repository, b: Repository): boolean {
  return (
    normalizeRegistry(a.registry) === normalizeRegistry(b.registry) && a.repository === b.repository
  );
}
