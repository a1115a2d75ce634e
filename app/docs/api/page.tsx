import type { Metadata } from "next";
import { type JsonSchema, openApiDocument } from "@/lib/edge/openapi";

export const metadata: Metadata = { title: "API reference · Creditdesk" };

// The API reference, rendered on the server from the same OpenAPI document /api/openapi.json serves: no client code.

type Parameter = { name: string; in: string; required: boolean; schema: JsonSchema; description?: string };
type Operation = {
  operationId: string;
  summary: string;
  description?: string;
  parameters: Parameter[];
  requestBody?: { content: { "application/json": { example?: unknown } } };
  responses: Record<string, { description: string; content?: { "application/json": { example?: unknown } } }>;
  "x-permission": string;
};

/** A parameter's type in a few words: "string matching ^\d{1,3}$", "one of topup, usage". */
function typeText(s: JsonSchema): string {
  if (Array.isArray(s.enum)) return `one of ${s.enum.join(", ")}`;
  const type = typeof s.type === "string" ? s.type : "any";
  return typeof s.pattern === "string" ? `${type} matching ${s.pattern}` : type;
}

const METHOD_CLASS: Record<string, string> = {
  get: "bg-sky-100 text-sky-900 dark:bg-sky-900 dark:text-sky-100",
  post: "bg-emerald-100 text-emerald-900 dark:bg-emerald-900 dark:text-emerald-100",
  patch: "bg-amber-100 text-amber-900 dark:bg-amber-900 dark:text-amber-100",
  delete: "bg-rose-100 text-rose-900 dark:bg-rose-900 dark:text-rose-100",
};

const Example = ({ label, value }: { label: string; value: unknown }) => (
  <div className="mt-3">
    <h4 className="text-sm font-medium">{label}</h4>
    <pre className="mt-1 overflow-x-auto rounded-md bg-slate-100 p-3 text-xs dark:bg-slate-900">{JSON.stringify(value, null, 2)}</pre>
  </div>
);

export default function ApiReferencePage() {
  const doc = openApiDocument();
  const info = doc.info as { title: string; description: string };
  const operations = Object.entries(doc.paths as Record<string, Record<string, Operation>>).flatMap(([path, methods]) =>
    Object.entries(methods).map(([method, op]) => ({ path, method, op })),
  );
  return (
    <main id="main" className="mx-auto max-w-4xl px-6 py-10">
      <h1 className="text-2xl font-semibold">{info.title} reference</h1>
      <p className="mt-3 text-slate-600 dark:text-slate-400">{info.description}</p>
      <p className="mt-2 text-sm">
        The same as an OpenAPI 3.1 document:{" "}
        <a className="text-indigo-700 underline dark:text-indigo-300" href="/api/openapi.json">
          /api/openapi.json
        </a>
      </p>
      <nav aria-label="Endpoints" className="mt-6">
        <ul className="space-y-1 text-sm">
          {operations.map(({ path, method, op }) => (
            <li key={op.operationId}>
              <a className="font-mono text-indigo-700 underline dark:text-indigo-300" href={`#${op.operationId}`}>
                {method.toUpperCase()} {path}
              </a>{" "}
              {op.summary}
            </li>
          ))}
        </ul>
      </nav>
      {operations.map(({ path, method, op }) => {
        const errors = Object.entries(op.responses).filter(([status]) => status !== "200");
        return (
          <section
            key={op.operationId}
            id={op.operationId}
            aria-labelledby={`${op.operationId}-title`}
            className="mt-10 border-t border-slate-200 pt-6 dark:border-slate-700"
          >
            <h2 id={`${op.operationId}-title`} className="font-mono text-lg">
              <span className={`mr-2 rounded px-2 py-0.5 text-sm font-semibold ${METHOD_CLASS[method] ?? ""}`}>{method.toUpperCase()}</span>
              {path}
            </h2>
            <p className="mt-2">{op.summary}</p>
            {op.description && <p className="mt-1 text-sm text-slate-600 dark:text-slate-400">{op.description}</p>}
            <p className="mt-1 text-sm text-slate-600 dark:text-slate-400">
              API key permission: <code>{op["x-permission"]}</code>
            </p>
            {op.parameters.length > 0 && (
              <table className="mt-3 w-full text-left text-sm">
                <caption className="sr-only">Parameters of {path}</caption>
                <thead>
                  <tr>
                    <th scope="col">Name</th>
                    <th scope="col">In</th>
                    <th scope="col">Required</th>
                    <th scope="col">Type</th>
                    <th scope="col">Default</th>
                  </tr>
                </thead>
                <tbody>
                  {op.parameters.map((p) => (
                    <tr key={p.name} className="border-t border-slate-200 dark:border-slate-700">
                      <td className="font-mono">{p.name}</td>
                      <td>{p.in}</td>
                      <td>{p.required ? "yes" : "no"}</td>
                      <td className="font-mono text-xs">{typeText(p.schema)}</td>
                      <td className="font-mono text-xs">{typeof p.schema.default === "string" ? p.schema.default : ""}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
            {op.requestBody?.content["application/json"].example !== undefined && (
              <Example label="Example request body" value={op.requestBody.content["application/json"].example} />
            )}
            <Example label="Example answer (200)" value={op.responses["200"]?.content?.["application/json"].example} />
            <h3 className="mt-3 text-sm font-medium">Refusals</h3>
            <ul className="mt-1 list-disc pl-6 text-sm">
              {errors.map(([status, r]) => (
                <li key={status}>
                  <span className="font-mono">{status}</span> {r.description}
                </li>
              ))}
            </ul>
          </section>
        );
      })}
    </main>
  );
}
