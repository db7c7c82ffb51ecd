/** The input schemas of the procedures, for other doors onto them (MCP tools) to describe their inputs with. */
export { idInput } from "../validation";
export * from "./memo";
export * from "./recommendation";
export * from "./search";
