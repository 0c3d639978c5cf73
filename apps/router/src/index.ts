export { createRouter } from './router';
export type { RouterDeps, SwitchyardRouter } from './router';
export type { RouterContext, RoutingState } from './router-context';
export { compileRoutingTable, COLD_START_RULE, COLD_START_EXPLORATION } from './routing-table';
export type { RoutingTable, RouteTable, CategoryTable, ModelEntry } from './routing-table';
export { drawFromRequestId } from './deterministic-draw';
export { DECISION_FIELD } from './decision-recorder';
