/** `waiver-invalid`: the stacks it refuses, with exactly what the whole pack then reports, and those it lets pass. */
import { RULES } from "../../../policies/rules";
import type { Expected, Mutation, PolicyCases } from "../cases";

const FIELD = 'metadata.annotations["ballast.dev/waive"]';
const FORM = 'write each waiver as "<policy>[=<scope>]; reason: <why>", one per line';
const KNOWN = RULES.map((r) => r.name)
  .filter((n) => n !== "waiver-invalid")
  .join(", ");
/** pg carrying `value` as its waivers. */
const waive = (value: unknown): Mutation => ["pg", "props.metadata.annotations", { "ballast.dev/waive": value }];
const refused = (problem: string): Expected => ["waiver-invalid", "mandatory", "pg", `StatefulSet 'pg': ${FIELD} ${problem}`];

export const cases: PolicyCases = {
  policy: "waiver-invalid",
  refuses: [
    [[waive("statefulset-spread")], [refused(`waiver "statefulset-spread" has no reason; ${FORM}.`)]],
    [[waive("statefulset-spread; reason:   ")], [refused(`waiver "statefulset-spread; reason:" has no reason; ${FORM}.`)]],
    [
      [waive("statefulset-spread; a single-zone cluster")],
      [refused(`waiver "statefulset-spread; a single-zone cluster" has no reason; ${FORM}.`)],
    ],
    [
      [waive("statefulset-readines; reason: serves no traffic")],
      [refused(`waiver "statefulset-readines; reason: serves no traffic" names no policy of this pack (known: ${KNOWN}); ${FORM}.`)],
    ],
    [
      [waive("Statefulset Spread; reason: one zone")],
      [refused(`waiver "Statefulset Spread; reason: one zone" is not of the form "<policy>[=<scope>]; reason: <why>"; ${FORM}.`)],
    ],
    [
      [waive("statefulset-readiness=; reason: serves no traffic")],
      [
        refused(
          `waiver "statefulset-readiness=; reason: serves no traffic" is not of the form "<policy>[=<scope>]; reason: <why>"; ${FORM}.`,
        ),
      ],
    ],
    [
      [waive("statefulset-readiness=pod:pg-0; reason: serves no traffic")],
      [
        refused(
          `waiver "statefulset-readiness=pod:pg-0; reason: serves no traffic" has scope "pod:pg-0", which statefulset-readiness does not report (allowed: container:<name>).`,
        ),
      ],
    ],
    [
      [waive("statefulset-spread=container:postgres; reason: one zone")],
      [
        refused(
          `waiver "statefulset-spread=container:postgres; reason: one zone" has scope "container:postgres", but statefulset-spread reports no scoped findings; waive it without a scope.`,
        ),
      ],
    ],
    [
      [waive("waiver-invalid; reason: we know")],
      [refused(`waiver "waiver-invalid; reason: we know" names waiver-invalid, which cannot be waived; correct the waiver instead.`)],
    ],
    [[waive(true)], [refused(`is true; ${FORM}.`)]],
    [[waive(" \n ")], [refused(`is empty; ${FORM}, or remove the annotation.`)]],
    // The valid line waives the exporter's missing probe; the misspelt one waives nothing and is refused.
    [
      [
        ["pg", "props.spec.template.spec.containers.1.readinessProbe", undefined],
        waive("statefulset-readiness=container:exporter; reason: serves no traffic\nstatefulset-sprad; reason: one zone"),
      ],
      [refused(`waiver "statefulset-sprad; reason: one zone" names no policy of this pack (known: ${KNOWN}); ${FORM}.`)],
    ],
  ],
  passes: [
    ["a valid waiver that finds nothing to waive", [waive("statefulset-spread; reason: a single-zone test cluster")]],
    [
      "several waivers, one per line, with CRLF, blank lines and a capitalised Reason",
      [waive("\r\nstatefulset-spread ; Reason: one zone\r\n\r\n  statefulset-readiness = container:exporter ;reason:no traffic  \n")],
    ],
    ["other annotations", [["pg", "props.metadata.annotations", { "ballast.dev/other": "statefulset-spread" }]]],
  ],
};
