import type { Tx } from "../db/client";

// Hook for what every new team gets (trial credits); the billing core fills it in.
export async function onTeamCreated(_: { db: Tx; teamId: string }): Promise<void> {}
