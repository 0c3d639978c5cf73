export { startSimulator, buildSimulator, DEFAULT_DATASET_DIR } from './simulator';
export type { SimulatorOptions, Simulator, RunningSimulator } from './simulator';
export { FleetState, modelPatchSchema } from './fleet-state';
export type { ModelPatch } from './fleet-state';
export { FAULT_HEADER, faultNames } from './faults';
export type { Fault } from './faults';
export { isCorrect, answerItem, composeOutcome } from './answers';
export { DatasetIndex, loadDatasetDirs } from './datasets';
export type { DatasetItem } from './datasets';
