export { flag, parseEnv } from "./parse";
export { resolveWorkspacePath } from "./paths";
