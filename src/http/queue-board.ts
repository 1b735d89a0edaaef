import { createBullBoard } from '@bull-board/api';
import { BullAdapter } from '@bull-board/api/bullAdapter';
import { ExpressAdapter } from '@bull-board/express';
import type { Router } from 'express';
import type { Queues } from '../jobs/queues';

export const QUEUE_BOARD_PATH = '/admin/queues';

/** bull-board over the service's queues; the caller puts it behind admin authentication. */
export function queueBoard(queues: Queues): Router {
  const serverAdapter = new ExpressAdapter();
  serverAdapter.setBasePath(QUEUE_BOARD_PATH);
  createBullBoard({ queues: queues.queues().map((queue) => new BullAdapter(queue)), serverAdapter });
  return serverAdapter.getRouter() as Router;
}
