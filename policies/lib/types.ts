/**
 * The plain shapes every rule of the `ballast-stateful-safety` pack works on. Nothing here imports
 * `@pulumi/policy`: the rules run unchanged under the Pulumi CLI (through `policies/index.ts`),
 * offline over a mocked program (`policies/offline.ts`) and over plain manifests (`tools/check.ts`).
 */

/**
 * A resource as a policy sees it. `type` is the token exactly as Pulumi writes it
 * (`kubernetes:apps/v1:StatefulSet`, `aws:rds/cluster:Cluster`); for Kubernetes, `props` are the
 * manifest fields (`metadata`, `spec`, `reclaimPolicy`, …) as the provider receives them.
 */
export interface PlainResource {
  readonly type: string;
  readonly name: string;
  readonly props: Record<string, unknown>;
  readonly options?: { readonly protect?: boolean; readonly ignoreChanges?: readonly string[] };
}

export type Level = "mandatory" | "advisory";
/**
 * What a policy can be configured to, as `@pulumi/policy` names it. `remediate` refuses like
 * `mandatory` whatever the rule has no fix for: the CLI reports a remediate-level violation as
 * mandatory, and a stack policy cannot remediate at all.
 */
export type EnforcementLevel = Level | "remediate" | "disabled";

/** One refused condition, or one fix, as reported by the offline runners. */
export interface Violation {
  readonly policy: string;
  /**
   * `remediate`: not a failure but a fix a remediate-level policy makes, as the CLI applies it and
   * reports it as a remediation; the message says what it sets.
   */
  readonly level: Level | "remediate";
  /** The resource's name (`PlainResource.name`). */
  readonly resource: string;
  readonly message: string;
  /**
   * What part of the resource the finding concerns, as a waiver names it (`container:exporter`).
   * @default - the resource as a whole
   */
  readonly scope?: string;
}

/**
 * What a rule returns for one refused condition. A rule whose policy is mandatory may mark a lesser
 * condition `advisory` (e.g. `whenScaled: Delete` under `statefulset-pvc-retention`).
 */
export interface Finding {
  readonly resource: string;
  readonly message: string;
  /** @default - the policy's enforcement level */
  readonly level?: "advisory";
  /**
   * The part of the resource the finding concerns, `<kind>:<name>` (`container:exporter`), one of the
   * forms the rule declares in `scopes`: a waiver `<policy>=container:exporter` covers this finding only.
   * @default - the resource as a whole (only a waiver without a scope covers it)
   */
  readonly scope?: string;
}

/** A field a remediation sets: its path in the resource's props (`["spec", "replicas"]`) and its value. */
export interface Fix {
  readonly path: readonly string[];
  readonly value: string | number | boolean;
}

/** One JSON-schema property of a policy's `configSchema`. Every property carries its default. */
export type ConfigProperty =
  | {
      readonly type: "number" | "integer";
      readonly default: number;
      readonly minimum?: number;
      readonly maximum?: number;
      readonly description: string;
    }
  | { readonly type: "boolean"; readonly default: boolean; readonly description: string }
  | {
      readonly type: "array";
      /**
       * Each item a string; with `pattern`, one matching it (a JSON-schema regular expression, which
       * the Pulumi CLI checks too), `description` saying in words what it allows, for the error.
       */
      readonly items: { readonly type: "string"; readonly pattern?: string; readonly description?: string };
      readonly default: readonly string[];
      readonly description: string;
    };

export type ConfigSchema = Readonly<Record<string, ConfigProperty>>;

/** The resolved thresholds handed to a rule: schema defaults overlaid with the pack config. */
export type RuleConfig<S extends ConfigSchema> = {
  readonly [K in keyof S]: S[K] extends { type: "boolean" } ? boolean : S[K] extends { type: "array" } ? readonly string[] : number;
};

interface RuleBase<S extends ConfigSchema> {
  /** Kebab-case, `<domain>-<resource>-<check>`. */
  readonly name: string;
  /** One sentence. */
  readonly description: string;
  readonly enforcementLevel: Level;
  readonly configSchema: S;
  /**
   * The scopes its findings can carry, as a waiver writes them: `["container:<name>"]` for a rule
   * that reports each container apart. A waiver may name only these (`<policy>=container:exporter`).
   * @default - none: its findings concern the resource as a whole
   */
  readonly scopes?: readonly string[];
}

/** A rule over one resource at a time, applied to resources whose type is in `types`. */
export interface ResourceRule<S extends ConfigSchema = ConfigSchema> extends RuleBase<S> {
  readonly kind: "resource";
  readonly types: readonly string[];
  check(resource: PlainResource, config: RuleConfig<S>): Finding[];
  /**
   * The fields that mend what this rule refuses, for a rule whose fix is safe and deterministic: it
   * changes the resource in place (no replacement), loses nothing, and makes no choice only the
   * owner can make; `[]` when there is nothing to fix. It fixes findings at the policy's own level
   * only: what the rule marks advisory stays advice, as it does under a mandatory policy. The pack
   * serves it as the policy's `remediateResource`, which the CLI runs at level `remediate` before it
   * validates, and the offline runners apply it the same way; a remediate-level policy without one
   * refuses as mandatory.
   * @default - no remediation
   */
  remediate?(resource: PlainResource, config: RuleConfig<S>): readonly Fix[];
}

/** A rule over every resource of the stack (or every manifest given), for cross-resource checks. */
export interface StackRule<S extends ConfigSchema = ConfigSchema> extends RuleBase<S> {
  readonly kind: "stack";
  check(resources: readonly PlainResource[], config: RuleConfig<S>): Finding[];
}

export type Rule = ResourceRule | StackRule;

/** Declares a rule with its config type inferred from its schema. */
export function resourceRule<const S extends ConfigSchema>(rule: ResourceRule<S>): ResourceRule {
  return rule as unknown as ResourceRule;
}

export function stackRule<const S extends ConfigSchema>(rule: StackRule<S>): StackRule {
  return rule as unknown as StackRule;
}
