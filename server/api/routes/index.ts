import type { ApiRoute } from '../route.js';
import { deliveryRoutes } from './deliveries.js';
import { eventRoutes } from './events.js';
import { listRoutes } from './lists.js';
import { quarantineRoutes } from './quarantine.js';
import { recipientRoutes } from './recipients.js';
import { subscriptionRoutes } from './subscriptions.js';
import { workflowRoutes } from './workflows.js';

/** Every REST API route, in the order the OpenAPI document lists them. */
export const API_ROUTES: readonly ApiRoute[] = [
  ...recipientRoutes,
  ...subscriptionRoutes,
  ...listRoutes,
  ...deliveryRoutes,
  ...quarantineRoutes,
  ...eventRoutes,
  ...workflowRoutes,
];
