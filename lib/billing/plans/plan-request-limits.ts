// The Enterprise request form's limits, without zod: the form shows them before anything is checked.

export const PLAN_REQUEST_LIMITS = { company: 200, email: 254, message: 2000, credits: 10n ** 15n } as const;
