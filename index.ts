/**
 * The entry point Pulumi's schema inference reads when the repository is used as a component package
 * (`PulumiPlugin.yaml`): the components, as the library exports them. The built library
 * (`dist/index.js`, `npm run build:lib`) is what the plugin runs.
 */
export * from "./components";
