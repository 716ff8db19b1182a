/** How `npm run check` reads manifests (tools/lib): identities, older versions, what it skips, the fast path. */
import * as fs from "fs";
import * as path from "path";
import { parseAllDocuments, type Document } from "yaml";
import { writeCorpus } from "../../bench/check-bench";
import { classifyDocument, templateAction } from "../../tools/lib/classify";
import { fastDocuments } from "../../tools/lib/fastYaml";
import { loadManifests, ManifestError, manifestFiles, parseManifestText } from "../../tools/lib/manifests";
import { metricFromV2beta1, readAsServed, V1BETA1_MATCH_NONE } from "../../tools/lib/versions";
import { useTempDir } from "../helpers/tempDir";

const ROOT = path.join(__dirname, "..", "..");
const tmp = useTempDir("manifests-");

const cpu = (averageUtilization: number) => ({
  type: "Resource",
  resource: { name: "cpu", target: { type: "Utilization", averageUtilization } },
});
const ref = { apiVersion: "apps/v1", kind: "StatefulSet", name: "pg" };

describe("readAsServed", () => {
  it("reads an autoscaling/v1 HPA as v2: the cpu target a metric after the annotation's, the behavior from its annotation as the API server writes it", () => {
    const behavior = {
      ScaleDown: { StabilizationWindowSeconds: 600, SelectPolicy: "Min", Policies: [{ Type: "Pods", Value: 1, PeriodSeconds: 300 }] },
    };
    const metrics = [
      { type: "Pods", pods: { metricName: "queue_depth", targetAverageValue: "30", selector: { matchLabels: { Queue: "jobs" } } } },
    ];
    const v1 = {
      metadata: {
        name: "pg",
        annotations: {
          "autoscaling.alpha.kubernetes.io/behavior": JSON.stringify(behavior),
          "autoscaling.alpha.kubernetes.io/metrics": JSON.stringify(metrics),
          team: "data",
        },
      },
      spec: { scaleTargetRef: ref, minReplicas: 2, maxReplicas: 5, targetCPUUtilizationPercentage: 70 },
    };
    const before = JSON.stringify(v1);
    expect(readAsServed(v1, "autoscaling/v1", "HorizontalPodAutoscaler")).toEqual({
      apiVersion: "autoscaling/v2",
      object: {
        metadata: { name: "pg", annotations: { team: "data" } },
        spec: {
          scaleTargetRef: ref,
          minReplicas: 2,
          maxReplicas: 5,
          metrics: [
            {
              type: "Pods",
              pods: {
                metric: { name: "queue_depth", selector: { matchLabels: { Queue: "jobs" } } },
                target: { type: "AverageValue", averageValue: "30" },
              },
            },
            cpu(70),
          ],
          behavior: {
            scaleDown: { stabilizationWindowSeconds: 600, selectPolicy: "Min", policies: [{ type: "Pods", value: 1, periodSeconds: 300 }] },
          },
        },
      },
      warning: "autoscaling/v1 read as autoscaling/v2",
    });
    expect(JSON.stringify(v1)).toBe(before);
  });

  it("leaves an autoscaling/v1 HPA without a cpu target without metrics (the controller's 80 %), and says which annotation it could not read", () => {
    const v1 = {
      metadata: { name: "pg", annotations: { "autoscaling.alpha.kubernetes.io/behavior": "{not json" } },
      spec: { scaleTargetRef: ref, maxReplicas: 3 },
    };
    expect(readAsServed(v1, "autoscaling/v1", "HorizontalPodAutoscaler")).toEqual({
      apiVersion: "autoscaling/v2",
      object: { metadata: { name: "pg" }, spec: { scaleTargetRef: ref, maxReplicas: 3 } },
      warning: "autoscaling/v1 read as autoscaling/v2: autoscaling.alpha.kubernetes.io/behavior is not a JSON object: ignored",
    });
  });

  it.each<[string, object, object]>([
    [
      "a Resource utilization",
      { type: "Resource", resource: { name: "cpu", targetAverageUtilization: 60 } },
      { type: "Resource", resource: { name: "cpu", target: { type: "Utilization", averageUtilization: 60 } } },
    ],
    [
      "a Resource average value",
      { type: "Resource", resource: { name: "memory", targetAverageValue: "1Gi" } },
      { type: "Resource", resource: { name: "memory", target: { type: "AverageValue", averageValue: "1Gi" } } },
    ],
    [
      "a ContainerResource",
      { type: "ContainerResource", containerResource: { name: "cpu", container: "pg", targetAverageUtilization: 50 } },
      {
        type: "ContainerResource",
        containerResource: { name: "cpu", container: "pg", target: { type: "Utilization", averageUtilization: 50 } },
      },
    ],
    [
      "an Object value",
      { type: "Object", object: { target: { kind: "Service", name: "pg" }, metricName: "rps", targetValue: "100" } },
      {
        type: "Object",
        object: { describedObject: { kind: "Service", name: "pg" }, metric: { name: "rps" }, target: { type: "Value", value: "100" } },
      },
    ],
    [
      "an Object average value",
      { type: "Object", object: { target: { kind: "Service", name: "pg" }, metricName: "rps", targetValue: "100", averageValue: "10" } },
      {
        type: "Object",
        object: {
          describedObject: { kind: "Service", name: "pg" },
          metric: { name: "rps" },
          target: { type: "AverageValue", averageValue: "10", value: "100" },
        },
      },
    ],
    [
      "an External value",
      { type: "External", external: { metricName: "lag", metricSelector: { matchLabels: { topic: "t" } }, targetValue: "5" } },
      {
        type: "External",
        external: { metric: { name: "lag", selector: { matchLabels: { topic: "t" } } }, target: { type: "Value", value: "5" } },
      },
    ],
    [
      "an External average value",
      { type: "External", external: { metricName: "lag", targetAverageValue: "5" } },
      { type: "External", external: { metric: { name: "lag" }, target: { type: "AverageValue", averageValue: "5" } } },
    ],
  ])("reads an autoscaling/v2beta1 metric as v2: %s", (_name, v2beta1, v2) => {
    expect(metricFromV2beta1(v2beta1)).toEqual(v2);
    const hpa = readAsServed(
      { metadata: { name: "pg" }, spec: { scaleTargetRef: ref, maxReplicas: 4, metrics: [v2beta1] } },
      "autoscaling/v2beta1",
      "HorizontalPodAutoscaler",
    );
    expect(hpa).toEqual({
      apiVersion: "autoscaling/v2",
      object: { metadata: { name: "pg" }, spec: { scaleTargetRef: ref, maxReplicas: 4, metrics: [v2] } },
      warning: "autoscaling/v2beta1 (not served since Kubernetes 1.25) read as autoscaling/v2",
    });
  });

  it("keeps a policy/v1beta1 PDB's empty selector selecting no pod, as the API server does; any other selector as it is", () => {
    const empty = readAsServed(
      { metadata: { name: "pg" }, spec: { maxUnavailable: 1, selector: {} } },
      "policy/v1beta1",
      "PodDisruptionBudget",
    );
    expect(empty).toEqual({
      apiVersion: "policy/v1",
      object: { metadata: { name: "pg" }, spec: { maxUnavailable: 1, selector: { matchExpressions: [V1BETA1_MATCH_NONE] } } },
      warning:
        "policy/v1beta1 (not served since Kubernetes 1.25) read as policy/v1: its empty selector selects no pod, as in policy/v1beta1",
    });
    const pdb = { metadata: { name: "pg" }, spec: { minAvailable: 2, selector: { matchLabels: { app: "pg" } } } };
    expect(readAsServed(pdb, "policy/v1beta1", "PodDisruptionBudget").object).toEqual(pdb);
  });

  it("gives an apps/v1beta1 StatefulSet the selector and update strategy v1beta1 defaulted; apps/v1beta2 needs neither", () => {
    const template = { metadata: { labels: { app: "pg" } }, spec: { containers: [] } };
    expect(readAsServed({ metadata: { name: "pg" }, spec: { serviceName: "pg", template } }, "apps/v1beta1", "StatefulSet")).toEqual({
      apiVersion: "apps/v1",
      object: {
        metadata: { name: "pg" },
        spec: { serviceName: "pg", template, selector: { matchLabels: { app: "pg" } }, updateStrategy: { type: "OnDelete" } },
      },
      warning:
        "apps/v1beta1 (not served since Kubernetes 1.16) read as apps/v1: its selector is the pod template's labels; updateStrategy OnDelete, the v1beta1 default",
    });
    const v1beta2 = { metadata: { name: "pg" }, spec: { serviceName: "pg", selector: { matchLabels: { app: "pg" } }, template } };
    expect(readAsServed(v1beta2, "apps/v1beta2", "StatefulSet")).toEqual({
      apiVersion: "apps/v1",
      object: v1beta2,
      warning: "apps/v1beta2 (not served since Kubernetes 1.16) read as apps/v1",
    });
  });

  it("reads an extensions/v1beta1 Deployment as apps/v1, without rollbackTo", () => {
    const template = { metadata: { labels: { app: "api" } } };
    expect(
      readAsServed({ metadata: { name: "api" }, spec: { template, rollbackTo: { revision: 2 } } }, "extensions/v1beta1", "Deployment")
        .object,
    ).toEqual({
      metadata: { name: "api" },
      spec: { template, selector: { matchLabels: { app: "api" } } },
    });
  });

  it.each<[string, string, string | undefined]>([
    ["batch/v1beta1", "CronJob", "batch/v1beta1 is not served since Kubernetes 1.25; use batch/v1"],
    ["networking.k8s.io/v1beta1", "Ingress", "networking.k8s.io/v1beta1 is not served since Kubernetes 1.22; use networking.k8s.io/v1"],
    [
      "rbac.authorization.k8s.io/v1beta1",
      "ClusterRole",
      "rbac.authorization.k8s.io/v1beta1 is not served since Kubernetes 1.22; use rbac.authorization.k8s.io/v1",
    ],
    ["policy/v1beta1", "PodSecurityPolicy", "policy/v1beta1 is not served since Kubernetes 1.25; use Pod Security Admission"],
    [
      "keda.k8s.io/v1alpha1",
      "ScaledObject",
      "keda.k8s.io/v1alpha1 is KEDA 1, which no policy reads; KEDA 2 serves keda.sh/v1alpha1 (KEDA 2)",
    ],
    ["apps/v1", "StatefulSet", undefined],
    ["autoscaling/v2", "HorizontalPodAutoscaler", undefined],
    ["batch/v1", "CronJob", undefined],
  ])("names %s %s when it is no longer served, reading it as written", (apiVersion, kind, warning) => {
    const object = { metadata: { name: "x" } };
    expect(readAsServed(object, apiVersion, kind)).toEqual({ apiVersion, object, ...(warning === undefined ? {} : { warning }) });
  });
});

