/**
 * setup-crossplatform-builder's inputs as one typed request, from the same names whether
 * they come from the action or the CLI. Every error names the input and says what fits.
 */
import {
  keyValueLines,
  echo,
  parseBoolean,
  parseChoice,
  parsePlatform,
  splitList,
  XplatError,
  type Platform,
} from '@xplat/core';
import { BUILDER_KINDS, type BuilderChoice } from '../platform-image/builders.js';

export const SETUP_INPUTS = [
  'platforms',
  'name',
  'driver',
  'endpoint',
  'append',
  'qemu',
  'qemu-image',
  'cleanup',
  'builder',
  'buildkitd-flags',
  'driver-opts',
  'tls-ca-cert',
  'tls-cert',
  'tls-key',
] as const;
export type SetupInputName = (typeof SETUP_INPUTS)[number];
export type SetupInputs = Partial<Record<SetupInputName, string>>;

export const DRIVERS = ['auto', 'docker-container', 'docker', 'remote'] as const;
export type Driver = (typeof DRIVERS)[number];
export type QemuMode = 'auto' | 'true' | 'false';

/** An extra BuildKit daemon for the builder, e.g. a Windows host running buildkitd. */
export interface RemoteNode {
  readonly endpoint: string;
  readonly platforms: readonly Platform[];
  readonly name?: string;
  /** TLS server name, when it differs from the endpoint's host. */
  readonly servername?: string;
}

export interface TlsMaterial {
  readonly caCert?: string;
  readonly cert?: string;
  readonly key?: string;
}

export interface SetupRequest {
  /** Empty: the host's own platform. */
  readonly platforms: readonly Platform[];
  /** Empty: a generated name. An existing builder of this name is reused, never removed. */
  readonly name: string;
  readonly driver: Driver;
  readonly endpoint: string;
  readonly append: readonly RemoteNode[];
  readonly qemu: QemuMode;
  readonly qemuImage: string;
  readonly cleanup: boolean;
  readonly builder: BuilderChoice;
  readonly buildkitdFlags: string;
  readonly driverOpts: readonly string[];
  readonly tls: TlsMaterial;
}

/** What docker/setup-buildx-action passes: host networking and privileged RUN when asked for. */
export const DEFAULT_BUILDKITD_FLAGS =
  '--allow-insecure-entitlement security.insecure --allow-insecure-entitlement network.host';
export const DEFAULT_QEMU_IMAGE = 'tonistiigi/binfmt:latest';

const NAME = /^[a-zA-Z0-9][a-zA-Z0-9_.-]{0,62}$/;
const ENDPOINT = /^(tcp|unix|ssh|npipe|docker-container|kube-pod):\/\/\S+$/;

function parseEndpoint(text: string, input: string): string {
  const value = text.trim();
  if (!ENDPOINT.test(value))
    throw new XplatError(
      `"${value}" is not a BuildKit endpoint: use tcp://host:port, unix:///path, ssh://user@host or docker-container://name`,
      input,
    );
  return value;
}

/**
 * One node per line: the endpoint, then `key=value` words (platforms comma-separated):
 * `tcp://win-builder:1234 platforms=windows/amd64 name=win servername=builder.internal`.
 */
export function parseAppend(text: string, input = 'append'): RemoteNode[] {
  const nodes: RemoteNode[] = [];
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.replace(/^\s*-\s+/, '').trim();
    if (!line || line.startsWith('#')) continue;
    let endpoint = '';
    let platforms: Platform[] = [];
    let name: string | undefined;
    let servername: string | undefined;
    for (const word of line.split(/\s+/)) {
      // A bare word is the endpoint (`tcp://h:1` has no `key=` in front: its ':' comes first).
      const setting = /^([a-z-]+)=(.*)$/i.exec(word);
      const key = setting ? setting[1]!.toLowerCase() : '';
      const value = setting ? setting[2]! : word;
      switch (key) {
        case '':
        case 'endpoint':
          if (endpoint)
            throw new XplatError(`"${line}" names two endpoints; one node per line`, input);
          endpoint = parseEndpoint(value, input);
          break;
        case 'platforms':
          platforms = value
            .split(',')
            .filter(Boolean)
            .map((p) => parsePlatform(p, input));
          break;
        case 'name':
          if (!NAME.test(value))
            throw new XplatError(
              `node name "${value}" may hold letters, digits, _ . - only`,
              input,
            );
          name = value;
          break;
        case 'servername':
          servername = value;
          break;
        default:
          throw new XplatError(
            `"${key}" is not a node setting; use endpoint, platforms, name or servername`,
            input,
          );
      }
    }
    if (!endpoint) throw new XplatError(`"${line}" has no endpoint (e.g. tcp://host:1234)`, input);
    if (!platforms.length)
      throw new XplatError(
        `node ${endpoint} needs platforms=... (e.g. platforms=windows/amd64): buildx cannot ask a remote node before it is added`,
        input,
      );
    nodes.push({
      endpoint,
      platforms,
      ...(name ? { name } : {}),
      ...(servername ? { servername } : {}),
    });
  }
  return nodes;
}

