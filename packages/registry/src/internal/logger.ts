/**
 * The part of @xplat/core's Logger this package uses: the action passes @actions/core's
 * functions, the CLI a console writer, tests a recorder; the default is core's
 * silentLogger. Nothing here ever receives a credential or an Authorization header:
 * messages name registries, repositories, digests and statuses only.
 */
import type { Logger } from '@xplat/core';

export type RegistryLogger = Pick<Logger, 'debug' | 'info' | 'warning'>;
