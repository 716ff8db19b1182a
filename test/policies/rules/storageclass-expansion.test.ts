/** `storageclass-expansion` over the happy-path stack: each refusal and each stack that still passes, run through the whole pack; its remediation. */
import { NON_EXPANDING_PROVISIONERS } from "../../../policies/rules/storageclassExpansion";
import { describePolicyCases, remediation, verdicts, type Mutation } from "../cases";
import { mutate } from "../fixtures";
import { cases } from "./storageclass-expansion.cases";

describePolicyCases(cases);

describe("storageclass-expansion's provisioners that cannot expand", () => {
  it("lists the node-local and host-path provisioners, and not the CSI host-path driver, which can expand", () => {
    expect(NON_EXPANDING_PROVISIONERS).toEqual([
      "rancher.io/local-path",
      "k8s.io/minikube-hostpath",
      "kubernetes.io/no-provisioner",
      "kubernetes.io/host-path",
      "docker.io/hostpath",
      "microk8s.io/hostpath",
      "openebs.io/local",
      "kubevirt.io/hostpath-provisioner",
      "kubevirt.io.hostpath-provisioner",
    ]);
  });

  it.each(NON_EXPANDING_PROVISIONERS.map((p) => [p] as const))("gives a class of %s no advice and no fix", (provisioner) => {
    const mutations: Mutation[] = [
      ["sc", "props.provisioner", provisioner],
      ["sc", "props.allowVolumeExpansion", false],
    ];
    expect(verdicts(mutations).filter(([policy]) => policy === cases.policy)).toEqual([]);
    expect(remediation(cases.policy, mutations, "sc").fixes).toEqual([]);
  });

  it("reads the list from the config: an empty list advises every class again", () => {
    const localPath = cases.passes[0]![1];
    expect(verdicts(localPath, { "storageclass-expansion": { nonExpandingProvisioners: [] } })).toEqual([
      ["storageclass-expansion", "advisory", "sc", "StorageClass 'sc': allowVolumeExpansion is absent; set it to true."],
    ]);
    expect(remediation(cases.policy, localPath, "sc", { nonExpandingProvisioners: [] }).fixes).toEqual([
      { path: ["allowVolumeExpansion"], value: true },
    ]);
    expect(verdicts(cases.refuses[0]![0], { "storageclass-expansion": { nonExpandingProvisioners: ["ebs.csi.aws.com"] } })).toEqual([]);
  });
});

describe("storageclass-expansion at level remediate", () => {
  it.each(cases.refuses.map(([mutations]) => [mutations] as const))(
    "sets allowVolumeExpansion to true, once and nothing else, where %j",
    (mutations) => {
      const { before, fixes, after, again, left } = remediation(cases.policy, mutations, "sc");
      expect(fixes).toEqual([{ path: ["allowVolumeExpansion"], value: true }]);
      expect(after).toEqual(mutate([before], "sc", "props.allowVolumeExpansion", true)[0]);
      expect(again).toEqual([]);
      expect(left).toEqual([]);
    },
  );

  it("leaves an expandable class as it is", () => {
    expect(remediation(cases.policy, [], "sc").fixes).toEqual([]);
  });

  it("reports offline what it sets, not a violation", () => {
    expect(
      verdicts([["sc", "props.allowVolumeExpansion", false]], { "storageclass-expansion": { enforcementLevel: "remediate" } }),
    ).toEqual([["storageclass-expansion", "remediate", "sc", "StorageClass 'sc': sets allowVolumeExpansion to true (was false)."]]);
  });
});
