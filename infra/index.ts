// Entry point for `pulumi up` / `pulumi preview` (Pulumi.yaml: `main: infra/`). The offline plan
// (`npm run plan`) runs the same `ballast()` under Pulumi's mock runtime.
import { ballast } from "./program";

export = ballast();
