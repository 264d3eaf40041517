/**
 * The real parts integration tests run against: a Docker engine, two registries on
 * 127.0.0.1 (one open, one with basic auth) and fixture images pushed to them. Started
 * by scripts/testbed/up.sh (npm test does it); a test that needs it and finds it absent
 * fails with a message saying so, it is never skipped.
 */
export interface Testbed {
  readonly dockerHost: string;
  readonly docker: string;
  readonly openRegistry: string;
  readonly authRegistry: string;
  readonly user: string;
  readonly password: string;
  env(key: string): string;
}

export function testbed(): Testbed {
  const env = (key: string): string => {
    const value = process.env[key];
    if (!value) {
      throw new Error(
        `test bed not up: ${key} is not set. Run "npm test" (it starts the test bed) or "bash scripts/testbed/up.sh"`,
      );
    }
    return value;
  };
  return {
    dockerHost: env('DOCKER_HOST'),
    docker: env('XPLAT_DOCKER'),
    openRegistry: env('XPLAT_REGISTRY_OPEN'),
    authRegistry: env('XPLAT_REGISTRY_AUTH'),
    user: env('XPLAT_REGISTRY_USER'),
    password: env('XPLAT_REGISTRY_PASSWORD'),
    env,
  };
}

/** A repository name no earlier run used, so tests never see each other's tags. */
export function uniqueRepository(prefix: string): string {
  return `${prefix}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 6)}`;
}
