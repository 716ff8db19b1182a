/** `kafka-broker-min-replicas` over the happy-path stack: each refusal and each stack that still passes, run through the whole pack. */
import { describePolicyCases } from "../cases";
import { cases } from "./kafka-broker-min-replicas.cases";

describePolicyCases(cases);
