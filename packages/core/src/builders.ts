/**
 * The builders a platform image can be built with (engine's builder selection, the
 * leg result's `builder`, the linter's BuildKit-only checks, the `builder` inputs and
 * flags): one list, so a fourth builder is added in one place.
 * - buildx: a buildx builder (Linux runners; remote BuildKit nodes appended to it);
 * - buildkit: `DOCKER_BUILDKIT=1 docker build` with BuildKit built into the CLI, no buildx;
 * - classic: the engine's own builder (the only one on hosted Windows runners).
 */
export const BUILDER_KINDS = ['buildx', 'buildkit', 'classic'] as const;
export type BuilderKind = (typeof BUILDER_KINDS)[number];
