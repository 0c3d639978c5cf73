export * from './schema';
export * from './canonical';
export * from './diff';
export * from './features';
export * from './classifier';
export * from './contextual';
export * from './export';