describe("classifyDocument", () => {
  it.each<[string, string, unknown, string]>([
    [
      "a kind cluster config",
      "kind.yaml",
      { apiVersion: "kind.x-k8s.io/v1alpha4", kind: "Cluster", nodes: [] },
      "a kind cluster configuration, not a Kubernetes object",
    ],
    [
      "a kubelet config",
      "kubelet.yaml",
      { apiVersion: "kubelet.config.k8s.io/v1beta1", kind: "KubeletConfiguration" },
      "a Kubernetes component's configuration file, not an object the API serves",
    ],
    [
      "a kubeconfig",
      "config.yaml",
      { apiVersion: "v1", kind: "Config", clusters: [], contexts: [] },
      "a kubeconfig file, not a Kubernetes object",
    ],
    [
      "a Skaffold config",
      "skaffold.yaml",
      { apiVersion: "skaffold/v4beta11", kind: "Config" },
      "a Skaffold configuration, not a Kubernetes object",
    ],
    [
      "a kustomization without its file name",
      "base.yaml",
      { apiVersion: "kustomize.config.k8s.io/v1alpha1", kind: "Component" },
      "a kustomization; check the output of kubectl kustomize instead",
    ],
    [
      "a Helm v1 Chart.yaml by its fields",
      "chart.yml",
      { apiVersion: "v1", name: "x", version: "1.0.0" },
      "a Helm chart's Chart.yaml, not a Kubernetes object; check the output of helm template instead",
    ],
    [
      "a prod values file",
      "values-prod.yaml",
      { kind: "Deployment", replicaCount: 3 },
      "a Helm values file, not a Kubernetes object; check the output of helm template instead",
    ],
    ["a list", "hosts.yaml", ["a", "b"], "not a Kubernetes object (a list, not a mapping)"],
    ["a scalar", "note.yaml", "hello", "not a Kubernetes object (a string, not a mapping)"],
    [
      "a mapping of anything else",
      "ci.yaml",
      { on: "push", jobs: {}, env: {}, name: "ci" },
      "not a Kubernetes object (no apiVersion or kind; keys: on, jobs, env, …)",
    ],
  ])("skips %s", (_name, file, value, reason) => {
    expect(classifyDocument(value, file)).toEqual({ is: "other", reason });
  });

  it.each<[string, unknown, string]>([
    ["an object without kind", { apiVersion: "v1", metadata: { name: "x" } }, "kind is missing or not a string"],
    ["an object without apiVersion", { kind: "Service", metadata: { name: "x" } }, "apiVersion is missing or not a string"],
    ["a kind that is not a string", { apiVersion: "v1", kind: 3, metadata: { name: "x" } }, "kind is missing or not a string"],
  ])("refuses %s", (_name, value, reason) => {
    expect(classifyDocument(value, "app.yaml")).toEqual({ is: "broken", reason });
  });
});

