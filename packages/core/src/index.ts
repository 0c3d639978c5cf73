export * from './errors';
export * from './domain';
export * from './chat';
export * from './config';
export * from './logger';
export * from './http-errors';
export * from './keys';
export * from './decision';
