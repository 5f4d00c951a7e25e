// Mapped to `electron` in tsconfig.node.json and tsconfig.renderer.json: only electron/
// may import Electron, so anything imported from it elsewhere fails the type check.
declare const electronIsOnlyAllowedInTheElectronFolder: unique symbol;
export type ElectronIsOnlyAllowedInTheElectronFolder = typeof electronIsOnlyAllowedInTheElectronFolder;
