import nextVitals from "eslint-config-next/core-web-vitals";
import nextTs from "eslint-config-next/typescript";

const config = [
  ...nextVitals,
  ...nextTs,
  {
    ignores: ["lib/db/generated/**", ".next/**", ".data/**", "node_modules/**", "scratch/**", "test-results/**", "playwright-report/**", "next-env.d.ts"],
  },
  {
    files: ["**/*.ts", "**/*.tsx"],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      // Money paths must not drop promises or pass them where a value is expected.
      "@typescript-eslint/no-floating-promises": "error",
      "@typescript-eslint/no-misused-promises": ["error", { checksVoidReturn: { attributes: false } }],
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
    },
  },
  {
    // Pages and routes read billing data through the permission-checked reads (read-*.ts, getOverview with the actor),
    // so a page cannot show what the API refuses the same role.
    files: ["app/**/*.ts", "app/**/*.tsx"],
    rules: {
      "@typescript-eslint/no-restricted-imports": [
        "error",
        {
          paths: [
            { name: "@/lib/billing/billing-details/get-billing-details", importNames: ["getBillingDetails"], message: "Use readBillingDetails (checks the actor's role)." },
            { name: "@/lib/billing/budgets/get-budget", importNames: ["getBudget"], message: "Use readBudget (checks the actor's role)." },
            { name: "@/lib/billing/auto-top-up/get-auto-top-up", importNames: ["getAutoTopUp"], message: "Use readAutoTopUp (checks the actor's role)." },
          ],
        },
      ],
    },
  },
];

export default config;
