/**
 * The transition check (`npm run plan -- --against <dir>`): each day-2 change as a pair of stack
 * files planned one after the other, with the transitions.json entries, the resources sent and the
 * refusals; then the rules of `compareRenders` on hand-made renders.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { plan, planCommand } from "../../tools/plan";
import { compareRenders, transitionRefusals, type RenderedObject, type Transition } from "../../tools/lib/transitions";
import { useTempDir } from "../helpers/tempDir";
import { transpileProgramsOnly } from "../helpers/transpileOnly";

transpileProgramsOnly();

const tmp = useTempDir("ballast-transitions-");

interface Change {
  readonly events: string;
  readonly ordersMax?: number;
  readonly maintenance?: string;
}

/** A small stack: one storage class, the `events` workload as given, the `orders` database. */
function stackYaml(c: Change): string {
  return [
    "config:",
    "  ballast:namespace: data",
    "  ballast:cluster: { provider: eks, networkPolicy: enforced }",
    ...(c.maintenance ? [`  ballast:maintenance: [${c.maintenance}]`] : []),
    "  ballast:storageClasses:",
    "    - { name: gp3, preset: aws-ebs }",
    "  ballast:workloads:",
    "    - name: events",
    "      image: ghcr.io/example/read-cache:1.4",
    "      ports: [{ name: client, port: 4222 }]",
    "      resources: { cpu: 250m, memory: 256Mi }",
    "      readiness: { tcp: 4222 }",
    ...c.events.split("\n").map((l) => `      ${l}`),
    "  ballast:postgres:",
    "    - name: orders",
    `      replicas: { min: 2, max: ${c.ordersMax ?? 3} }`,
    "      storage: { storageClass: gp3, primary: 20Gi, replicas: 20Gi }",
  ].join("\n");
}

const FIXED = "replicas: 3\nstorage: { size: 10Gi, storageClass: gp3, mountPath: /data }";
const HPA =
  "replicas: { min: 2, max: 6 }\nstorage: { size: 10Gi, storageClass: gp3, mountPath: /data }\nautoscaling: { metrics: [{ type: cpu, targetUtilizationPercent: 70 }] }";
const PROM = "{ type: prometheus, serverAddress: 'http://prometheus:9090', query: up, threshold: 5 }";
const KEDA_GROWN = `replicas: { min: 2, max: 6 }\nstorage: { size: 20Gi, storageClass: gp3, mountPath: /data }\nautoscaling: { engine: keda, metrics: [${PROM}] }`;
const HPA_GROWN =
  "replicas: { min: 2, max: 6 }\nstorage: { size: 20Gi, storageClass: gp3, mountPath: /data }\nautoscaling: { metrics: [{ type: cpu, targetUtilizationPercent: 70 }] }";

/** Plans `change` as step `n` of the project, against step `n - 1`'s output when there is one. */
async function step(n: number, change: Change) {
  const root = path.join(tmp.path(), `step-${n}`);
  fs.mkdirSync(path.join(root, "stacks"), { recursive: true });
  fs.writeFileSync(path.join(root, "stacks", "Pulumi.t.yaml"), stackYaml(change));
  const out: string[] = [];
  const err: string[] = [];
  const argv = [
    "--stack",
    "t",
    "--out",
    path.join(root, "out"),
    ...(n > 0 ? ["--against", path.join(tmp.path(), `step-${n - 1}`, "out")] : []),
  ];
  const code = await planCommand(argv, { root, log: (s) => out.push(s), error: (s) => err.push(s) });
  const file = path.join(root, "out", "transitions.json");
  const transitions = fs.existsSync(file) ? (JSON.parse(fs.readFileSync(file, "utf8")) as Transition[]) : undefined;
  return { code, out: out.join("\n"), err: err.join("\n"), transitions, root };
}
const entry = (ts: Transition[] | undefined, kind: string, name: string) => ts?.find((t) => t.kind === kind && t.name === name);

