import type { Request } from 'express';
import { z } from 'zod';
import { idSchema } from './common.schemas';
import { parseInput } from './validate';

const idParams = z.object({ id: idSchema });

export const pathId = (req: Request): string => parseInput(idParams, req.params, 'path').id;