describe("templateAction", () => {
  it("finds Helm's own objects and functions, not the Go templates other tools keep as data", () => {
    expect(templateAction('summary: "{{ $labels.instance }} is down"\nrun: "{{inputs.parameters.x}}"', false)).toBeUndefined();
    expect(templateAction('a: "{{ $labels.instance }}"\nb: {{- toYaml .Values.x | nindent 2 }}', false)).toEqual({
      action: "{{- toYaml .Values.x | nindent 2 }}",
      offset: 31,
    });
    expect(templateAction("name: {{ $fullName }}", true)).toEqual({ action: "{{ $fullName }}", offset: 6 });
  });

  it("reads a Prometheus rule's annotations as text, and skips a template that fails on a line with an action", () => {
    const rule = 'apiVersion: v1\nkind: ConfigMap\nmetadata: { name: rules }\ndata:\n  alert: "{{ $labels.instance }} down"\n';
    expect(parseManifestText("rules.yaml", rule).status).toBe("read");
    expect(parseManifestText("t.yaml", "apiVersion: v1\nkind: Service\nmetadata:\n  name: {{ $fullName }}-svc\n")).toEqual({
      status: "skipped",
      line: 4,
      reason: "looks like an unrendered Helm template ({{ $fullName }}): run helm template first",
    });
  });
});

