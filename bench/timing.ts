/**
 * Time the project's own tools: `npm run plan` of the prod stack, and the policy pack over 100 and
 * 1,000 resources (which should cost about 10× the first, not more).
 */
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { performance } from "node:perf_hooks";

const ROOT = join(__dirname, "..");

/** A read-replica pool as plain resources: StatefulSet, HPA, PDB, Services. `i` makes names unique. */
function poolResources(i: number): { type: string; name: string; props: Record<string, unknown> }[] {
  const name = `pg-${i}`;
  const labels = { "app.kubernetes.io/name": name };
  return [
    {
      type: "kubernetes:apps/v1:StatefulSet",
      name,
      props: {
        metadata: { name, namespace: "db", labels },
        spec: {
          serviceName: `${name}-headless`,
          selector: { matchLabels: labels },
          persistentVolumeClaimRetentionPolicy: { whenDeleted: "Retain", whenScaled: "Retain" },
          template: {
            metadata: { labels },
            spec: {
              containers: [
                {
                  name: "postgres",
                  image: "postgres:17",
                  resources: { requests: { cpu: "1", memory: "2Gi" } },
                  readinessProbe: { exec: { command: ["pg_isready"] } },
                },
              ],
            },
          },
          volumeClaimTemplates: [
            { metadata: { name: "data" }, spec: { storageClassName: "ballast-retain", resources: { requests: { storage: "50Gi" } } } },
          ],
        },
      },
    },
    {
      type: "kubernetes:autoscaling/v2:HorizontalPodAutoscaler",
      name: `${name}-hpa`,
      props: {
        metadata: { name: `${name}-hpa`, namespace: "db" },
        spec: {
          scaleTargetRef: { apiVersion: "apps/v1", kind: "StatefulSet", name },
          minReplicas: 2,
          maxReplicas: 10,
          metrics: [{ type: "Resource", resource: { name: "cpu", target: { type: "Utilization", averageUtilization: 70 } } }],
          behavior: {
            scaleDown: { stabilizationWindowSeconds: 600, policies: [{ type: "Pods", value: 1, periodSeconds: 300 }], selectPolicy: "Min" },
          },
        },
      },
    },
    {
      type: "kubernetes:policy/v1:PodDisruptionBudget",
      name: `${name}-pdb`,
      props: { metadata: { name: `${name}-pdb`, namespace: "db" }, spec: { maxUnavailable: 1, selector: { matchLabels: labels } } },
    },
    {
      type: "kubernetes:core/v1:Service",
      name: `${name}-headless`,
      props: { metadata: { name: `${name}-headless`, namespace: "db" }, spec: { clusterIP: "None", selector: labels } },
    },
    {
      type: "kubernetes:core/v1:Service",
      name: `${name}-read`,
      props: { metadata: { name: `${name}-read`, namespace: "db" }, spec: { selector: labels } },
    },
  ];
}

function timePack(count: number): { ms: number; violations: number } | string {
  const offline = join(ROOT, "policies", "offline.ts");
  if (!existsSync(offline)) return "policies/offline.ts not found";
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const pack = require(offline) as { runPolicyPack: (r: readonly object[]) => unknown[] };
  const resources: object[] = [];
  for (let i = 0; resources.length < count; i++) resources.push(...poolResources(i));
  resources.length = count;
  // Warm up (module loading, JIT), then repeat for at least half a second and take the median run.
  for (let r = 0; r < 20; r++) pack.runPolicyPack(resources);
  const times: number[] = [];
  let violations = 0;
  const begin = performance.now();
  while (performance.now() - begin < 500 || times.length < 5) {
    const start = performance.now();
    violations = pack.runPolicyPack(resources).length;
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  return { ms: times[Math.floor(times.length / 2)] as number, violations };
}

function timePlan(): string {
  if (!existsSync(join(ROOT, "tools", "plan.ts"))) return "`tools/plan.ts` is not in the tree yet: not timed";
  const start = performance.now();
  const r = spawnSync(process.execPath, [require.resolve("tsx/cli"), "tools/plan.ts", "--stack", "prod"], {
    cwd: ROOT,
    encoding: "utf8",
    timeout: 300_000,
  });
  const s = (performance.now() - start) / 1000;
  return r.status === 0 ? `${s.toFixed(1)} s (exit 0)` : `${s.toFixed(1)} s, exit ${r.status}: ${(r.stderr || r.stdout).split("\n")[0]}`;
}

export function timeTools(): string {
  const lines = ["Tool timings:", "", `- \`npm run plan -- --stack prod\`: ${timePlan()}`];
  const p100 = timePack(100);
  const p1000 = timePack(1000);
  if (typeof p100 === "string" || typeof p1000 === "string") lines.push(`- policy pack: ${typeof p100 === "string" ? p100 : p1000}`);
  else {
    lines.push(`- policy pack over 100 resources: ${p100.ms.toFixed(2)} ms (${p100.violations} violations)`);
    lines.push(
      `- policy pack over 1,000 resources: ${p1000.ms.toFixed(2)} ms (${p1000.violations} violations), ${(p1000.ms / p100.ms).toFixed(1)}× the first`,
    );
  }
  return lines.join("\n") + "\n";
}
