export const id = 831;
export const ids = [831];
export const modules = {

/***/ 2831:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

__webpack_require__.r(__webpack_exports__);
/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   legResultSchema: () => (/* binding */ legResultSchema),
/* harmony export */   validateLegResult: () => (/* binding */ validateLegResult)
/* harmony export */ });
/* harmony import */ var zod__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(2857);
/* harmony import */ var zod__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(4377);
/* harmony import */ var _builders_js__WEBPACK_IMPORTED_MODULE_5__ = __webpack_require__(6093);
/* harmony import */ var _errors_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(7638);
/* harmony import */ var _leg_result_js__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(2819);
/* harmony import */ var _platform_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(1266);
/**
 * The leg result's schema (zod), strict: an unknown field, a malformed digest or a wrong
 * type is an error that names the file and the field. Its own module so that zod loads
 * only when a leg result is really read or written (leg-result.ts imports it on demand),
 * not with every action's start.
 */





const platformString = zod__WEBPACK_IMPORTED_MODULE_0__/* .string */ .YjP().superRefine((value, ctx) => {
    try {
        (0,_platform_js__WEBPACK_IMPORTED_MODULE_1__/* .parsePlatform */ .FL)(value);
    }
    catch (error) {
        ctx.addIssue({
            code: 'custom',
            message: error instanceof _errors_js__WEBPACK_IMPORTED_MODULE_2__/* .XplatError */ .ii ? error.reason : String(error),
        });
    }
});
const osVersionString = zod__WEBPACK_IMPORTED_MODULE_0__/* .string */ .YjP().superRefine((value, ctx) => {
    try {
        (0,_platform_js__WEBPACK_IMPORTED_MODULE_1__/* .parseWindowsVersion */ .Vx)(value);
    }
    catch {
        ctx.addIssue({
            code: 'custom',
            message: `"${(0,_errors_js__WEBPACK_IMPORTED_MODULE_2__/* .echo */ .WI)(value)}" is not an os.version such as 10.0.20348.2655`,
        });
    }
});
/** A runner's name as the leg result records it: one line, short, printable. */
const runnerName = zod__WEBPACK_IMPORTED_MODULE_0__/* .string */ .YjP()
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
const builtOnSchema = zod__WEBPACK_IMPORTED_MODULE_0__/* .object */ .Ikc({
    platform: platformString,
    runner: runnerName.optional(),
})
    .strict();
const smokeCheckSchema = zod__WEBPACK_IMPORTED_MODULE_0__/* .object */ .Ikc({
    name: zod__WEBPACK_IMPORTED_MODULE_0__/* .string */ .YjP().min(1),
    status: zod__WEBPACK_IMPORTED_MODULE_0__/* ["enum"] */ .k5n(['passed', 'failed', 'skipped']),
    durationMs: zod__WEBPACK_IMPORTED_MODULE_0__/* .number */ .aig().nonnegative().optional(),
    detail: zod__WEBPACK_IMPORTED_MODULE_0__/* .string */ .YjP().optional(),
})
    .strict();
const smokeSchema = zod__WEBPACK_IMPORTED_MODULE_0__/* .object */ .Ikc({
    /** `pending` until smoke-test has run; only `passed` opens the gate. */
    status: zod__WEBPACK_IMPORTED_MODULE_0__/* ["enum"] */ .k5n(['pending', 'passed', 'failed', 'skipped']),
    checks: zod__WEBPACK_IMPORTED_MODULE_0__/* .array */ .YOg(smokeCheckSchema),
    readyMs: zod__WEBPACK_IMPORTED_MODULE_0__/* .number */ .aig().nonnegative().optional(),
    durationMs: zod__WEBPACK_IMPORTED_MODULE_0__/* .number */ .aig().nonnegative().optional(),
    reason: zod__WEBPACK_IMPORTED_MODULE_0__/* .string */ .YjP().optional(),
    finishedAt: zod__WEBPACK_IMPORTED_MODULE_3__/* .datetime */ .w$().optional(),
})
    .strict();
