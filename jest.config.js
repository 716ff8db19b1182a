/** Type errors are caught by `tsc --noEmit` in `npm test`; ts-jest only transpiles, which keeps the suite fast. */
module.exports = {
  testEnvironment: "node",
  roots: ["<rootDir>/test"],
  testMatch: ["**/*.test.ts"],
  transform: { "^.+\\.ts$": ["ts-jest", { diagnostics: false }] },
  testTimeout: 30000,
  // Two cores: many suites wait on child processes (the program under cmd/run, PostgreSQL servers).
  maxWorkers: 2,
  reporters: ["default", "<rootDir>/test/helpers/closingLine.js"],
};
