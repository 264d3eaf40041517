/**
 * The xplat.yml `xplat init` writes: the schema modeline for editors, a header saying where
 * each platform came from (and what was left out, and why), then the fields, written as
 * briefly as xplat.yml allows. One image is written as today (image, platforms); several
 * as `images:`, one entry each. A build that COPYs files the repository does not have
 * gets `prepare:` steps: the make target that writes them, with a comment saying to check
 * it builds for each platform, or, when init found none, a step that fails saying what
 * it must write. Written as steps, not as a comment, so the config lints clean (a missing
 * COPY source of a prepared leg is a warning) and the workflow works when the target is
 * right.
 */
import path from 'node:path';
import { Document, isMap, isScalar, type YAMLMap } from 'yaml';
import type { MissingSource } from './copy-sources.js';
import { CONFIG_SCHEMA_MODELINE, XPLAT_NPX } from './npm.js';
import { formatLeftOut, type Proposal, type ProposedPlatform } from './propose.js';

export interface InitOptions {
  readonly image: string;
  /** The context of legs that do not name their own. */
  readonly context: string;
  /** The Dockerfile of legs that do not name their own (default <context>/Dockerfile). */
  readonly dockerfile?: string;
  readonly smokePath?: string;
  /** Where the proposal came from, for the header. */
  readonly source: string;
}

/** What runs before the build: the files it must write, and the make target that does. */
export interface PreparePlaceholder {
  readonly missing: readonly MissingSource[];
  /** `make -C sub target VAR=$TARGETARCH` steps, one per target; empty: none found. */
  readonly steps: readonly {
    readonly run: string;
    readonly writes: readonly string[];
    /** Set when the step belongs under that OS family (`windows: { prepare: … }`). */
    readonly os?: 'linux' | 'windows';
  }[];
}

export interface InitImage {
  /** Set when xplat.yml lists `images:`. */
  readonly name?: string;
  readonly proposal: Proposal;
  readonly options: InitOptions;
  readonly prepare?: PreparePlaceholder;
}

type Fields = Record<string, unknown>;

const osOf = (p: ProposedPlatform) => p.platform.split('/')[0]!;

/**
 * Where each leg builds from: the first leg's file and context at the top level, an OS
 * family's at `linux:`/`windows:` when every leg of it shares one, a leg's own on its
 * entry; a target only where every leg below shares it. Resolved as loadConfig resolves:
 * entry, then family, then top level, then <context>/Dockerfile and the last stage.
 */
