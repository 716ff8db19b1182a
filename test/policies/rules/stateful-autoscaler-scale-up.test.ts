/** `stateful-autoscaler-scale-up` over the happy-path stack: each refusal and each stack that still passes, run through the whole pack. */
import { describePolicyCases } from "../cases";
import { cases } from "./stateful-autoscaler-scale-up.cases";

describePolicyCases(cases);
