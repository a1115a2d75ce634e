import Link from "next/link";
import type { ReactNode } from "react";

/** The top of a page below a section: the way back, the title (the section's `page-title`), then what `children` say. */
export function PageHeader({
  back,
  title,
  titleClassName = "",
  children,
}: {
  back: { href: string; label: string };
  title: ReactNode;
  titleClassName?: string;
  children?: ReactNode;
}) {
  return (
    <>
      <p className="text-sm">
        <Link href={back.href} className="text-indigo-700 hover:underline dark:text-indigo-300">
          ← {back.label}
        </Link>
      </p>
      <h1 id="page-title" className={`mt-2 text-2xl font-semibold ${titleClassName}`}>
        {title}
      </h1>
      {children}
    </>
  );
}