function placeFields(proposal: Proposal, options: InitOptions) {
  const legs = proposal.platforms;
  const contextOf = (p: ProposedPlatform) => p.context ?? options.context;
  const fileOf = (p: ProposedPlatform) =>
    p.dockerfile ?? options.dockerfile ?? path.posix.join(contextOf(p), 'Dockerfile');
  const top: Fields = {};
  const first = legs[0];
  const topContext = first ? contextOf(first) : options.context;
  if (topContext !== '.') top.context = topContext;
  if (first && fileOf(first) !== path.posix.join(topContext, 'Dockerfile'))
    top.dockerfile = fileOf(first);
  const shared = (list: readonly ProposedPlatform[], f: (p: ProposedPlatform) => unknown) =>
    list.length && list.every((p) => f(p) === f(list[0]!)) ? f(list[0]!) : undefined;
  const topTarget = shared(legs, (p) => p.target);
  if (topTarget) top.target = topTarget;

  const families: Record<string, Fields> = {};
  for (const os of ['linux', 'windows']) {
    const mine = legs.filter((p) => osOf(p) === os);
    if (!mine.length) continue;
    const family: Fields = {};
    const context = shared(mine, contextOf) as string | undefined;
    const file = shared(mine, fileOf) as string | undefined;
    if (context !== undefined && file !== undefined) {
      if (context !== topContext) family.context = context;
      const fallback =
        (top.dockerfile as string | undefined) ?? path.posix.join(context, 'Dockerfile');
      if (file !== fallback) family.dockerfile = file;
    }
    const target = shared(mine, (p) => p.target);
    if (target && !topTarget) family.target = target;
    if (os === 'windows' && shared(mine, (p) => p.buildOn) === 'linux')
      family['build-on'] = 'linux';
    if (Object.keys(family).length) families[os] = family;
  }
  // Build args every leg shares go to the top level, those every leg of a family shares to
  // its section (velero's BIN and PKG, from its Makefile, on all five legs).
  const argsOf = (p: ProposedPlatform): Readonly<Record<string, string>> => p.buildArgs ?? {};
  const sharedArgs = (list: readonly ProposedPlatform[], skip: Readonly<Record<string, string>>) =>
    Object.fromEntries(
      Object.entries(argsOf(list[0]!)).filter(
        ([k, v]) => !Object.hasOwn(skip, k) && list.every((p) => argsOf(p)[k] === v),
      ),
    );
  const topArgs = legs.length > 1 ? sharedArgs(legs, {}) : {};
  if (Object.keys(topArgs).length) top['build-args'] = topArgs;
  for (const os of ['linux', 'windows']) {
    const mine = legs.filter((p) => osOf(p) === os);
    const args = mine.length > 1 ? sharedArgs(mine, topArgs) : {};
    if (Object.keys(args).length) families[os] = { ...(families[os] ?? {}), 'build-args': args };
  }
  const ownArgs = (p: ProposedPlatform) => {
    const hoisted = { ...topArgs, ...((families[osOf(p)]?.['build-args'] as object) ?? {}) };
    const own = Object.entries(argsOf(p)).filter(([k]) => !Object.hasOwn(hoisted, k));
    return own.length ? Object.fromEntries(own) : undefined;
  };
  const entries = legs.map((p) => {
    const family = families[osOf(p)] ?? {};
    const context = (family.context as string | undefined) ?? topContext;
    const entry: Fields = {};
    if (contextOf(p) !== context) entry.context = contextOf(p);
    const file =
      (family.dockerfile as string | undefined) ??
      (top.dockerfile as string | undefined) ??
      path.posix.join(contextOf(p), 'Dockerfile');
    if (fileOf(p) !== file) entry.dockerfile = fileOf(p);
    if (p.target && !topTarget && !family.target) entry.target = p.target;
    if (p.buildOn && !family['build-on']) entry['build-on'] = p.buildOn;
    return entry;
  });
  return { top, families, entries, ownArgs };
}

/** The fields of one image (without `image:` order concerns: image first). */
function imageFields(image: InitImage): Fields {
  const { proposal, options } = image;
  const { top, families, entries, ownArgs } = placeFields(proposal, options);
  const data: Fields = {
    ...(image.name ? { name: image.name } : {}),
    image: options.image,
    ...top,
    ...families,
  };
  if (image.prepare) addPrepare(data, image.prepare);
  data.platforms = proposal.platforms.map((p, i) => {
    const args = ownArgs(p);
    const entry: Fields = {
      ...entries[i],
      ...(p.runsOn ? { 'runs-on': [...p.runsOn] } : {}),
      ...(args ? { 'build-args': args } : {}),
      ...(p.smokeSkip ? { smoke: { skip: p.smokeSkip } } : {}),
    };
    return Object.keys(entry).length ? { platform: p.platform, ...entry } : p.platform;
  });
  if (proposal.port !== undefined)
    data.smoke = { port: proposal.port, path: options.smokePath ?? '/' };
  return data;
}

/**
 * The prepare steps: under the image when one step (or none found) serves every leg, else
 * under each OS family's section (azuredisk's `make azuredisk` / `make azuredisk-windows`).
 * Without a target, one step that fails naming the files, so nothing builds without them.
 */
function addPrepare(data: Fields, prepare: PreparePlaceholder): void {
  const paths = [...new Set(prepare.missing.map((m) => m.path))];
  if (!prepare.steps.length) {
    data.prepare = [
      {
        name: 'Write the files the build COPYs',
        run: `echo "xplat.yml: replace this prepare: step with the commands that write ${paths.join(', ')}" >&2; exit 1`,
      },
    ];
    return;
  }
  const shared = prepare.steps.filter((step) => !step.os);
  if (shared.length) data.prepare = shared.map((step) => ({ run: step.run }));
  for (const os of ['linux', 'windows'] as const) {
    const mine = prepare.steps.filter((step) => step.os === os);
    if (!mine.length) continue;
    const family = (data[os] as Fields | undefined) ?? {};
    data[os] = { ...family, prepare: mine.map((step) => ({ run: step.run })) };
  }
}

