import {
  StatefulStorageClass,
  resolveStorageClass,
  type StatefulStorageClassArgs,
  type StatefulStorageClassOptions,
} from "../../../components/storage";
import { runUnderMocks } from "../../../tools/lib/mockRuntime";
import { officialSchemaErrors } from "../../helpers/officialSchemas";

async function render(name: string, args: StatefulStorageClassArgs, opts?: StatefulStorageClassOptions) {
  const { resources } = await runUnderMocks(() => {
    new StatefulStorageClass(name, args, opts);
  });
  return resources;
}

describe("StatefulStorageClass", () => {
  it("sends a safe aws-ebs gp3 class as a child of the component", async () => {
    const resources = await render("fast", { preset: "aws-ebs", iops: 6000, throughputMiBps: 250 });
    expect(resources.map((r) => [r.type, r.name, r.parent])).toEqual([
      ["ballast:index:StatefulStorageClass", "fast", undefined],
      ["kubernetes:storage.k8s.io/v1:StorageClass", "fast-storageclass", "ballast:index:StatefulStorageClass::fast"],
    ]);
    expect(resources[1]?.inputs).toEqual({
      apiVersion: "storage.k8s.io/v1",
      kind: "StorageClass",
      metadata: { name: "fast", labels: { "app.kubernetes.io/managed-by": "ballast" } },
      provisioner: "ebs.csi.aws.com",
      reclaimPolicy: "Retain",
      allowVolumeExpansion: true,
      volumeBindingMode: "WaitForFirstConsumer",
      parameters: { type: "gp3", encrypted: "true", "csi.storage.k8s.io/fstype": "ext4", iops: "6000", throughput: "250" },
    });
  });

  it.each<[string, StatefulStorageClassArgs, Record<string, unknown>]>([
    [
      "gcp-pd",
      { preset: "gcp-pd" },
      { provisioner: "pd.csi.storage.gke.io", parameters: { type: "pd-balanced", "csi.storage.k8s.io/fstype": "ext4" } },
    ],
    [
      "gcp hyperdisk",
      { preset: "gcp-pd", diskType: "hyperdisk-balanced", iops: 5000, throughputMiBps: 200, encryptionKey: "projects/p/keys/k" },
      {
        parameters: {
          type: "hyperdisk-balanced",
          "csi.storage.k8s.io/fstype": "ext4",
          "provisioned-iops-on-create": "5000",
          "provisioned-throughput-on-create": "200",
          "disk-encryption-kms-key": "projects/p/keys/k",
        },
      },
    ],
    [
      "azure-disk",
      { preset: "azure-disk" },
      {
        provisioner: "disk.csi.azure.com",
        parameters: { skuName: "Premium_LRS", cachingMode: "ReadOnly", "csi.storage.k8s.io/fstype": "ext4" },
      },
    ],
    [
      "azure ultra",
      { preset: "azure-disk", diskType: "UltraSSD_LRS", iops: 8000 },
      { parameters: { skuName: "UltraSSD_LRS", cachingMode: "None", "csi.storage.k8s.io/fstype": "ext4", DiskIOPSReadWrite: "8000" } },
    ],
    [
      "local-path",
      { preset: "local-path" },
      {
        provisioner: "rancher.io/local-path",
        allowVolumeExpansion: false,
        volumeBindingMode: "WaitForFirstConsumer",
        parameters: undefined,
      },
    ],
    [
      "custom",
      { preset: "custom", provisioner: "csi.example.com", parameters: { tier: "gold" } },
      { provisioner: "csi.example.com", parameters: { tier: "gold" }, reclaimPolicy: "Retain" },
    ],
    [
      "zones and default",
      { preset: "aws-ebs", allowedZones: ["us-east-1a"], isDefault: true },
      {
        allowedTopologies: [{ matchLabelExpressions: [{ key: "topology.kubernetes.io/zone", values: ["us-east-1a"] }] }],
        metadata: {
          name: "c",
          labels: { "app.kubernetes.io/managed-by": "ballast" },
          annotations: { "storageclass.kubernetes.io/is-default-class": "true" },
        },
      },
    ],
  ])("preset %s", (_, args, expected) => {
    expect(resolveStorageClass("c", args)).toMatchObject(expected);
  });

  it.each<[StatefulStorageClassArgs, string]>([
    [{ preset: "local-path", iops: 5000 }, 'iops (5000) is not supported by preset "local-path"'],
    [{ preset: "aws-ebs", diskType: "gp2", iops: 3000 }, 'iops (3000) is not supported by disk type "gp2" of preset "aws-ebs"'],
    [{ preset: "aws-ebs", iops: 20000 }, 'iops (20000) must be from 3000 to 16000 for disk type "gp3"'],
    [{ preset: "aws-ebs", throughputMiBps: 2000 }, 'throughputMiBps (2000) must be from 125 to 1000 MiB/s for disk type "gp3"'],
    [
      { preset: "aws-ebs", diskType: "io2", throughputMiBps: 500 },
      'throughputMiBps (500) is not supported by disk type "io2" of preset "aws-ebs"',
    ],
    [{ preset: "aws-ebs", iops: 3000.5 }, "iops (3000.5) must be a positive whole number"],
    [
      { preset: "aws-ebs", diskType: "gp9" },
      'diskType ("gp9") must be one of "gp3", "gp2", "io1", "io2", "st1", "sc1" for preset "aws-ebs"',
    ],
    [{ preset: "local-path", diskType: "ssd" }, 'diskType ("ssd") is not supported by preset "local-path"'],
    [
      { preset: "local-path", allowVolumeExpansion: true },
      'allowVolumeExpansion (true) is not supported by preset "local-path": its provisioner cannot grow volumes',
    ],
    [
      { preset: "local-path", volumeBindingMode: "Immediate" },
      'volumeBindingMode ("Immediate") must be "WaitForFirstConsumer" for preset "local-path"',
    ],
    [{ preset: "local-path", encryptionKey: "k" }, 'encryptionKey is not supported by preset "local-path" (volumes are host directories)'],
    [{ preset: "local-path", fsType: "xfs" }, 'fsType ("xfs") is not supported by preset "local-path" (volumes are host directories)'],
    [{ preset: "custom" }, 'provisioner is required with preset "custom"'],
    [{ preset: "custom", provisioner: "x", iops: 100 }, 'iops (100) is not modelled for preset "custom"; set it in parameters'],
    [
      { preset: "gcp-pd", provisioner: "x" },
      'provisioner ("x") is fixed by preset "gcp-pd" (pd.csi.storage.gke.io); use preset "custom" for another driver',
    ],
    [{ preset: "nfs" as never }, 'preset ("nfs") must be one of "aws-ebs", "gcp-pd", "azure-disk", "local-path", "custom"'],
  ])("refuses %j", async (args, message) => {
    await expect(render("bad", args)).rejects.toThrow(`StatefulStorageClass 'bad': ${message}`);
  });

  it("reports every problem at once and creates nothing", async () => {
    const created: string[] = [];
    await expect(
      runUnderMocks(() => {
        created.push("started");
        new StatefulStorageClass("bad", { preset: "local-path", iops: 1, allowVolumeExpansion: true });
        created.push("created");
      }),
    ).rejects.toThrow(
      'StatefulStorageClass \'bad\': iops (1) is not supported by preset "local-path"; allowVolumeExpansion (true) is not supported by preset "local-path": its provisioner cannot grow volumes',
    );
    expect(created).toEqual(["started"]);
  });

  it("lets a forker change the class through transform", async () => {
    const resources = await render(
      "t",
      { preset: "aws-ebs" },
      { transform: { storageClass: (a) => ({ ...a, mountOptions: ["noatime"] }) } },
    );
    expect(resources[1]?.inputs.mountOptions).toEqual(["noatime"]);
  });

  it("renders classes the official schema accepts", () => {
    const presets: StatefulStorageClassArgs[] = [
      { preset: "aws-ebs" },
      { preset: "gcp-pd" },
      { preset: "azure-disk" },
      { preset: "local-path" },
      { preset: "custom", provisioner: "x.io" },
    ];
    const objects = presets.map((a) => ({ apiVersion: "storage.k8s.io/v1", kind: "StorageClass", ...resolveStorageClass("c", a) }));
    expect(officialSchemaErrors(JSON.parse(JSON.stringify(objects)))).toEqual(presets.map(() => ""));
  });
});
