/** `stateful-autoscaler-min-replicas` over the happy-path stack: each refusal and each stack that still passes, run through the whole pack. */
import { describePolicyCases } from "../cases";
import { cases } from "./stateful-autoscaler-min-replicas.cases";

describePolicyCases(cases);