/** PEM text as given, or undefined; a file path is read by the caller (the action reads secrets, not files). */
function parsePem(text: string, input: string): string | undefined {
  const value = text.trim();
  if (!value) return undefined;
  if (!/^-----BEGIN [A-Z0-9 ]+-----/.test(value))
    throw new XplatError(
      'must be PEM text (-----BEGIN ...-----), e.g. from a secret; not a file path',
      input,
    );
  return `${value}\n`;
}

export function parseSetupInputs(raw: SetupInputs): SetupRequest {
  const get = (name: SetupInputName): string => raw[name] ?? '';
  const platforms = splitList(get('platforms')).map((p) => parsePlatform(p, 'platforms'));
  const name = get('name').trim();
  if (name && !NAME.test(name))
    throw new XplatError(
      `"${name}" is not a builder name: letters, digits, _ . - only, starting with a letter or digit`,
      'name',
    );
  const driver = parseChoice(get('driver'), 'driver', DRIVERS, 'auto');
  const endpoint = get('endpoint').trim() ? parseEndpoint(get('endpoint'), 'endpoint') : '';
  if (endpoint && driver !== 'remote' && driver !== 'auto')
    throw new XplatError(`an endpoint needs driver: remote (or auto), not ${driver}`, 'endpoint');
  if (driver === 'remote' && !endpoint && !get('append').trim())
    throw new XplatError(
      'driver: remote needs an endpoint (tcp://host:port of a BuildKit daemon)',
      'endpoint',
    );
  const append = parseAppend(get('append'));
  if (append.length && driver !== 'remote' && driver !== 'auto')
    throw new XplatError(
      `remote nodes need driver: remote or auto, not ${driver}: buildx cannot mix drivers in one builder`,
      'append',
    );
  const caCert = parsePem(get('tls-ca-cert'), 'tls-ca-cert');
  const cert = parsePem(get('tls-cert'), 'tls-cert');
  const key = parsePem(get('tls-key'), 'tls-key');
  const tls: TlsMaterial = {
    ...(caCert ? { caCert } : {}),
    ...(cert ? { cert } : {}),
    ...(key ? { key } : {}),
  };
  if (!!tls.cert !== !!tls.key)
    throw new XplatError(
      'a client certificate needs both tls-cert and tls-key',
      tls.cert ? 'tls-key' : 'tls-cert',
    );
  if ((tls.caCert || tls.cert) && !endpoint && !append.length)
    throw new XplatError(
      'TLS material is for remote nodes; give an endpoint or append',
      'tls-ca-cert',
    );
  const qemuImage = get('qemu-image').trim() || DEFAULT_QEMU_IMAGE;
  if (/\s/.test(qemuImage))
    throw new XplatError(`"${echo(qemuImage)}" is not an image reference`, 'qemu-image');
  // buildkitd's flags go to the builder container's command line: one line, no controls.
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(get('buildkitd-flags').trim()))
    throw new XplatError(
      'holds a line break or control character; give the flags on one line',
      'buildkitd-flags',
    );
  return {
    platforms,
    name,
    driver,
    endpoint,
    append,
    qemu: parseChoice(get('qemu'), 'qemu', ['auto', 'true', 'false'] as const, 'auto'),
    qemuImage,
    cleanup: parseBoolean(get('cleanup'), 'cleanup', true),
    builder: parseChoice(get('builder'), 'builder', ['auto', ...BUILDER_KINDS] as const, 'auto'),
    buildkitdFlags: get('buildkitd-flags').trim() || DEFAULT_BUILDKITD_FLAGS,
    driverOpts: splitDriverOpts(get('driver-opts')),
    tls,
  };
}

/** One `key=value` per line; commas stay inside a value (`env.http_proxy=a,b` is one option). */
function splitDriverOpts(text: string): string[] {
  return keyValueLines(text).map(({ line: o }) => {
    if (!/^[a-zA-Z][\w.-]*=/.test(o))
      throw new XplatError(
        `"${o}" is not a driver option: write key=value, one per line`,
        'driver-opts',
      );
    return o;
  });
}
