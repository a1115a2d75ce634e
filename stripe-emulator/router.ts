// Minimal path router: "/v1/customers/:id" patterns matched segment by segment.

export interface Match<H> {
  handler: H;
  pathParams: Record<string, string>;
}

interface Route<H> {
  method: string;
  segments: string[];
  handler: H;
}

export class Router<H> {
  private readonly routes: Route<H>[] = [];

  add(method: string, pattern: string, handler: H): void {
    this.routes.push({ method, segments: pattern.split("/").filter(Boolean), handler });
  }

  get(pattern: string, handler: H): void {
    this.add("GET", pattern, handler);
  }

  post(pattern: string, handler: H): void {
    this.add("POST", pattern, handler);
  }

  delete(pattern: string, handler: H): void {
    this.add("DELETE", pattern, handler);
  }

  match(method: string, path: string): Match<H> | undefined {
    const parts = path.split("/").filter(Boolean);
    for (const route of this.routes) {
      if (route.method !== method || route.segments.length !== parts.length) continue;
      const pathParams: Record<string, string> = {};
      let ok = true;
      for (let i = 0; i < parts.length; i++) {
        const seg = route.segments[i] ?? "";
        const part = parts[i] ?? "";
        if (seg.startsWith(":")) {
          pathParams[seg.slice(1)] = decodeURIComponent(part);
        } else if (seg !== part) {
          ok = false;
          break;
        }
      }
      if (ok) return { handler: route.handler, pathParams };
    }
    return undefined;
  }
}