describe("parseManifestText", () => {
  it("refuses YAML that does not parse at its line, and a document that is not an object among objects", () => {
    expect(parseManifestText("a.yaml", "apiVersion: v1\nkind: Service\nmetadata: [x\n")).toEqual({
      status: "broken",
      problems: [
        {
          file: "a.yaml",
          line: 4,
          reason: "invalid YAML: Flow sequence in block collection must be sufficiently indented and end with a ]",
        },
      ],
    });
    expect(parseManifestText("b.yaml", "apiVersion: v1\nkind: Service\nmetadata: { name: x }\n---\n- just\n- a list\n")).toEqual({
      status: "broken",
      problems: [{ file: "b.yaml", line: 5, reason: "not a Kubernetes object (a list, not a mapping), among Kubernetes objects" }],
    });
  });

  it("refuses a List item that is not an object, at the item's line", () => {
    expect(
      parseManifestText(
        "l.yaml",
        "apiVersion: v1\nkind: List\nitems:\n  - apiVersion: v1\n    kind: Service\n    metadata: { name: a }\n  - 42\n",
      ),
    ).toEqual({
      status: "broken",
      problems: [{ file: "l.yaml", line: 7, reason: "a List item must be a Kubernetes object (a mapping), got 42" }],
    });
  });
});

