import { ApiKeyModel } from './api-key.model';
import type { Role } from '../http/principal';

export interface StoredApiKey {
  hash: string;
  id: string;
  role: Role;
  label: string;
  ownerId: string;
  expertId?: string;
  createdAt: Date;
}

interface ApiKeyDocument {
  _id: string;
  publicId: string;
  role: Role;
  label: string;
  ownerId: string;
  expertId?: string | null;
  createdAt: Date;
}

function toStored(doc: ApiKeyDocument): StoredApiKey {
  return {
    hash: doc._id,
    id: doc.publicId,
    role: doc.role,
    label: doc.label,
    ownerId: doc.ownerId,
    ...(doc.expertId ? { expertId: doc.expertId } : {}),
    createdAt: doc.createdAt,
  };
}

export const apiKeyRepository = {
  async insert(key: StoredApiKey): Promise<void> {
    await ApiKeyModel.create({ _id: key.hash, publicId: key.id, role: key.role, label: key.label, ownerId: key.ownerId, expertId: key.expertId, createdAt: key.createdAt });
  },
  async findByHash(hash: string): Promise<StoredApiKey | undefined> {
    const doc = await ApiKeyModel.findById(hash).lean<ApiKeyDocument>();
    return doc ? toStored(doc) : undefined;
  },
  async findById(id: string): Promise<StoredApiKey | undefined> {
    const doc = await ApiKeyModel.findOne({ publicId: id }).lean<ApiKeyDocument>();
    return doc ? toStored(doc) : undefined;
  },
  async findByExpert(expertId: string): Promise<StoredApiKey[]> {
    const docs = await ApiKeyModel.find({ expertId }).sort({ createdAt: 1 }).lean<ApiKeyDocument[]>();
    return docs.map(toStored);
  },
  async deleteByHash(hash: string): Promise<void> {
    await ApiKeyModel.deleteOne({ _id: hash });
  },
};
