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
    // The edges (pages, route handlers, client components) reach data only through the core: no database client or
    // generated Prisma types here, no Stripe client (lib/edge hands the core its services), and the permission-checked
    // reads, so a page cannot show what the API refuses the same role. test/edges/one-way-in.test.ts plants violations.
    files: ["app/**/*.ts", "app/**/*.tsx", "components/**/*.ts", "components/**/*.tsx"],
    rules: {
      "@typescript-eslint/no-restricted-imports": [
        "error",
        {
          paths: [
            {
              name: "@/lib/billing/billing-details/get-billing-details",
              importNames: ["getBillingDetails"],
              message: "Use readBillingDetails (checks the actor's role).",
            },
            { name: "@/lib/billing/budgets/get-budget", importNames: ["getBudget"], message: "Use readBudget (checks the actor's role)." },
            { name: "@/lib/billing/auto-top-up/get-auto-top-up", importNames: ["getAutoTopUp"], message: "Use readAutoTopUp (checks the actor's role)." },
            { name: "@/lib/stripe/client", message: "Use the stripe service lib/edge hands the handler (route context, teamPage)." },
          ],
          patterns: [
            {
              group: ["@/lib/db/*", "**/lib/db/*", "@/lib/db/generated/*", "**/lib/db/generated/*"],
              message: "The edges read and write through lib/billing, which takes the db from lib/edge.",
            },
          ],
        },
      ],
      "no-restricted-syntax": [
        "error",
        {
          selector:
            "MemberExpression[object.type='MemberExpression'][object.object.name='db'], MemberExpression[object.type='MemberExpression'][object.object.property.name='db'], MemberExpression[object.type='MemberExpression'][object.object.callee.name='db']",
          message: "No Prisma call at the edge: add a core function in lib/billing that takes { db, actor }.",
        },
      ],
    },
  },
  {
    // The billing core knows no framework and no payment SDK: it calls Stripe through its own ports
    // (lib/billing/gateway.ts), which lib/stripe implements, and the edges (app/, lib/edge) hand it those.
    files: ["lib/billing/**/*.ts", "lib/billing/**/*.tsx"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            { regex: "^stripe(/.*)?$", message: "The billing core calls Stripe through its ports (lib/billing/gateway.ts); lib/stripe implements them." },
            { regex: "^(\\.\\./)+stripe(/.*)?$", message: "The billing core does not import the Stripe gateway; take the port as an argument." },
            { regex: "/lib/stripe(/.*)?$", message: "The billing core does not import the Stripe gateway; take the port as an argument." },
            { regex: "^(next|react|react-dom)(/.*)?$", message: "The billing core knows no framework: the edges (app/, lib/edge) call it." },
          ],
        },
      ],
    },
  },
];

export default config;
