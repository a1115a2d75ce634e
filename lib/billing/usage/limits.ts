// How much one usage request may carry. Client-safe (the route's contract states them too).
export const MAX_USAGE_EVENTS = 1000;
export const MAX_USAGE_QUANTITY = 1_000_000_000;
