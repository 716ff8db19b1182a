/**
 * `npm run simulate`: replay a load trace through an HPA or KEDA ScaledObject sizing a stateful
 * workload. See tools/sim/cli.ts for the options and tools/sim/engine.ts for the semantics.
 */
import { runCli } from "./sim/cli";

process.exitCode = runCli(process.argv.slice(2), {
  out: (text) => void process.stdout.write(text),
  err: (text) => void process.stderr.write(text),
});
