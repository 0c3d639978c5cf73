export * from './schema';
export * from './canonical';
export * from './diff';
