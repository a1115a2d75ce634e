"use client";

import dynamic from "next/dynamic";

/** The past-due banner, its code loaded only on the pages of a team whose payment failed (the layout renders it then). */
export const LazyPastDueBanner = dynamic(() => import("./past-due-banner").then((m) => m.PastDueBanner));
