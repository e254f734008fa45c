// The ProviderFlow tool version, recorded in evidence.json and scans.json. A constant
// (not read from package.json at run time) so evidence is the same wherever the tool
// runs from; bump it when the sandbox's observable behaviour or an output shape changes.
export const PROVIDERFLOW_TOOL_NAME = "providerflow";
export const PROVIDERFLOW_VERSION = "0.1.0";
