// The people the demo sign-in offers; scripts/seed-demo.ts creates them with their teams and history.
export const demoPersonas = [
  { key: "end-user", email: "erin@demo.creditdesk.dev", name: "Erin Ito", blurb: "End user with a personal team" },
  { key: "owner", email: "olivia@demo.creditdesk.dev", name: "Olivia Okafor", blurb: "Owner of Acme AI (every role in the team)" },
  { key: "admin", email: "pat@demo.creditdesk.dev", name: "Pat Moreau", blurb: "Platform admin" },
] as const;

export type DemoPersonaKey = (typeof demoPersonas)[number]["key"];