/** The comment above the prepare steps: what the build misses, and what to check. */
export function prepareComment(prepare: PreparePlaceholder): string[] {
  const where = [...new Set(prepare.missing.map((m) => `${m.path} (${m.file}:${m.line})`))];
  return [
    ` The build COPYs files the repository does not have: ${where.join(', ')}.`,
    ...(prepare.steps.length
      ? [
          ` ${prepare.steps.length > 1 ? 'These make targets write' : 'make writes'} them before each build: check that ${prepare.steps.length > 1 ? 'each' : 'it'} builds for the`,
          " leg's platform (the step sees TARGETOS, TARGETARCH, TARGETVARIANT and XPLAT_PLATFORM).",
        ]
      : [
          ' Nothing in the repository writes them that init could find: replace the step below',
          ' with the commands that do (it fails until then, naming them).',
        ]),
  ];
}

/** Sets `comment` (lines without `#`) before whichever of `keys` comes first in `map`. */
function commentBefore(map: unknown, keys: readonly string[], comment: string[]): void {
  if (!isMap(map)) return;
  const pair = (map as YAMLMap).items.find(
    (p) => isScalar(p.key) && keys.includes(String(p.key.value)),
  );
  if (pair && isScalar(pair.key)) pair.key.commentBefore = comment.join('\n');
}

function header(images: readonly InitImage[], source: string): string[] {
  const named = images.length > 1;
  return [
    // First, so editors with the YAML language server complete and check the file.
    ` ${CONFIG_SCHEMA_MODELINE}`,
    ` xplat.yml, written by \`xplat init\` from ${source}. Edit it, then run`,
    ` \`${XPLAT_NPX} generate\` to write .github/workflows/xplat.yml (\`${XPLAT_NPX} plan\` shows the matrix).`,
    ...(named
      ? [
          ` ${images.length} images, one entry each under images: (each is fused and gated on its own).`,
        ]
      : []),
    ...images.flatMap((image) => {
      const prefix = named ? `${image.name}: ` : '';
      const { proposal } = image;
      return [
        ...proposal.notes.map((n) => ` - ${prefix}${n}`),
        ...(proposal.leftOut ?? []).map((l) => ` - ${prefix}left out ${formatLeftOut(l)}`),
        ...(proposal.port === undefined && proposal.platforms.length
          ? [
              ` - ${prefix}no EXPOSE found: add smoke: { port: ..., path: ... } to probe the service over HTTP.`,
            ]
          : []),
      ];
    }),
  ];
}

function render(data: Fields, images: readonly InitImage[], source: string): string {
  const doc = new Document(data, { aliasDuplicateObjects: false });
  doc.commentBefore = header(images, source).join('\n');
  const contents = doc.contents;
  // The comment goes above the first prepare: of the image (its own, else a family's).
  const where = ['prepare', 'linux', 'windows'];
  if (images.length === 1 && !images[0]!.name) {
    if (images[0]!.prepare) commentBefore(contents, where, prepareComment(images[0]!.prepare));
  } else if (isMap(contents)) {
    const list = contents.get('images', true) as { items?: unknown[] } | undefined;
    images.forEach((image, i) => {
      if (image.prepare) commentBefore(list?.items?.[i], where, prepareComment(image.prepare));
    });
  }
  return doc.toString({ lineWidth: 0, singleQuote: true });
}

/** The xplat.yml of one image: image, where legs build from, platforms, smoke. */
export function renderInitConfig(
  proposal: Proposal,
  options: InitOptions,
  prepare?: PreparePlaceholder,
): string {
  const image: InitImage = { proposal, options, ...(prepare ? { prepare } : {}) };
  return render(imageFields(image), [image], options.source);
}

/** The xplat.yml of several images: `images:`, one entry each, with its name. */
export function renderInitImages(images: readonly InitImage[], source: string): string {
  return render({ images: images.map(imageFields) }, images, source);
}
