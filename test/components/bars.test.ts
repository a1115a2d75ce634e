import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { HorizontalBars, niceTicks, StackedBars } from "../../components/charts/bars";

// Overview's charts are plain SVG (components/charts/bars.tsx): round axis steps that cover the tallest bar, bars in
// proportion, and every value named in a bar's <title>.

describe("niceTicks", () => {
  it("steps of 1, 2 or 5 times a power of ten, from 0 to the first tick at or above the maximum", () => {
    expect(niceTicks(0)).toEqual([0]);
    expect(niceTicks(300_000)).toEqual([0, 100_000, 200_000, 300_000]);
    expect(niceTicks(7)).toEqual([0, 2, 4, 6, 8]);
    fc.assert(
      fc.property(fc.double({ min: 1e-3, max: 1e12, noNaN: true }), (max) => {
        const t = niceTicks(max);
        const step = t[1]! - t[0]!;
        expect(t[0]).toBe(0);
        expect(t[t.length - 1]!).toBeGreaterThanOrEqual(max);
        expect(t[t.length - 2]!).toBeLessThan(max);
        expect(t.length).toBeLessThanOrEqual(6);
        const mantissa = step / 10 ** Math.floor(Math.log10(step) + 1e-9);
        expect([1, 2, 5, 10].some((m) => Math.abs(mantissa - m) < 1e-6)).toBe(true);
      }),
    );
  });
});

describe("the bars", () => {
  const fmt = (v: number) => `${v.toLocaleString("en-US")} credits`;
  it("stacks each day's series in proportion and names each part", () => {
    const html = renderToStaticMarkup(
      createElement(StackedBars, {
        rows: [
          { label: "2026-12-01", values: [100, 50] },
          { label: "2026-12-02", values: [0, 200] },
        ],
        series: [
          { name: "matmul", color: "#0072B2" },
          { name: "other", color: "#E69F00" },
        ],
        tick: String,
        value: fmt,
        label: (l) => l.slice(5),
      }),
    );
    expect(html).toContain("<title>12-01, matmul: 100 credits</title>");
    expect(html).toContain("<title>12-02, other: 200 credits</title>");
    expect(html).not.toContain("12-02, matmul");
    const heights = [...html.matchAll(/<rect [^>]*height="([\d.]+)"/g)].map((m) => Number(m[1]));
    expect(heights).toHaveLength(3);
    expect(heights[0]! / heights[1]!).toBeCloseTo(2, 5);
    expect(heights[2]! / heights[0]!).toBeCloseTo(2, 5);
  });

  it("draws one bar per operation, the longest for the most", () => {
    const html = renderToStaticMarkup(
      createElement(HorizontalBars, {
        rows: [
          { label: "matmul", value: 200_000 },
          { label: "infer_7b", value: 100_000 },
        ],
        color: "#000",
        tick: String,
        value: fmt,
      }),
    );
    const widths = [...html.matchAll(/<rect [^>]*width="([\d.]+)"/g)].map((m) => Number(m[1]));
    expect(widths[0]! / widths[1]!).toBeCloseTo(2, 5);
    expect(html).toContain("<title>matmul: 200,000 credits</title>");
  });
});
