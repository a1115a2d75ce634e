import type { ReactNode } from "react";

/**
 * How much a column matters on a narrow screen, the one place the phone rule is decided: 1 always shows (what the row
 * is, its amount, its status, its actions); 2 gives way under 640 px (`sm`); 3 gives way under 768 px (`md`).
 */
export type ColumnPriority = 1 | 2 | 3;

const SHOWN_FROM: Record<ColumnPriority, string> = { 1: "", 2: "hidden sm:table-cell", 3: "hidden md:table-cell" };
const SHOWN_UNTIL: Record<ColumnPriority, string> = { 1: "hidden", 2: "sm:hidden", 3: "md:hidden" };

export type Column<T> = {
  /** The column's name; screen readers read it even when `hideHeader` keeps it off the screen (an actions column). */
  header: string;
  hideHeader?: boolean;
  priority?: ColumnPriority;
  align?: "right";
  /** The cell names its row (`<th scope="row">`). */
  rowHeader?: boolean;
  /** Classes of this column's cells (not its header). */
  className?: string;
  testId?: string;
  cell: (row: T) => ReactNode;
};

const look = {
  // A table in its own bordered card (most tables). `relative` keeps screen-reader-only text (absolutely positioned)
  // inside the scrolling box: else a column past the screen's edge makes the whole page scroll sideways.
  framed: {
    wrap: "relative overflow-x-auto rounded-lg border border-slate-200 bg-white dark:border-slate-800 dark:bg-slate-900",
    head: "border-b border-slate-200 text-slate-600 dark:border-slate-800 dark:text-slate-400",
    pad: "px-3 py-2 sm:px-4",
    row: "border-b border-slate-100 last:border-0 dark:border-slate-800",
    empty: "rounded-lg border border-dashed border-slate-300 p-6 text-slate-600 dark:border-slate-700 dark:text-slate-400",
  },
  // Rows ruled on the page itself (settings lists with controls in their rows).
  plain: {
    wrap: "relative overflow-x-auto",
    head: "text-slate-600 dark:text-slate-400",
    pad: "py-2 pr-3 last:pr-0",
    row: "border-t border-slate-200 align-top dark:border-slate-800",
    empty: "text-slate-600 dark:text-slate-400",
  },
} as const;

const cx = (...classes: (string | false | undefined)[]) => classes.filter(Boolean).join(" ");

/**
 * Rows as an accessible table that scrolls inside its box, with the columns a phone cannot fit hidden by their
 * priority. With `empty`, no rows show that text instead of the table.
 */
export function DataTable<T>({
  columns,
  rows,
  rowKey,
  caption,
  showCaption = false,
  rowTestId,
  rowClassName,
  testId,
  plain = false,
  className,
  empty,
  emptyTestId,
}: {
  columns: Column<T>[];
  rows: readonly T[];
  rowKey: (row: T) => string;
  caption?: ReactNode;
  showCaption?: boolean;
  rowTestId?: string;
  rowClassName?: string | ((row: T) => string);
  testId?: string;
  plain?: boolean;
  /** Classes of the outer box (its margins). */
  className?: string;
  empty?: ReactNode;
  emptyTestId?: string;
}) {
  const l = plain ? look.plain : look.framed;
  if (empty !== undefined && rows.length === 0) {
    return (
      <p className={cx(l.empty, className)} data-testid={emptyTestId}>
        {empty}
      </p>
    );
  }
  const shown = (c: Column<T>) => SHOWN_FROM[c.priority ?? 1];
  return (
    <div className={cx(l.wrap, className)}>
      <table className="w-full text-left text-sm" data-testid={testId}>
        {caption !== undefined && <caption className={showCaption ? "px-3 pt-3 text-left font-medium sm:px-4" : "sr-only"}>{caption}</caption>}
        <thead className={l.head}>
          <tr>
            {columns.map((c) => (
              <th key={c.header} scope="col" className={cx(l.pad, "font-medium", shown(c), c.align === "right" && "text-right")}>
                {c.hideHeader ? <span className="sr-only">{c.header}</span> : c.header}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={rowKey(r)} data-testid={rowTestId} className={cx(l.row, typeof rowClassName === "function" ? rowClassName(r) : rowClassName)}>
              {columns.map((c) => {
                const props = { className: cx(l.pad, shown(c), c.align === "right" && "text-right", c.className), "data-testid": c.testId };
                return c.rowHeader ? (
                  <th key={c.header} scope="row" {...props}>
                    {c.cell(r)}
                  </th>
                ) : (
                  <td key={c.header} {...props}>
                    {c.cell(r)}
                  </td>
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** What a hidden column says, shown inside another cell on the screens where that column gives way. */
export function WhenColumnHidden({ priority, className, children }: { priority: ColumnPriority; className?: string; children: ReactNode }) {
  return <span className={cx("block", SHOWN_UNTIL[priority], className)}>{children}</span>;
}

/** A dashed box saying a list has nothing in it yet. */
export function EmptyNote({ className, testId, children }: { className?: string; testId?: string; children: ReactNode }) {
  return (
    <p className={cx(look.framed.empty, className)} data-testid={testId}>
      {children}
    </p>
  );
}
