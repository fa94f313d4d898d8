// `npm run test:reliability`: the reliability suite (test/reliability/*.reliability.spec.ts) on the
// integration project's setup (one embedded PostgreSQL per run, a database per test file). Kept
// out of the default `npm test` run: see test/reliability/README.md for its duration and sizes.
const root = require('../../jest.config.js');
const integration = root.projects.find((p) => p.displayName === 'integration');

module.exports = {
  ...integration,
  displayName: 'reliability',
  testMatch: ['<rootDir>/test/reliability/**/*.reliability.spec.ts'],
  testTimeout: 600_000,
  // A failed chaos test may leave sockets or a stuck pool behind: they must not hang the run.
  forceExit: true,
};
