/**
 * @xplat/workflow: the xplat.yml schema and loader, the runner map, workflow generation
 * (a repository's workflow, the reusable and the starter workflow), plans, `xplat init`'s
 * proposal, and the checks that keep committed workflows in sync.
 */
export * from './action-inputs.js';
export * from './config.js';
export * from './dependabot.js';
export * from './diff.js';
export * from './dockerfile-files.js';
export * from './dockerfile-os.js';
export * from './files.js';
export * from './generate.js';
export * from './gitignore.js';
export * from './init.js';
export * from './json.js';
export * from './leg-inputs.js';
export * from './npm.js';
export * from './pins.js';
export * from './plan.js';
export * from './propose.js';
export * from './propose-check.js';
export * from './init-render.js';
export * from './image-groups.js';
export * from './makefile.js';
export * from './copy-sources.js';
export * from './dockerfile-stages.js';
export * from './release-args.js';
export * from './reusable.js';
export * from './reusable-matrix.js';
export * from './schema.js';
export * from './starter.js';
export * from './tags.js';
export * from './pin-xplat.js';
export * from './xplat-release.js';
export * from './keep-newer-xplat.js';
