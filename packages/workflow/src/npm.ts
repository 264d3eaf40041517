/**
 * How a repository runs xplat without cloning it: the npm package of the CLI (its bin
 * `xplat` is the bundle, dist/cli/index.js; npm/package.json) at the major the generated
 * workflows follow, and where editors find the schema of xplat.yml.
 */
import { XPLAT_MAJOR, XPLAT_REPOSITORY } from './pins.js';

/** The npm package of the CLI: npm/package.json's `name` (a test keeps them equal). */
export const XPLAT_NPM_PACKAGE = 'xplat';

/**
 * The command users run, at xplat's major (`npx xplat@1`): what the README, `xplat init`
 * and the generated workflow's header tell them to run.
 */
export const XPLAT_NPX = `npx ${XPLAT_NPM_PACKAGE}@${XPLAT_MAJOR.replace(/^v/, '')}`;

/**
 * The JSON schema of xplat.yml for editors: the committed xplat.schema.json (kept current
 * by a test) at xplat's major tag on GitHub, the same repository and tag the generated
 * workflow's `uses:` name. The release workflow moves the tag to each release, so the
 * schema follows the major users run, and the URL needs nothing but the repository (the
 * npm package carries the same file: https://cdn.jsdelivr.net/npm/xplat@1/xplat.schema.json).
 */
export const CONFIG_SCHEMA_URL = `https://raw.githubusercontent.com/${XPLAT_REPOSITORY}/${XPLAT_MAJOR}/xplat.schema.json`;

/** The first comment of xplat.yml: the YAML language server (VS Code's YAML extension and others) completes and checks the file with the schema. */
export const CONFIG_SCHEMA_MODELINE = `yaml-language-server: $schema=${CONFIG_SCHEMA_URL}`;