const legResultSchema = zod__WEBPACK_IMPORTED_MODULE_0__/* .object */ .Ikc({
    schema: zod__WEBPACK_IMPORTED_MODULE_0__/* .literal */ .euz(_leg_result_js__WEBPACK_IMPORTED_MODULE_4__/* .LEG_RESULT_SCHEMA */ .r9),
    platform: platformString,
    osVersion: osVersionString.optional(),
    image: zod__WEBPACK_IMPORTED_MODULE_0__/* .string */ .YjP().min(1),
    /** Empty only in a failed leg's result: nothing was built. */
    digest: zod__WEBPACK_IMPORTED_MODULE_0__/* .string */ .YjP(),
    pushed: zod__WEBPACK_IMPORTED_MODULE_0__/* .boolean */ .zMY(),
    tags: zod__WEBPACK_IMPORTED_MODULE_0__/* .array */ .YOg(zod__WEBPACK_IMPORTED_MODULE_0__/* .string */ .YjP().min(1)),
    builder: zod__WEBPACK_IMPORTED_MODULE_0__/* ["enum"] */ .k5n(_builders_js__WEBPACK_IMPORTED_MODULE_5__/* .BUILDER_KINDS */ .m),
    builtOn: builtOnSchema.optional(),
    timings: zod__WEBPACK_IMPORTED_MODULE_0__/* .object */ .Ikc({
        startedAt: zod__WEBPACK_IMPORTED_MODULE_3__/* .datetime */ .w$(),
        finishedAt: zod__WEBPACK_IMPORTED_MODULE_3__/* .datetime */ .w$(),
        buildMs: zod__WEBPACK_IMPORTED_MODULE_0__/* .number */ .aig().nonnegative(),
        pushMs: zod__WEBPACK_IMPORTED_MODULE_0__/* .number */ .aig().nonnegative().optional(),
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
    reproducible: zod__WEBPACK_IMPORTED_MODULE_0__/* .boolean */ .zMY().optional(),
    reproducibleReason: zod__WEBPACK_IMPORTED_MODULE_0__/* .string */ .YjP().min(1).max(500).optional(),
    source: zod__WEBPACK_IMPORTED_MODULE_0__/* .object */ .Ikc({
        sha: zod__WEBPACK_IMPORTED_MODULE_0__/* .string */ .YjP().optional(),
        ref: zod__WEBPACK_IMPORTED_MODULE_0__/* .string */ .YjP().optional(),
        runId: zod__WEBPACK_IMPORTED_MODULE_0__/* .string */ .YjP().optional(),
        /** GITHUB_RUN_ATTEMPT of the build: a fuse refuses a leg of a later attempt. */
        runAttempt: zod__WEBPACK_IMPORTED_MODULE_0__/* .string */ .YjP()
            .regex(/^[1-9][0-9]{0,5}$/, 'must be a run attempt: 1, 2, ...')
            .optional(),
        job: zod__WEBPACK_IMPORTED_MODULE_0__/* .string */ .YjP().optional(),
        /** The commit's time, which the image's times were set to (SOURCE_DATE_EPOCH). */
        time: zod__WEBPACK_IMPORTED_MODULE_3__/* .datetime */ .w$().optional(),
    })
        .strict()
        .optional(),
    /**
     * The build did not produce an image (refused before building, or failed): the leg is
     * failed, and the gate says why instead of "missing".
     */
    failure: zod__WEBPACK_IMPORTED_MODULE_0__/* .object */ .Ikc({ step: zod__WEBPACK_IMPORTED_MODULE_0__/* .literal */ .euz('build'), reason: zod__WEBPACK_IMPORTED_MODULE_0__/* .string */ .YjP().min(1) })
        .strict()
        .optional(),
})
    .strict()
    .superRefine((result, ctx) => {
    if (result.failure && result.digest === '')
        return;
    if (!_leg_result_js__WEBPACK_IMPORTED_MODULE_4__/* .DIGEST_PATTERN */ .WA.test(result.digest))
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
        ? `unknown field, not part of ${_leg_result_js__WEBPACK_IMPORTED_MODULE_4__/* .LEG_RESULT_SCHEMA */ .r9}`
        : field === 'schema'
            ? `schema must be "${_leg_result_js__WEBPACK_IMPORTED_MODULE_4__/* .LEG_RESULT_SCHEMA */ .r9}"`
            : issue.message;
    return failLegResult(file, field, message);
}
function failLegResult(file, field, message) {
    throw new _errors_js__WEBPACK_IMPORTED_MODULE_2__/* .XplatError */ .ii(`invalid leg result, field ${field}: ${message}`, file);
}


/***/ })

};
