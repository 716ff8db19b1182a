/** `cnpg-pdb-enabled` over the happy-path stack: each refusal and each stack that still passes, run through the whole pack. */
import { describePolicyCases } from "../cases";
import { cases } from "./cnpg-pdb-enabled.cases";

describePolicyCases(cases);
