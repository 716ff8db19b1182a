/**
 * Runs the program under `cmd/run` without ts-node's type check, through the switch the Node.js
 * language host honours (`PULUMI_NODEJS_TRANSPILE_ONLY`): for suites that plan many stacks to test
 * what the program renders, where the check costs about half of each run. The program is still
 * type-checked: by `tsc --noEmit` in `npm test`, and under `cmd/run` itself, as the CLI runs it, by
 * test/infra/runtime.test.ts and the README's `npm run plan` in test/stacks.test.ts.
 *
 * Jest gives each test file its own `process.env`, and the plan passes it to the program, so this
 * holds for the calling file only.
 */
export function transpileProgramsOnly(): void {
  process.env.PULUMI_NODEJS_TRANSPILE_ONLY = "true";
}
