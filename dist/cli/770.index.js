export const id = 770;
export const ids = [770];
export const modules = {

/***/ 1770:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

// ESM COMPAT FLAG
__webpack_require__.r(__webpack_exports__);

// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  legResultSchema: () => (/* binding */ legResultSchema),
  validateLegResult: () => (/* binding */ validateLegResult)
});

// EXTERNAL MODULE: ./node_modules/zod/v4/classic/schemas.js + 6 modules
var schemas = __webpack_require__(6921);
// EXTERNAL MODULE: ./node_modules/zod/v4/core/api.js
var api = __webpack_require__(3759);
;// CONCATENATED MODULE: ./node_modules/zod/v4/classic/iso.js



function datetime(params) {
    return api/* _isoDateTime */.G1(schemas/* ZodISODateTime */.You, params);
}
function date(params) {
    return core._isoDate(ZodISODate, params);
}
function time(params) {
    return core._isoTime(ZodISOTime, params);
}
function duration(params) {
    return core._isoDuration(ZodISODuration, params);
}

// EXTERNAL MODULE: ./packages/core/src/builders.ts
var builders = __webpack_require__(6093);
// EXTERNAL MODULE: ./packages/core/src/errors.ts
var errors = __webpack_require__(7638);
// EXTERNAL MODULE: ./packages/core/src/leg-result.ts
var leg_result = __webpack_require__(2819);
// EXTERNAL MODULE: ./packages/core/src/platform.ts
var platform = __webpack_require__(1266);
;// CONCATENATED MODULE: ./packages/core/src/leg-result-schema.ts
/**
 * The leg result's schema (zod), strict: an unknown field, a malformed digest or a wrong
 * type is an error that names the file and the field. Its own module so that zod loads
 * only when a leg result is really read or written (leg-result.ts imports it on demand),
 * not with every action's start.
 */





const platformString = schemas/* string */.YjP().superRefine((value, ctx) => {
    try {
        (0,platform/* parsePlatform */.FL)(value);
    }
    catch (error) {
        ctx.addIssue({
            code: 'custom',
            message: error instanceof errors/* XplatError */.ii ? error.reason : String(error),
        });
    }
});
const osVersionString = schemas/* string */.YjP().superRefine((value, ctx) => {
    try {
        (0,platform/* parseWindowsVersion */.Vx)(value);
    }
    catch {
        ctx.addIssue({
            code: 'custom',
            message: `"${(0,errors/* echo */.WI)(value)}" is not an os.version such as 10.0.20348.2655`,
        });
    }
});
/** A runner's name as the leg result records it: one line, short, printable. */
const runnerName = schemas/* string */.YjP()
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
const builtOnSchema = schemas/* object */.Ikc({
    platform: platformString,
    runner: runnerName.optional(),
})
    .strict();
const smokeCheckSchema = schemas/* object */.Ikc({
    name: schemas/* string */.YjP().min(1),
    status: schemas/* enum */.k5n(['passed', 'failed', 'skipped']),
    durationMs: schemas/* number */.aig().nonnegative().optional(),
    detail: schemas/* string */.YjP().optional(),
})
    .strict();
const smokeSchema = schemas/* object */.Ikc({
    /** `pending` until smoke-test has run; only `passed` opens the gate. */
    status: schemas/* enum */.k5n(['pending', 'passed', 'failed', 'skipped']),
    checks: schemas/* array */.YOg(smokeCheckSchema),
    readyMs: schemas/* number */.aig().nonnegative().optional(),
    durationMs: schemas/* number */.aig().nonnegative().optional(),
    reason: schemas/* string */.YjP().optional(),
    finishedAt: datetime().optional(),
})
    .strict();
const legResultSchema = schemas/* object */.Ikc({
    schema: schemas/* literal */.euz(leg_result/* LEG_RESULT_SCHEMA */.r9),
    platform: platformString,
    osVersion: osVersionString.optional(),
    image: schemas/* string */.YjP().min(1),
    /** Empty only in a failed leg's result: nothing was built. */
    digest: schemas/* string */.YjP(),
    pushed: schemas/* boolean */.zMY(),
    tags: schemas/* array */.YOg(schemas/* string */.YjP().min(1)),
    builder: schemas/* enum */.k5n(builders/* BUILDER_KINDS */.m),
    builtOn: builtOnSchema.optional(),
    timings: schemas/* object */.Ikc({
        startedAt: datetime(),
        finishedAt: datetime(),
        buildMs: schemas/* number */.aig().nonnegative(),
        pushMs: schemas/* number */.aig().nonnegative().optional(),
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
    reproducible: schemas/* boolean */.zMY().optional(),
    reproducibleReason: schemas/* string */.YjP().min(1).max(500).optional(),
    source: schemas/* object */.Ikc({
        sha: schemas/* string */.YjP().optional(),
        ref: schemas/* string */.YjP().optional(),
        runId: schemas/* string */.YjP().optional(),
        /** GITHUB_RUN_ATTEMPT of the build: a fuse refuses a leg of a later attempt. */
        runAttempt: schemas/* string */.YjP()
            .regex(/^[1-9][0-9]{0,5}$/, 'must be a run attempt: 1, 2, ...')
            .optional(),
        job: schemas/* string */.YjP().optional(),
        /** The commit's time, which the image's times were set to (SOURCE_DATE_EPOCH). */
        time: datetime().optional(),
    })
        .strict()
        .optional(),
    /**
     * The build did not produce an image (refused before building, or failed): the leg is
     * failed, and the gate says why instead of "missing".
     */
    failure: schemas/* object */.Ikc({ step: schemas/* literal */.euz('build'), reason: schemas/* string */.YjP().min(1) })
        .strict()
        .optional(),
})
    .strict()
    .superRefine((result, ctx) => {
    if (result.failure && result.digest === '')
        return;
    if (!leg_result/* DIGEST_PATTERN */.WA.test(result.digest))
        ctx.addIssue({
            code: 'custom',
            path: ['digest'],
            message: 'must be sha256: followed by 64 lowercase hex digits',
        });
});
/** Validate parsed JSON as a leg result; `file` names the source in errors. */
function validateLegResult(data, file) {
    const parsed = legResultSchema.safeParse(data);
    if (parsed.success)
        return parsed.data;
    const issue = parsed.error.issues[0];
    const path = issue.code === 'unrecognized_keys' ? [...issue.path, issue.keys[0]] : issue.path;
    const field = path.length ? path.join('.') : '(root)';
    const message = issue.code === 'unrecognized_keys'
        ? `unknown field, not part of ${leg_result/* LEG_RESULT_SCHEMA */.r9}`
        : field === 'schema'
            ? `schema must be "${leg_result/* LEG_RESULT_SCHEMA */.r9}"`
            : issue.message;
    return failLegResult(file, field, message);
}
function failLegResult(file, field, message) {
    throw new errors/* XplatError */.ii(`invalid leg result, field ${field}: ${message}`, file);
}


/***/ })

};
