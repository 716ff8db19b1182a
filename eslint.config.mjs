import js from "@eslint/js";
import tseslint from "typescript-eslint";

export default tseslint.config(
  { ignores: ["node_modules/**", "policies/node_modules/**", "out/**", "bin/**", "dist/**", "coverage/**", "**/*.js", "**/*.mjs"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "@typescript-eslint/no-explicit-any": "error",
      eqeqeq: ["error", "smart"],
      // Imports used only as types say so, so they vanish from the emitted code and from the runtime graph.
      "@typescript-eslint/consistent-type-imports": ["error", { fixStyle: "inline-type-imports" }],
      "no-console": "off",
    },
  },
  // Data and code flow one way: components → sim → (policies | infra) → tools and bench.
  ...[
    ["components/**/*.ts", ["tools", "bench", "infra", "policies", "sim", "test"]],
    ["sim/**/*.ts", ["tools", "bench", "infra", "policies", "test"]],
    ["policies/**/*.ts", ["tools", "bench", "infra", "test"]],
    ["infra/**/*.ts", ["tools", "bench", "test"]],
  ].map(([files, forbidden]) => ({
    files: [files],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            {
              group: forbidden.flatMap((dir) => [`**/${dir}`, `**/${dir}/**`]),
              message: `${files.split("/")[0]}/ must not import ${forbidden.join(", ")}/: the layers depend one way, components → sim → policies and infra → tools and bench.`,
            },
            // Inside components/, a folder reaches another through its barrel (index.ts), never a file of it.
            ...(files.startsWith("components/")
              ? [
                  {
                    regex: "^(\\.\\./)+(core|storage|workload|autoscaling|postgres|aurora)/",
                    message: "import another component folder through its barrel (`../autoscaling`), not one of its files.",
                  },
                ]
              : []),
          ],
        },
      ],
    },
  })),
  {
    // Tests dig into rendered objects whose shape they assert; typing every path adds nothing.
    files: ["test/**/*.ts"],
    rules: { "@typescript-eslint/no-explicit-any": "off" },
  },
);
