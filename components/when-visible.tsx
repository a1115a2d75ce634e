"use client";

import { type ReactNode, useEffect, useRef, useState } from "react";

/**
 * Renders `children` once its place on the page comes within `margin` of the screen: a component made with
 * next/dynamic inside loads its code when it is about to be seen.
 */
export function WhenVisible({ children, placeholder, margin = "400px" }: { children: ReactNode; placeholder: ReactNode; margin?: string }) {
  const ref = useRef<HTMLDivElement>(null);
  const [seen, setSeen] = useState(false);
  useEffect(() => {
    const el = ref.current;
    if (!el || seen) return;
    const io = new IntersectionObserver((entries) => entries.some((e) => e.isIntersecting) && setSeen(true), { rootMargin: margin });
    io.observe(el);
    return () => io.disconnect();
  }, [seen, margin]);
  return <div ref={ref}>{seen ? children : placeholder}</div>;
}
