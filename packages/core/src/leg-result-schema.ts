/**
 * The leg result's schema (zod), strict: an unknown field, a malformed digest or a wrong
 * type is an error that names the file and the field. Its own module so that zod loads
 * only when a leg result is really read or written (leg-result.ts imports it on demand),
 * not with every action's start.
 */
import { z } from 'zod';
import { BUILDER_KINDS } from './builders.js';
import { echo, XplatError } from './errors.js';
import { DIGEST_PATTERN, LEG_RESULT_SCHEMA } from './leg-result.js';
import { parsePlatform, parseWindowsVersion } from './platform.js';

const platformString = z.string().superRefine((value, ctx) => {
  try {
    parsePlatform(value);
  } catch (error) {
    ctx.addIssue({
      code: 'custom',
      message: error instanceof XplatError ? error.reason : String(error),
    });
  }
});

const osVersionString = z.string().superRefine((value, ctx) => {
  try {
    parseWindowsVersion(value);
  } catch {
    ctx.addIssue({
      code: 'custom',
      message: `"${echo(value)}" is not an os.version such as 10.0.20348.2655`,
    });
  }
});

/** A runner's name as the leg result records it: one line, short, printable. */
const runnerName = z
  .string()
  .min(1)
  .max(200)
  // eslint-disable-next-line no-control-regex
  .regex(/^[^\u0000-\u001f\u007f]*$/, 'must be one line without control characters');

/**
 * Where the build step ran. `platform` is the engine of the runner that ran it, in the
 * leg's own one-string form: `linux/amd64`, or a Windows engine with its build
 * (`windows/amd64:10.0.20348.3207`). For buildx with remote nodes it is still the runner's
 * engine, not the node's. `runner` is the GitHub-hosted image (`ImageOS/ImageVersion`,
 * e.g. `ubuntu24/20250105.1.0`), else a self-hosted runner's RUNNER_NAME; absent outside
 * GitHub Actions. A Windows image built by BuildKit on a Linux runner (build-on: linux)
 * says so here: `platform` is Windows, `builtOn.platform` is Linux. Optional: results
 * written before it existed stay valid.
 */
const builtOnSchema = z
  .object({
    platform: platformString,
    runner: runnerName.optional(),
  })
  .strict();

const smokeCheckSchema = z
  .object({
    name: z.string().min(1),
    status: z.enum(['passed', 'failed', 'skipped']),
    durationMs: z.number().nonnegative().optional(),
    detail: z.string().optional(),
  })
  .strict();

const smokeSchema = z
  .object({
    /** `pending` until smoke-test has run; only `passed` opens the gate. */
    status: z.enum(['pending', 'passed', 'failed', 'skipped']),
    checks: z.array(smokeCheckSchema),
    readyMs: z.number().nonnegative().optional(),
    durationMs: z.number().nonnegative().optional(),
    reason: z.string().optional(),
    finishedAt: z.iso.datetime().optional(),
  })
  .strict();

export const legResultSchema = z
  .object({
    schema: z.literal(LEG_RESULT_SCHEMA),
    platform: platformString,
    osVersion: osVersionString.optional(),
    image: z.string().min(1),
    /** Empty only in a failed leg's result: nothing was built. */
    digest: z.string(),
    pushed: z.boolean(),
    tags: z.array(z.string().min(1)),
    builder: z.enum(BUILDER_KINDS),
    builtOn: builtOnSchema.optional(),
    timings: z
      .object({
        startedAt: z.iso.datetime(),
        finishedAt: z.iso.datetime(),
        buildMs: z.number().nonnegative(),
        pushMs: z.number().nonnegative().optional(),
      })
      .strict(),
    smoke: smokeSchema,
    /**
     * Whether a rebuild of the same commit gives the same digest: its times come from the
     * commit (SOURCE_DATE_EPOCH) and the builder can keep its layers. `reproducibleReason`
     * says how far (any machine, or the same machine with its build cache) or why not (an
     * uncommitted change, the classic builder). Optional: results written before it
     * existed stay valid.
     */
    reproducible: z.boolean().optional(),
    reproducibleReason: z.string().min(1).max(500).optional(),
    source: z
      .object({
        sha: z.string().optional(),
        ref: z.string().optional(),
        runId: z.string().optional(),
        /** GITHUB_RUN_ATTEMPT of the build: a fuse refuses a leg of a later attempt. */
        runAttempt: z
          .string()
          .regex(/^[1-9][0-9]{0,5}$/, 'must be a run attempt: 1, 2, ...')
          .optional(),
        job: z.string().optional(),
        /** The commit's time, which the image's times were set to (SOURCE_DATE_EPOCH). */
        time: z.iso.datetime().optional(),
      })
      .strict()
      .optional(),
    /**
     * The build did not produce an image (refused before building, or failed): the leg is
     * failed, and the gate says why instead of "missing".
     */
    failure: z
      .object({ step: z.literal('build'), reason: z.string().min(1) })
      .strict()
      .optional(),
  })
  .strict()
  .superRefine((result, ctx) => {
    if (result.failure && result.digest === '') return;
    if (!DIGEST_PATTERN.test(result.digest))
      ctx.addIssue({
        code: 'custom',
        path: ['digest'],
        message: 'must be sha256: followed by 64 lowercase hex digits',
      });
  });

export type LegResult = z.infer<typeof legResultSchema>;
export type SmokeResult = LegResult['smoke'];
export type BuiltOn = NonNullable<LegResult['builtOn']>;
export type SmokeCheck = SmokeResult['checks'][number];

/** Validate parsed JSON as a leg result; `file` names the source in errors. */
export function validateLegResult(data: unknown, file: string): LegResult {
  const parsed = legResultSchema.safeParse(data);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  const path = issue.code === 'unrecognized_keys' ? [...issue.path, issue.keys[0]] : issue.path;
  const field = path.length ? path.join('.') : '(root)';
  const message =
    issue.code === 'unrecognized_keys'
      ? `unknown field, not part of ${LEG_RESULT_SCHEMA}`
      : field === 'schema'
        ? `schema must be "${LEG_RESULT_SCHEMA}"`
        : issue.message;
  return failLegResult(file, field, message);
}

function failLegResult(file: string, field: string, message: string): never {
  throw new XplatError(`invalid leg result, field ${field}: ${message}`, file);
}
