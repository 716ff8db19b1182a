/** `autoscaler-replica-bounds` over the happy-path stack: each refusal and each stack that still passes, run through the whole pack. */
import { describePolicyCases } from "../cases";
import { cases } from "./autoscaler-replica-bounds.cases";

describePolicyCases(cases);
