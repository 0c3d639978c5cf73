export { runAdapterConformance, conformanceCases } from './adapter-conformance';
export type { AdapterConformanceOptions, AdapterOverrides, ConformanceCase } from './adapter-conformance';
