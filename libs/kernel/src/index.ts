export * from './errors';
export * from './ids';
export * from './decider';
export * from './clock';
