import { runRouting } from '../../routing/run-routing.js';
import type { Counts } from '../runner.js';
import type { TechnicalContext } from './context.js';

/** Third-party routing of direct mail and fax (server/routing/): extraction files, SFTP, return files. */
export async function runRoutingWorkflow(ctx: TechnicalContext): Promise<Counts> {
  return runRouting(ctx);
}
