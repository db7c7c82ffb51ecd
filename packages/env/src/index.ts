export { flag, parseEnv } from "./parse";
export { resolveWorkspacePath } from "./paths";
export { byteSize } from "./byte-size";
