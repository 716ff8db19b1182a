/**
 * The `ballast-stateful-safety` policy pack, as the Pulumi CLI serves it
 * (`pulumi preview --policy-pack policies`): every policy of `policies.ts`.
 */
import { PolicyPack } from "@pulumi/policy";
import { ballastPolicies } from "./policies";

new PolicyPack("ballast-stateful-safety", { policies: ballastPolicies() });
