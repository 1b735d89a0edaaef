// The load benchmark's baseline: a bare express route reading one document with mongoose from the same database,
// in a node process like the service's, with none of the service's middleware.
import express from 'express';
import mongoose from 'mongoose';
import { RequestModel } from '../src/requests/request.model';

async function main(): Promise<void> {
  const uri = process.env.BASELINE_MONGODB_URI;
  if (!uri) throw new Error('BASELINE_MONGODB_URI is required');
  await mongoose.connect(uri, { dbName: process.env.MONGODB_DB_NAME ?? 'consult', directConnection: true });
  const app = express();
  app.get('/baseline/requests/:id', async (req, res) => {
    const doc = await RequestModel.findById(req.params.id).lean();
    if (!doc) res.status(404).end();
    else res.json(doc);
  });
  const server = app.listen(Number(process.env.PORT ?? 0), () => {
    const address = server.address();
    process.stdout.write(`listening ${typeof address === 'object' && address ? address.port : ''}\n`);
  });
  process.on('SIGTERM', () => server.close(() => void mongoose.disconnect().then(() => process.exit(0))));
}

main().catch((error: unknown) => {
  process.stderr.write(`${String(error)}\n`);
  process.exit(1);
});