describe("loadManifests: identities", () => {
  const names = (...texts: [string, string][]) => loadManifests(texts.map(([n, t]) => tmp.write(n, t))).objects.map((o) => o.resource.name);

  it("gives a cluster-scoped object no namespace, so one written with a namespace is the same object", () => {
    const sc = "apiVersion: storage.k8s.io/v1\nkind: StorageClass\nmetadata: { name: fast%s }\nprovisioner: x\n";
    expect(names(["sc1.yaml", sc.replace("%s", "")], ["sc2.yaml", sc.replace("%s", ", namespace: db")])).toEqual([
      "StorageClass.storage.k8s.io/fast",
    ]);
  });

  it("learns a custom kind's scope from its CustomResourceDefinition among the inputs; without it, a custom kind is namespaced", () => {
    const crd =
      "apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nmetadata: { name: widgets.example.com }\nspec: { group: example.com, scope: Cluster, names: { kind: Widget, plural: widgets } }\n";
    const widgets =
      "apiVersion: example.com/v1\nkind: Widget\nmetadata: { name: w, namespace: a }\n---\napiVersion: example.com/v1\nkind: Widget\nmetadata: { name: w, namespace: b }\n";
    expect(names(["crd.yaml", crd], ["widgets.yaml", widgets])).toEqual([
      "CustomResourceDefinition.apiextensions.k8s.io/widgets.example.com",
      "Widget.example.com/w",
    ]);
    expect(names(["widgets.yaml", widgets])).toEqual(["a/Widget.example.com/w", "b/Widget.example.com/w"]);
  });

  it("tells kinds of one name apart by their API group, and takes an object at two versions of its group for one", () => {
    const text = [
      "apiVersion: postgresql.cnpg.io/v1\nkind: Cluster\nmetadata: { name: orders }",
      "apiVersion: cluster.x-k8s.io/v1beta1\nkind: Cluster\nmetadata: { name: orders }",
      "apiVersion: apps/v1beta2\nkind: StatefulSet\nmetadata: { name: pg }\nspec: { serviceName: pg }",
      "apiVersion: apps/v1\nkind: StatefulSet\nmetadata: { name: pg }\nspec: { serviceName: pg }",
    ].join("\n---\n");
    const loaded = loadManifests([tmp.write("groups.yaml", text)]);
    expect(loaded.objects.map((o) => [o.resource.name, o.display, o.source.line])).toEqual([
      ["default/Cluster.postgresql.cnpg.io/orders", "default/orders", 1],
      ["default/Cluster.cluster.x-k8s.io/orders", "default/orders", 5],
      ["default/StatefulSet.apps/pg", "default/pg", 9],
    ]);
    expect(loaded.duplicates).toEqual([]);
  });

  it("names every input that cannot be read, across files, in one error", () => {
    const a = tmp.write("bad-a.yaml", "a: [1\n");
    const b = tmp.write("bad-b.yaml", "apiVersion: v1\nkind: Service\nmetadata: {}\n");
    let error: unknown;
    try {
      loadManifests([a, "missing.yaml", b]);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ManifestError);
    expect((error as ManifestError).problems).toEqual([
      { file: "missing.yaml", reason: "cannot be read (ENOENT)" },
      { file: a, line: 2, reason: "invalid YAML: Flow sequence in block collection must be sufficiently indented and end with a ]" },
      { file: b, line: 1, reason: "Service: metadata.name is missing or not a string" },
    ]);
  });

  it("hints that only a v1 List is read as its items when another *List kind has no name", () => {
    const file = tmp.write("sts-list.yaml", "apiVersion: apps/v1\nkind: StatefulSetList\nitems: []\n");
    expect(() => loadManifests([file])).toThrow(
      `${file}:1: StatefulSetList: metadata.name is missing or not a string (only a v1 List is read as its items)`,
    );
  });
});