describe("day-2 changes, planned against the previous plan", () => {
  // Steps share a project history: each is planned against the one before.
  const results: Awaited<ReturnType<typeof step>>[] = [];
  beforeAll(async () => {
    results.push(await step(0, { events: FIXED }));
    results.push(await step(1, { events: HPA, ordersMax: 5 }));
    results.push(await step(2, { events: KEDA_GROWN, ordersMax: 5 }));
    results.push(await step(3, { events: HPA_GROWN, ordersMax: 5 }));
  }, 180_000);

  it("fixed → autoscaled: the set is updated in place, the autoscaler takes spec.replicas over, nothing restarts", async () => {
    const r = results[1]!;
    expect(r.code).toBe(0);
    expect(entry(r.transitions, "StatefulSet", "events")).toEqual({
      kind: "StatefulSet",
      name: "events",
      action: "update",
      restarts: [],
      primaryRestarts: false,
      dataAtRisk: false,
      ownership: "to-autoscaler",
      why: "an autoscaler takes spec.replicas over; the live count is kept (ignoreChanges under server-side apply)",
    });
    expect(entry(r.transitions, "HorizontalPodAutoscaler", "events")?.action).toBe("create");
    // What is sent: the min, with changes to it ignored.
    const sent = await plan("t", { root: r.root, outDir: path.join(tmp.path(), "resent") });
    const sts = sent.resources.find((x) => x.name === "events-statefulset")!;
    expect((sts.inputs.spec as any).replicas).toBe(2);
    expect(sts.options.ignoreChanges).toEqual(["spec.replicas"]);
  }, 60_000);

  it("a larger replicas.max of the database changes no pod: neither StatefulSet is in the table", () => {
    const r = results[1]!;
    expect(entry(r.transitions, "StatefulSet", "orders-primary")).toBeUndefined();
    expect(entry(r.transitions, "StatefulSet", "orders-replica")).toBeUndefined();
    expect(entry(r.transitions, "HorizontalPodAutoscaler", "orders-replica")).toMatchObject({ action: "update", restarts: [] });
  });

  it("hpa → keda with a larger volume: replaced with its pods orphaned (nothing restarts), KEDA takes the HPA over", () => {
    const r = results[2]!;
    expect(r.code).toBe(0);
    expect(entry(r.transitions, "StatefulSet", "events")).toEqual({
      kind: "StatefulSet",
      name: "events",
      action: "replace-orphan",
      restarts: [],
      primaryRestarts: false,
      dataAtRisk: false,
      ownership: "hpa-to-keda",
      why: "volumeClaimTemplates cannot change in place: the StatefulSet is replaced with its pods orphaned, which the new one adopts; claims data grow from 10Gi to 20Gi; KEDA takes the running HPA over (transfer-hpa-ownership)",
    });
    expect(entry(r.transitions, "ScaledObject", "events")?.action).toBe("create");
    expect(entry(r.transitions, "HorizontalPodAutoscaler", "events")?.action).toBe("delete");
    // Every claim the set can have grows in place, through its patch.
    for (let i = 0; i < 6; i++) {
      expect(entry(r.transitions, "PersistentVolumeClaim", `data-events-${i}`)).toMatchObject({
        action: "update",
        dataAtRisk: false,
        why: "grows in place from 10Gi to 20Gi",
      });
    }
    const so = fs.readFileSync(path.join(r.root, "out", "autoscalers", "events.yaml"), "utf8");
    expect(so).toContain("scaledobject.keda.sh/transfer-hpa-ownership");
    expect(r.out).toContain("Transition from ");
  });

  it("keda → hpa in one step is refused with the two steps to take, exit 1", () => {
    const r = results[3]!;
    expect(r.code).toBe(1);
    expect(entry(r.transitions, "StatefulSet", "events")?.ownership).toBe("keda-to-hpa");
    expect(r.out).toContain(
      "StatefulSet 'events': the change switches KEDA to an HPA in one step (KEDA's HPA of the same name exists until its ScaledObject is deleted, after the new HPA is created: first set autoscaling.paused: true (KEDA deletes its HPA and holds the count), then switch engine to hpa); if it is planned maintenance, name 'events' in ballast:maintenance",
    );
  });

  it("lets the same change through when ballast:maintenance names the object", async () => {
    const r = await step(3, { events: HPA_GROWN, ordersMax: 5, maintenance: "events" });
    expect(r.code).toBe(0);
    expect(entry(r.transitions, "StatefulSet", "events")?.ownership).toBe("keda-to-hpa");
  }, 60_000);

  it("refuses a smaller volume as a config error naming the stack-file key, the old and the new size, exit 2, maintenance or not", async () => {
    for (const maintenance of [undefined, "events"]) {
      const r = await step(4, { events: HPA, ordersMax: 5, maintenance });
      expect([r.code, r.err]).toEqual([
        2,
        `stacks/Pulumi.t.yaml: ballast:workloads[0].storage.size: "10Gi" is smaller than the running "20Gi" (StatefulSet 'events', claims 'data'): Kubernetes refuses to shrink a claim, and the data would not fit; keep "20Gi" or more`,
      ]);
      // The table of what would change is still written, for the record.
      expect(entry(r.transitions, "PersistentVolumeClaim", "data-events-0")).toMatchObject({ action: "update", dataAtRisk: true });
      expect(entry(r.transitions, "StatefulSet", "events")?.dataAtRisk).toBe(true);
    }
  }, 120_000);

  it("refuses growth on a StorageClass of the stack without allowVolumeExpansion, naming the key, the class and both sizes", async () => {
    const local = (size: string): string =>
      stackYaml({ events: HPA.replace("10Gi", size).replace("gp3", "local"), ordersMax: 5 }).replace(
        "    - { name: gp3, preset: aws-ebs }",
        "    - { name: gp3, preset: aws-ebs }\n    - { name: local, preset: local-path }",
      );
    const root = (n: string): string => path.join(tmp.path(), `local-${n}`);
    const run = async (n: string, size: string, against?: string) => {
      fs.mkdirSync(path.join(root(n), "stacks"), { recursive: true });
      fs.writeFileSync(path.join(root(n), "stacks", "Pulumi.t.yaml"), local(size));
      let err = "";
      const argv = ["--stack", "t", "--out", path.join(root(n), "out"), ...(against ? ["--against", against] : [])];
      const code = await planCommand(argv, { root: root(n), log: () => undefined, error: (s) => (err = s) });
      return { code, err };
    };
    expect((await run("a", "10Gi")).code).toBe(0);
    expect(await run("b", "20Gi", path.join(root("a"), "out"))).toEqual({
      code: 2,
      err: `stacks/Pulumi.t.yaml: ballast:workloads[0].storage.size: "20Gi" grows the running "10Gi" (StatefulSet 'events', claims 'data') on StorageClass 'local', which does not allow volume expansion: Kubernetes refuses to grow its claims; give the class allowVolumeExpansion: true first, or keep "10Gi"`,
    });
  }, 120_000);

  it("exits 2 naming an --against directory that holds no plan", async () => {
    const r = await planCommand(["--stack", "local", "--against", path.join(tmp.path(), "nowhere")], {
      log: () => undefined,
      error: (s) => (msg = s),
    });
    expect(r).toBe(2);
    expect(msg).toBe(
      `--against ${path.join(tmp.path(), "nowhere")}: no manifests.yaml in it or in ${path.join(tmp.path(), "nowhere", "local")} (give the output directory of an earlier npm run plan)`,
    );
  });
  let msg = "";
});

