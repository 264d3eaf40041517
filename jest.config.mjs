// ESM all the way: the @actions/* packages are ESM-only, so tests run under Node's
// VM modules (scripts/test.sh sets --experimental-vm-modules) and ts-jest emits ESM.
// ts-jest only transpiles here (isolatedModules in tsconfig.json); `npm run typecheck`
// is the type check, so a type error fails CI once rather than in every test file.
export default {
  testEnvironment: 'node',
  roots: ['<rootDir>/packages', '<rootDir>/actions', '<rootDir>/test'],
  testMatch: ['**/test/**/*.test.ts'],
  extensionsToTreatAsEsm: ['.ts'],
  moduleNameMapper: {
    '^@xplat/([a-z-]+)$': '<rootDir>/packages/$1/src/index.ts',
    // A module a package exports on its own (`@xplat/core/free-port`), out of its index.
    '^@xplat/([a-z-]+)/([a-z-]+)$': '<rootDir>/packages/$1/src/$2.ts',
    '^(\\.{1,2}/.*)\\.js$': '$1',
  },
  transform: {
    '^.+\\.ts$': ['ts-jest', { useESM: true, tsconfig: '<rootDir>/tsconfig.json' }],
  },
  globalSetup: '<rootDir>/test/global-setup.mjs',
  testTimeout: 60_000,
  maxWorkers: 2,
};