describe("manifestFiles", () => {
  it("lists YAML files sorted, and reads a directory reached again through a link once", () => {
    const dir = path.join(tmp.path(), "tree");
    fs.mkdirSync(path.join(dir, "sub"), { recursive: true });
    for (const f of ["b.yaml", "a.yml", "notes.txt", path.join("sub", "c.yaml")]) fs.writeFileSync(path.join(dir, f), "");
    fs.symlinkSync(dir, path.join(dir, "sub", "loop"));
    expect(manifestFiles(dir).map((f) => path.relative(dir, f))).toEqual(["a.yml", "b.yaml", path.join("sub", "c.yaml")]);
  });
});

describe("fastDocuments", () => {
  /** The documents as the full parser reads them, with the line of each one's content. */
  const full = (text: string) =>
    (parseAllDocuments(text) as Document.Parsed[])
      .map((d) => ({ value: d.toJS() as unknown, line: text.slice(0, d.contents?.range[0] ?? 0).split("\n").length }))
      .filter((d) => d.value !== null && d.value !== undefined);

  it("reads every file of the corpus it takes, and the bench's generated ones, exactly as the full parser does", () => {
    const corpus = path.join(ROOT, "test", "fixtures");
    const files = manifestFiles(corpus);
    const generated = path.join(tmp.path(), "generated");
    fs.mkdirSync(generated);
    writeCorpus(generated, 200);
    files.push(...manifestFiles(generated));
    let taken = 0;
    for (const file of files) {
      const text = fs.readFileSync(file, "utf8");
      const fast = fastDocuments(text);
      if (fast === undefined) continue;
      taken++;
      expect([file, fast]).toEqual([file, full(text)]);
    }
    expect(taken).toBeGreaterThan(20);
  });

  it.each<[string, string]>([
    ["an anchor and a merge key", "a: &x { b: 1 }\nc:\n  <<: *x\n"],
    ["a tag", "a: !!str 1\n"],
    ["a directive", "%YAML 1.2\n---\na: 1\n"],
    ["content on a document marker", "--- { a: 1 }\n"],
    ["a template action", 'a: "{{ .Values.x }}"\n'],
    ["a v1 List, whose items' lines it does not know", "apiVersion: v1\nkind: List\nitems: []\n"],
    ["what js-yaml refuses (a duplicate key)", "a: 1\na: 2\n"],
  ])("leaves %s to the full parser", (_name, text) => {
    expect(fastDocuments(text)).toBeUndefined();
  });

  it("takes shell text in block scalars and quoted stars, and gives each document the line of its content", () => {
    const text = '# head\n---\n\n# c\na: |\n  x && ! y * z\nverbs: ["*"]\n---\n---\nb: 2\n';
    expect(fastDocuments(text)).toEqual([
      { value: { a: "x && ! y * z\n", verbs: ["*"] }, line: 5 },
      { value: { b: 2 }, line: 10 },
    ]);
    expect(fastDocuments(text)).toEqual(full(text));
  });

  it("splits documents written with CRLF line ends as the full parser does", () => {
    const text =
      "apiVersion: v1\r\nkind: Service\r\nmetadata: { name: a }\r\n---\r\napiVersion: v1\r\nkind: Service\r\nmetadata: { name: b }\r\n";
    expect(fastDocuments(text)?.map((d) => d.line)).toEqual([1, 5]);
    expect(fastDocuments(text)).toEqual(full(text));
  });

  it("leaves every file to the full parser when js-yaml is not installed", () => {
    jest.isolateModules(() => {
      jest.doMock("js-yaml", () => {
        throw new Error("Cannot find module 'js-yaml'");
      });
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const isolated = require("../../tools/lib/fastYaml") as { fastDocuments: typeof fastDocuments };
      expect(isolated.fastDocuments("a: 1\n")).toBeUndefined();
    });
    expect(fastDocuments("a: 1\n")).toEqual([{ value: { a: 1 }, line: 1 }]);
  });
});
