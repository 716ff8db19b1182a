/** `kafka-broker-rebalance` over the happy-path stack: each refusal and each stack that still passes, run through the whole pack. */
import { describePolicyCases } from "../cases";
import { cases } from "./kafka-broker-rebalance.cases";

describePolicyCases(cases);
