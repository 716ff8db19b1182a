import { seriesLabels } from "../../components/autoscaling/prediction";

/** The autoscaled target both halves of the chain record and query the seasonal load for. */
export const CHAIN_NAMESPACE = "shop";
export const CHAIN_TARGET = "orders-replica";
/** Its labels on `ballast:seasonal_load:rate`, as the component renders them. */
export const CHAIN_LABELS = seriesLabels(CHAIN_NAMESPACE, CHAIN_TARGET);
