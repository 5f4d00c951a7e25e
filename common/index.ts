export * from './bridge';
export * from './childProcesses';
export * from './hotReload';
export * from './launchConfig';
export * from './dapRequests';
export * from './restartFrame';