const sts = (
  name: string,
  spec: Record<string, unknown>,
  annotations: Record<string, string> = { "pulumi.com/deletionPropagationPolicy": "orphan" },
  labels: Record<string, string> = {},
): RenderedObject => ({
  kind: "StatefulSet",
  name,
  body: { metadata: { name, annotations, labels }, spec: { replicas: 2, template: { spec: { containers: [{ name: "c" }] } }, ...spec } },
});
const claims = (size: string) => ({
  volumeClaimTemplates: [{ metadata: { name: "data" }, spec: { resources: { requests: { storage: size } } } }],
});

describe("compareRenders", () => {
  it("reports nothing for an unchanged render", () => {
    const r = [sts("db", claims("10Gi"))];
    expect(compareRenders(r, r)).toEqual([]);
  });

  it("marks a shrink as data at risk, refused", () => {
    const [t] = compareRenders([sts("db", claims("20Gi"))], [sts("db", claims("10Gi"))]);
    expect(t).toMatchObject({ action: "replace-orphan", dataAtRisk: true });
    expect(t!.why).toContain("claims data shrink from 20Gi to 10Gi");
    expect(transitionRefusals([t!], []).map((r) => r.name)).toEqual(["db"]);
  });

  it("replaces with pod deletion a set whose previous inputs did not orphan, and refuses it; a primary's restart is named", () => {
    const [t] = compareRenders(
      [sts("db-primary", claims("10Gi"), {}, { "app.kubernetes.io/component": "primary" })],
      [sts("db-primary", claims("20Gi"), {}, { "app.kubernetes.io/component": "primary" })],
    );
    expect(t).toMatchObject({ action: "replace", restarts: ["db-primary-0", "db-primary-1"], primaryRestarts: true });
    expect(transitionRefusals([t!], [])[0]!.message).toMatch(
      /^StatefulSet 'db-primary': the change replaces the StatefulSet and deletes its pods, restarts the primary \(/,
    );
    expect(transitionRefusals([t!], ["db-primary"])).toEqual([]);
  });

  it("refuses growing claims whose StorageClass cannot expand them", () => {
    const sc: RenderedObject = {
      kind: "StorageClass",
      name: "local",
      body: { provisioner: "rancher.io/local-path", allowVolumeExpansion: false },
    };
    const withClass = (size: string) =>
      sts("db", {
        volumeClaimTemplates: [
          { metadata: { name: "data" }, spec: { storageClassName: "local", resources: { requests: { storage: size } } } },
        ],
      });
    const [t] = compareRenders([sc, withClass("1Gi")], [sc, withClass("2Gi")]);
    expect(t!.why).toContain("StorageClass 'local' does not allow volume expansion: Kubernetes refuses to grow its claims");
    expect(transitionRefusals([t!], [])[0]!.message).toMatch(
      /^StatefulSet 'db': the change grows claims their StorageClass cannot expand \(/,
    );
  });

  it("marks a retention policy turning to Delete, and a deleted set whose claims go with it", () => {
    const [toDelete] = compareRenders([sts("db", {})], [sts("db", { persistentVolumeClaimRetentionPolicy: { whenScaled: "Delete" } })]);
    expect(toDelete).toMatchObject({ action: "update", dataAtRisk: true });
    const [gone] = compareRenders([sts("db", { persistentVolumeClaimRetentionPolicy: { whenDeleted: "Delete" } })], []);
    expect(gone).toMatchObject({ action: "delete", dataAtRisk: true, restarts: [] });
  });

  it("marks a StorageClass turning to Delete, and a new database cluster replacing one", () => {
    const sc = (reclaimPolicy: string): RenderedObject => ({
      kind: "StorageClass",
      name: "gp3",
      body: { provisioner: "ebs.csi.aws.com", reclaimPolicy },
    });
    expect(compareRenders([sc("Retain")], [sc("Delete")])[0]).toMatchObject({ action: "update", dataAtRisk: true });
    const rds = (storageEncrypted: boolean): RenderedObject => ({
      kind: "RdsCluster",
      name: "orders",
      body: { clusterIdentifier: "orders", storageEncrypted },
    });
    expect(compareRenders([rds(false)], [rds(true)])[0]).toMatchObject({ action: "replace", dataAtRisk: true });
  });
});
