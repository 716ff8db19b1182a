/** `kafka-controller-pool-fixed` over the happy-path stack: each refusal and each stack that still passes, run through the whole pack. */
import { describePolicyCases } from "../cases";
import { cases } from "./kafka-controller-pool-fixed.cases";

describePolicyCases(cases);
