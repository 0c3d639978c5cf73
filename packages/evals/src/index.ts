/**
 * @switchyard/evals — eval datasets, graders and statistics. Pure: no I/O of its own (the
 * llm-judge model is a function the caller injects).
 */
export * from './item';
export { issueText, parseLimitsSchema, type ParseLimits, type ParseLimitsInput, type RejectionKind, type RowIssue, type ValidationReport } from './report';
export type { DatasetSource } from './reader';
export { parseDataset, inspectDataset, rejectionMessage, DatasetRejectedError, type ParseOptions, type ParsedDataset, type InspectedDataset } from './parse';
export { grade, type GradeContext, type GradeResult, type Judge } from './graders/index';
export { extractChoice } from './graders/choice';
export { extractFinalNumber, parseNumber } from './graders/numeric';
export { judgePrompt, parseJudgeScore } from './graders/llm-judge';
export { promptMessages } from './prompt';
export { itemToJsonl, itemToCsvRow, csvHeaderLine, csvColumns, escapeCsvCell } from './export';
export { wilsonInterval, bootstrapInterval, scoreInterval, type Interval, type BootstrapOptions } from './stats/intervals';
export { summarize, percentiles, type ScoredResult, type GroupSummary, type Percentiles } from './stats/summarize';
export { pairedComparison, type ItemScore, type PairedComparison, type PairedOptions } from './stats/paired';
