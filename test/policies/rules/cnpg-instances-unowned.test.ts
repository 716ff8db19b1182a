/** `cnpg-instances-unowned` over the happy-path stack: each refusal and each stack that still passes, run through the whole pack. */
import { describePolicyCases } from "../cases";
import { cases } from "./cnpg-instances-unowned.cases";

describePolicyCases(cases);
