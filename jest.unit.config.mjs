// The unit tests: every test but the *.integration.test.ts files, which need the test bed.
// A config of its own (not a --testPathIgnorePatterns flag) so that `npm run test:unit --
// packages/core` takes the path as a test path: the flag is an array and swallows it.
import base from './jest.config.mjs';

export default {
  ...base,
  testPathIgnorePatterns: ['/node_modules/', '\\.integration\\.test\\.ts$'],
};
