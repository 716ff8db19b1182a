/**
 * `npm run simulate`: replay a load trace through an HPA or KEDA ScaledObject sizing a stateful
 * workload. See tools/simulateCli.ts for the options and sim/engine.ts for the semantics.
 */
import { runCli } from "./simulateCli";

process.exitCode = runCli(process.argv.slice(2), {
  out: (text) => void process.stdout.write(text),
  err: (text) => void process.stderr.write(text),
});
