export * from './errors';
export * from './ids';
export * from './decider';
export * from './money';
export * from './clock';
export * from './french-holidays';
export * from './business-calendar';
export * from './civil-time';
