import baseConfig from "@aimo/eslint-config";

export default baseConfig;
