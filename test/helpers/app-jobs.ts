import { type AppJobDeps, appJobs } from "../../lib/jobs/app-jobs";

/** Runs one of the app's jobs once, in this process, as a queue worker would (the tick's run: no follow-up data). */
export async function runAppJob(name: string, deps: Partial<AppJobDeps> & Pick<AppJobDeps, "db">, data: object = {}): Promise<void> {
  const job = appJobs({ gateway: null, email: null, ...deps }).find((j) => j.name === name);
  if (!job) throw new Error(`no app job named ${name}`);
  await job.run(data as never, { id: `test-${name}`, retryCount: 0 });
}
