export * from './bridge';
export * from './hotReload';
export * from './launchConfig';
